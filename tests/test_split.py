"""Sentence splitting against hand-written MFA cases (tests/fixtures/split_{ru,en}.txt), the no-loss invariant, and
what split_document does to a Document."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.model import Document, Sentence
from aligner.split import split_document, split_text

FIXTURES = Path(__file__).parent / "fixtures"


def load_cases(lang: str) -> list[tuple[str, list[str]]]:
    """The fixture format (documented at the top of each file): cases between "===" lines, input, "---", output."""
    text = (FIXTURES / f"split_{lang}.txt").read_text(encoding="utf-8")
    cases = []
    for block in re.split(r"(?m)^===\n", text)[1:]:     # [0] is the header
        lines = [line for line in block.rstrip("\n").split("\n") if not line.startswith("#")]
        cut = lines.index("---")
        cases.append((" ".join(lines[:cut]), lines[cut + 1:]))
    return cases


RU = load_cases("ru")
EN = load_cases("en")


def test_fixtures_are_big_enough_and_well_formed():
    assert len(RU) >= 60 and len(EN) >= 60
    for text, expected in RU + EN:
        assert text and expected and all(expected), text
        # the expected split itself must honour the invariant, or the case was mistyped
        assert "".join(expected).replace(" ", "") == text.replace(" ", ""), text


@pytest.mark.parametrize("text, expected", RU, ids=[f"ru{i:03d}" for i in range(len(RU))])
def test_russian(text, expected):
    assert split_text(text, "ru") == expected


@pytest.mark.parametrize("text, expected", EN, ids=[f"en{i:03d}" for i in range(len(EN))])
def test_english(text, expected):
    assert split_text(text, "en") == expected


@pytest.mark.parametrize("lang, cases", [("ru", RU), ("en", EN)])
def test_nothing_is_lost_and_sentences_are_clean(lang, cases):
    for text, _ in cases:
        out = split_text(text, lang)
        assert "".join(out).replace(" ", "") == text.replace(" ", "")
        assert all(s and s == s.strip() for s in out)


@pytest.mark.parametrize("lang, cases", [("ru", RU), ("en", EN)])
def test_nothing_is_lost_when_paragraphs_run_together(lang, cases):
    """All fixture inputs as one long paragraph: rules that look across pieces (quotes, lists) meet each other."""
    text = " ".join(t for t, _ in cases)
    out = split_text(text, lang)
    assert "".join(out).replace(" ", "") == text.replace(" ", "")
    assert len(out) >= len(cases)


_TOKENS = ["Мы", "готовы", "г.", "2023", "т.д.", "С.В.Лавров:", "«Да.", "»", "„", "“", '"', "(см.", "выше)", "1.",
           "2)", "—", "…", "?!", "Mr.", "U.S.", "The", "etc.", "It", "St.", "p.m.", "Moscow", "time.", ":", ";", ",",
           "www.mid.ru.", "3,5", "В", "руб.", "Вопрос:", "!!!", "No.", "5", "»", "«", "‹", "›", "u.", "a.", ",,Das",
           "Nr.212).", "Fr. 58.-.", "L.Lachenal.", "oct.", "Std.", "Bahnhofstr."]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=40), st.sampled_from(["ru", "en", "de"]))
def test_nothing_is_lost_on_any_mix_of_tricky_tokens(tokens, lang):
    text = " ".join(tokens)
    out = split_text(text, lang)
    assert "".join(out).replace(" ", "") == text.replace(" ", "")
    assert all(s and s == s.strip() for s in out)


def test_whitespace_is_normalised_and_empty_input_gives_nothing():
    assert split_text("  Первое.\n\tВторое.  ", "ru") == ["Первое.", "Второе."]
    assert split_text(" \n ", "en") == []
    assert split_text("", "ru") == []


def test_language_tags_are_read_by_prefix():
    text = "Mr. Lavrov met the U.S. Secretary of State. They discussed strategic stability."
    expected = ["Mr. Lavrov met the U.S. Secretary of State.", "They discussed strategic stability."]
    assert split_text(text, "en-GB") == split_text(text, "EN_us") == expected
    assert split_text("Договор был подписан в 1999 г. Через год всё изменилось.", "ru-RU") == [
        "Договор был подписан в 1999 г.", "Через год всё изменилось."]


def test_other_languages_get_a_fallback_splitter():
    assert split_text("Der Vertrag wurde 1999 unterzeichnet. Ein Jahr später begannen die Treffen.", "de") == [
        "Der Vertrag wurde 1999 unterzeichnet.", "Ein Jahr später begannen die Treffen."]
    assert split_text("Le traité a été signé. Les réunions ont commencé.", "fr-CH") == [
        "Le traité a été signé.", "Les réunions ont commencé."]
    # a language pysbd does not know: the plain punctuation rule, capital letters only
    assert split_text("Tratado assinado em 1999, etc. e depois. Novo começo!", "xx") == [
        "Tratado assinado em 1999, etc. e depois.", "Novo começo!"]


def test_pysbd_is_only_asked_about_doubtful_stretches(monkeypatch):
    """The fast path: plain sentence ends never reach pysbd (it costs about a millisecond a sentence)."""
    from aligner.split import en

    seen: list[str] = []
    real = en._pysbd_sentences
    monkeypatch.setattr(en, "_pysbd_sentences", lambda text: seen.append(text) or real(text))
    assert split_text("We met. They left. Then it rained.", "en") == ["We met.", "They left.", "Then it rained."]
    assert seen == []
    assert split_text("We met Mr. Smith. They left.", "en") == ["We met Mr. Smith.", "They left."]
    assert seen == ["We met Mr. Smith."]


def test_splitting_twenty_thousand_sentences_takes_seconds():
    ru = ("Министр иностранных дел России С.В.Лавров провёл переговоры в Минске. Стороны обсудили ход выполнения "
          "Программы согласованных действий на 2024–2026 гг. Договор был подписан в 1999 г. Через год начались "
          "встречи (см. приложение). Он подчеркнул: «Мы не ведём переговоров с позиции силы». ")
    en = ("Foreign Minister S.V.Lavrov held talks in Minsk. The parties discussed the U.S. sanctions, energy, "
          "trade, etc. The treaty was signed in 1999. A year later, meetings began (see the annex). He stressed: "
          "\"We do not negotiate from a position of strength.\" ")
    for lang, paragraph, per_paragraph in (("ru", ru, 5), ("en", en, 5)):
        paragraphs = [paragraph * 2] * 2000
        start = time.perf_counter()
        count = sum(len(split_text(p, lang)) for p in paragraphs)
        elapsed = time.perf_counter() - start
        assert count == 2000 * 2 * per_paragraph
        assert elapsed < 15, f"{lang}: {count} sentences in {elapsed:.1f} s"


# --- split_document --------------------------------------------------------------------------------------------

def test_split_document_numbers_sentences_and_keeps_paragraphs():
    doc = Document(path="x.txt", paragraphs=["Первое. Второе.", "Уважаемые коллеги,", "Третье."], title="T")
    out = split_document(doc, "ru-RU")
    assert [(s.text, s.index, s.paragraph) for s in out.sentences] == [
        ("Первое.", 0, 0), ("Второе.", 1, 0), ("Уважаемые коллеги,", 2, 1), ("Третье.", 3, 2)]
    assert out.lang == "ru"
    assert out.title == "T" and out.path == "x.txt"
    assert doc.sentences is None and out is not doc          # a copy: the input Document is not modified


def test_split_document_skips_empty_paragraphs_without_gaps_in_indices():
    out = split_document(Document(path="x", paragraphs=["One. Two.", "  ", "Three."]), "en")
    assert [(s.text, s.index, s.paragraph) for s in out.sentences] == [
        ("One.", 0, 0), ("Two.", 1, 0), ("Three.", 2, 2)]
    assert split_document(Document(path="x", paragraphs=[]), "en").sentences == []


def test_presplit_documents_are_left_alone():
    sentences = [Sentence("Одно. Два.", 0, 0)]
    doc = Document(path="x", paragraphs=["Одно. Два."], sentences=sentences, lang="ru", format="lines")
    assert split_document(doc, "ru") is doc
    assert doc.sentences == sentences


def test_lines_input_is_never_resplit(tmp_path):
    from aligner.read import read_document

    path = tmp_path / "split.txt"
    path.write_text("Вопрос: Как Вы оцениваете итоги? С.В.Лавров: Положительно.\nВторое.\n\nТретье. Четвёртое.\n",
                    encoding="utf-8")
    doc = read_document(str(path), "lines", lang="ru")
    out = split_document(doc, "ru")
    assert [(s.text, s.paragraph) for s in out.sentences] == [
        ("Вопрос: Как Вы оцениваете итоги? С.В.Лавров: Положительно.", 0), ("Второе.", 0),
        ("Третье. Четвёртое.", 1)]


# --- the other languages: hand-written cases per language (abbreviations, numbers, quotes, Arabic and Chinese
# punctuation), tests/fixtures/split_{fr,es,de,ar,zh}.txt -----------------------------------------------------------

OTHER = {lang: load_cases(lang) for lang in ("fr", "es", "de", "ar", "zh")}
OTHER_CASES = [(lang, text, expected) for lang, cases in OTHER.items() for text, expected in cases]


def test_other_fixtures_are_well_formed():
    for lang, cases in OTHER.items():
        assert len(cases) >= 8, lang
        for text, expected in cases:
            assert "".join(expected).replace(" ", "") == text.replace(" ", ""), text


@pytest.mark.parametrize("lang, text, expected", OTHER_CASES,
                         ids=[f"{lang}{i:03d}" for lang, cases in OTHER.items() for i in range(len(cases))])
def test_other_languages(lang, text, expected):
    assert split_text(text, lang) == expected


@pytest.mark.parametrize("lang", ["fr-FR", "es_ES", "de", "ar-SA", "zh-CN"])
def test_language_tags_pick_the_rules(lang):
    # A region or script in the tag does not change the splitter (and nothing falls back to pysbd's rules, which
    # cut Arabic at every comma)
    text = {"fr": "M. Lavrov est arrivé. Il a parlé.", "es": "El Sr. Lavrov llegó. Habló.",
            "de": "Am 9. Mai kam er. Er sprach.", "ar": "وصل الوزير، ثم تحدث. وانتهى الاجتماع.",
            "zh": "部长抵达。他讲了话。"}[lang[:2]]
    assert len(split_text(text, lang)) == 2
