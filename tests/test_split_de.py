"""German sentence splitting: hand-written cases for the German rules of aligner/split/other.py (abbreviations,
ordinals and dates, initials, references, German quotation marks). Expected splits written by hand; the general
German fixture is tests/fixtures/split_de.txt (tests/test_split.py)."""
from __future__ import annotations

import pytest

from aligner.split import split_text

CASES = [
    # quotation marks: „…“, »…«, ‚…‘, ›…‹ and Swiss «…»; the closing mark stays with its sentence
    ("Er sagte: „Ich komme morgen.“ Dann ging er.", ["Er sagte: „Ich komme morgen.“", "Dann ging er."]),
    ("Er sagte: »Ich komme morgen.« Dann ging er.", ["Er sagte: »Ich komme morgen.«", "Dann ging er."]),
    ("Er rief: ›Halt!‹ Dann war es still.", ["Er rief: ›Halt!‹", "Dann war es still."]),
    ("Er rief: ‚Halt!‘ Dann war es still.", ["Er rief: ‚Halt!‘", "Dann war es still."]),
    ("Sie schrieb: «Der Weg ist frei.» Dann brach sie auf.", ["Sie schrieb: «Der Weg ist frei.»", "Dann brach sie auf."]),
    # an opening mark starts the next sentence; a question closing before "fragte" does not end one
    ("Wir warteten lange. »Wer ist da?«, fragte sie leise.", ["Wir warteten lange.", "»Wer ist da?«, fragte sie leise."]),
    ("Wir warteten lange. „Wer ist da?“, fragte sie leise.", ["Wir warteten lange.", "„Wer ist da?“, fragte sie leise."]),
    # a quotation spanning a full stop inside its sentence stays whole (the shared quotation rule)
    ("Er sagte: «Wir sind bereit. Aber nur bei gutem Wetter», und ging hinaus.",
     ["Er sagte: «Wir sind bereit. Aber nur bei gutem Wetter», und ging hinaus."]),
    # typewritten „ as ",,"
    ('Dann änderte sich alles. ,,Das ist kein Bär", rief er.', ["Dann änderte sich alles.", ',,Das ist kein Bär", rief er.']),
    # two-part abbreviations written with a space: German capitalises nouns, so the capital after them is no sign
    ("Es gibt u. a. Probleme mit dem Wetter. Wir bleiben.", ["Es gibt u. a. Probleme mit dem Wetter.", "Wir bleiben."]),
    ("Wir brechen früh auf, d. h. Treffpunkt ist um 4 Uhr. Bitte pünktlich sein.",
     ["Wir brechen früh auf, d. h. Treffpunkt ist um 4 Uhr.", "Bitte pünktlich sein."]),
    ("Das gilt v. a. Bergsteigern aus der Schweiz. Andere sind weniger betroffen.",
     ["Das gilt v. a. Bergsteigern aus der Schweiz.", "Andere sind weniger betroffen."]),
    ("Einige Gipfel, z. B. Eiger und Mönch, sind schwierig. Andere nicht.",
     ["Einige Gipfel, z. B. Eiger und Mönch, sind schwierig.", "Andere nicht."]),
    ("Wir nahmen Seile, Haken o. Ä. Material mit. Der Rest blieb unten.",
     ["Wir nahmen Seile, Haken o. Ä. Material mit.", "Der Rest blieb unten."]),
    # ordinals and dates
    ("Am 3. August 1956 erreichten wir den Gipfel. Am 4. August stiegen wir ab.",
     ["Am 3. August 1956 erreichten wir den Gipfel.", "Am 4. August stiegen wir ab."]),
    ("Das Treffen ist vom 28./29. September geplant. Alle kommen.",
     ["Das Treffen ist vom 28./29. September geplant.", "Alle kommen."]),
    ("Wir kamen am 12.8.1956 an. Danach regnete es.", ["Wir kamen am 12.8.1956 an.", "Danach regnete es."]),
    ("Im 19. Jahrhundert kamen die Engländer. Sie bestiegen die 4000er.",
     ["Im 19. Jahrhundert kamen die Engländer.", "Sie bestiegen die 4000er."]),
    ("Er kam als 2. Sieger ins Ziel. Das war gut.", ["Er kam als 2. Sieger ins Ziel.", "Das war gut."]),
    ("Die Sektion hat rund 2000 Mitglieder. 1863 wurde sie gegründet.",
     ["Die Sektion hat rund 2000 Mitglieder.", "1863 wurde sie gegründet."]),
    # initials: alone they never end a sentence; run into a name ("L.Lachenal") they end it like the name
    ("Die Route eröffneten L.Lachenal und M. Herzog. Später folgte G.O.Dyhrenfurth. Er schrieb darüber.",
     ["Die Route eröffneten L.Lachenal und M. Herzog.", "Später folgte G.O.Dyhrenfurth.", "Er schrieb darüber."]),
    ("Wir fuhren nach St.Moritz. Dort war es kalt.", ["Wir fuhren nach St.Moritz.", "Dort war es kalt."]),
    # ... but not an abbreviated title run into the ones before it
    ("Wir trafen Prof.Dr.Ing. Müller. Er war nett.", ["Wir trafen Prof.Dr.Ing. Müller.", "Er war nett."]),
    ("Der Bericht von H. R. von Gunten erschien 1957. Er ist lesenswert.",
     ["Der Bericht von H. R. von Gunten erschien 1957.", "Er ist lesenswert."]),
    # a reference run into its number ends like the number; a full stop after a bracket is no abbreviation's
    ("Der Bericht steht in «Die Alpen», S.261-270. Dort steht mehr.",
     ["Der Bericht steht in «Die Alpen», S.261-270.", "Dort steht mehr."]),
    ("Sein Träger war Sherpa Nr.57. Er kam aus Darjeeling.", ["Sein Träger war Sherpa Nr.57.", "Er kam aus Darjeeling."]),
    ("Das zeigt die Liste (Sherpa-Liste Nr.212). 4. Die nächste Expedition folgte.",
     ["Das zeigt die Liste (Sherpa-Liste Nr.212).", "4. Die nächste Expedition folgte."]),
    ("Der Gipfel ist sehr hoch (8848 m). 1953 wurde er bestiegen.",
     ["Der Gipfel ist sehr hoch (8848 m).", "1953 wurde er bestiegen."]),
    ("Die Statuten (vgl. Art. 5 Abs. 2) gelten weiter. Niemand widersprach.",
     ["Die Statuten (vgl. Art. 5 Abs. 2) gelten weiter.", "Niemand widersprach."]),
    # a month, an hour or a street abbreviated before a figure
    ("Der Artikel erschien im «Alpine Journal», Nov. 1956. Er ist kurz.",
     ["Der Artikel erschien im «Alpine Journal», Nov. 1956.", "Er ist kurz."]),
    ("Er erschien in «La Montagne», oct. 1956. Wir lasen ihn.", ["Er erschien in «La Montagne», oct. 1956.", "Wir lasen ihn."]),
    ("Zur Hütte in 1 Std. 30 Min., von dort 40 Min. bis zum Gipfel. Der Abstieg ist kürzer.",
     ["Zur Hütte in 1 Std. 30 Min., von dort 40 Min. bis zum Gipfel.", "Der Abstieg ist kürzer."]),
    ("Die Adresse ist Bahnhofstr. 3, 3000 Bern. Wir schreiben dorthin.",
     ["Die Adresse ist Bahnhofstr. 3, 3000 Bern.", "Wir schreiben dorthin."]),
    # Swiss prices: "Fr. 58.-" then the full stop
    ("Das Heft kostet Fr. 58.-. Mitglieder zahlen weniger.", ["Das Heft kostet Fr. 58.-.", "Mitglieder zahlen weniger."]),
    # abbreviations before a name or figure; "usw." may end a sentence
    ("Er wohnt in St. Gallen. Dr. Müller besucht ihn.", ["Er wohnt in St. Gallen.", "Dr. Müller besucht ihn."]),
    ("Die Wand ist ca. 800 m hoch. Sie gilt als schwierig.", ["Die Wand ist ca. 800 m hoch.", "Sie gilt als schwierig."]),
    ("Wir packten Seil, Haken usw. Dann ging es los.", ["Wir packten Seil, Haken usw.", "Dann ging es los."]),
    ("Wieso nicht? Wir haben Zeit! Also los.", ["Wieso nicht?", "Wir haben Zeit!", "Also los."]),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[f"de{i:02d}" for i in range(len(CASES))])
def test_german(text, expected):
    assert split_text(text, "de") == expected


def test_cases_are_well_formed():
    for text, expected in CASES:
        assert "".join(expected).replace(" ", "") == text.replace(" ", ""), text


def test_all_cases_as_one_paragraph_lose_nothing():
    text = " ".join(t for t, _ in CASES)
    out = split_text(text, "de")
    assert "".join(out).replace(" ", "") == text.replace(" ", "")
    assert len(out) >= len(CASES)


@pytest.mark.parametrize("text, expected", [
    # French sets its closing guillemet off by a space: it stays with the sentence it closes
    ("Il a dit : « Je viens. » Puis il est parti.", ["Il a dit : « Je viens. »", "Puis il est parti."]),
    # ... while an opening one after a sentence end starts the next sentence
    ("Il est parti. « Je reviens », a-t-il dit.", ["Il est parti.", "« Je reviens », a-t-il dit."]),
    # a French "«" right after the full stop is not a German closing mark
    ("Il est parti.« Je reviens », a-t-il dit.", ["Il est parti.« Je reviens », a-t-il dit."]),
])
def test_french_guillemets_set_off_by_spaces(text, expected):
    assert split_text(text, "fr") == expected
