"""Spanish, French, German, Arabic and Chinese: sentence ends by rule, with per-language abbreviations.

pysbd has rules for these languages, but measured on UN documents (benchmarks/multilingual.py, splitting track) they
cut too often: its Arabic splits at every comma "،" (boundary precision 0.06), its Chinese at "；" and after list
numbers ("二." | "执行…"), its Spanish after "Sr." (0.80), its French after "MM." and "par." — honorifics that stand
before a name. A sentence end in these languages is plain to see once abbreviations are known:

- Latin script (es, fr, de): ". ! ? …" (then closing quotes or brackets, also one set off by a space as French
  writes "… fin. » Puis"), a space, then an upper-case letter, a digit-free opening quote or "¿"/"¡". Not after a
  known abbreviation of the language, a single capital (an initial: "A. de Zayas"), a word with a dot inside
  ("IV.G.", "EE.UU."; but initials run into a name, "L.Lachenal.", and a reference run into its number, "p.261-270.",
  end like the name or number), an abbreviated month or street before a figure ("oct. 1956", "Bahnhofstr. 3"), or,
  in German, a one- or two-digit number (an ordinal: "am 9. September"). A full stop after a bracket, a quote or a
  dash ("(Bern).", "Fr. 58.-.") is never an abbreviation's.
- German quotes close with "“ « ‘ ‹" as well as "” » ’ ›" („…“, »…«, ‚…‘, ›…‹, Swiss «…»), so those closing marks
  right after the full stop stay with its sentence; typewritten or scanned „ (",," or ",") opens the next one.
  German capitalises every noun, so a capital after a two-part abbreviation ("u. a.", "d. h.", "v. a.") is no sign
  of a new sentence.
- Arabic: the same marks plus "؟"; Arabic has no capitals, so any Arabic letter after the space starts a sentence.
- Chinese: "。！？" (full- or half-width "!?"), closing quotes after them, no space needed. A Latin full stop never
  ends a Chinese sentence: in UN Chinese it numbers headings ("二. 执行…") or ends an initial.

The shared post-pass (rules.py) then keeps list numbers, lead-ins ending in ":" and quotations together.
"""
from __future__ import annotations

import re

from aligner.numbers import EN_MONTH_ABBREVIATIONS
from aligner.split.rules import MONTH_WORDS

_COMMON = {"etc", "art", "arts", "no", "nos", "nº", "n°", "núm", "nr", "p", "pp", "vol", "vols", "cap", "chap",
           "fig", "cf", "ibid", "op", "cit", "approx", "ca", "vs", "ed", "eds", "distr", "add", "corr", "rev",
           "suppl", "res", "doc", "par", "para", "paras", "párr", "párrs", "pág", "págs", "sec", "secc", "ss",
           "st", "dr", "prof", "mr", "mrs", "ms", "jr", "sr", "inc", "ltd", "co", "corp", "mt", "av", "tel"}
# Abbreviations that end a sentence freely before a capital ("… etc. Le …"): they never precede a name.
_SENTENCE_FINAL = {"etc", "usw", "etc.", "m.fl", "inc", "ltd", "corp"}
ABBREVIATIONS = {
    "es": (_COMMON - {"no"}) | {"sra", "sras", "sres", "srta", "srtas", "dra", "dres", "d", "dña", "excmo", "excma", "ilmo",
                     "lic", "ing", "gral", "sto", "sta", "ud", "uds", "vd", "vds", "pdte", "aprox", "admón",
                     "apdo", "avda", "dpto", "depto", "izq", "der", "ej", "ref", "ee.uu", "ss.mm", "op", "ap",
                     "ene", "feb", "abr", "jun", "jul", "sept", "oct", "nov", "dic"},
    "fr": _COMMON | {"mm", "mme", "mmes", "mlle", "mlles", "me", "mes", "mgr", "pr", "ste", "al", "env",
                     "éd", "ch", "chap", "dir", "hab", "max", "min", "janv", "févr", "fevr", "avr", "juil", "sept",
                     "oct", "nov", "déc", "dec", "c.-à-d", "cie", "ms", "ex", "réf", "resp", "vol", "tél"},
    "de": _COMMON | {"hr", "hrn", "fr", "frl", "bzw", "vgl", "z.b", "d.h", "u.a", "o.ä", "u.ä", "s", "abs",
                     "ziff", "str", "bd", "bde", "jh", "jhd", "jhdt", "evtl", "ggf", "inkl", "exkl", "max", "min",
                     "mio", "mrd", "tsd", "usw", "sog", "ebd", "geb", "gest", "allg", "bspw", "dt", "engl", "franz",
                     "jan", "feb", "febr", "apr", "aug", "sept", "okt", "nov", "dez", "bsp", "dipl", "ing", "mag",
                     "hl", "ev", "kath", "ref", "nachm", "vorm", "ca", "rd", "zt", "z.t", "v.a", "m.e",
                     "m.w", "u.u", "i.d.r", "a.a.o",
                     "z", "d", "u", "o"},     # "z. B.", "d. h.", "u. a.", "o. Ä." written with a space
    "ar": _COMMON,
}
_OPEN = "\"“‘«„(¿¡<['»›‹‚"
_CLOSE = "\"”’»)>]'“‘«‹›"
# Abbreviations that never end a sentence before a figure: months ("oct. 1956", "Dez. 15"), hours ("1 Std. 30 Min.").
_BEFORE_NUMBER = MONTH_WORDS | {"std", "stdn", "sek"}
_GERMAN_CLOSE = "“«‘‹›"
# A run of sentence punctuation; closing quotes/brackets right after it (">>" as UN French writes guillemets; in
# German also "“ « ‘ ‹ ›"); closing marks set off by a space ("fin. » Puis", a tokenised "Bär! ') Gestern"); spaces.
_CANDIDATE = {
    lang: re.compile(r"(?:\.{3}|[.!?…؟])+" + rf"[\"”’»)\]>'{extra}]*" + r"(?:\s+[\"'”’»)\]]*[”’»)\]](?=\s))?\s+")
    for lang, extra in (("de", _GERMAN_CLOSE), ("", ""))}
# After a sentence end, what opens the next one: quotes, "(", "¿", a dash; in German also ",," or "," for „.
_STARTERS = {"de": _OPEN + "-–— ,", "": _OPEN + "-–— "}
_CLOSING = {"de": "\"”»>“«’‘›‹", "": "\"”»>"}
_ZH_END = re.compile(r"[。！？!?]+[”’」』）)\"']*\s*")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def cuts_other(text: str, lang: str) -> list[int]:
    if lang == "zh":
        return [m.end() for m in _ZH_END.finditer(text) if m.end() < len(text)]
    abbreviations = ABBREVIATIONS.get(lang, _COMMON)
    cuts = []
    for m in _CANDIDATE.get(lang, _CANDIDATE[""]).finditer(text):
        if m.end() >= len(text):
            break
        if _ends_here(text, m, lang, abbreviations):
            cuts.append(m.end())
    return cuts


def _ends_here(text: str, m: re.Match[str], lang: str, abbreviations: set[str]) -> bool:
    german = lang == "de"
    punct = "".join(m.group().split())  # the marks without the spaces between them
    rest = text[m.end():m.end() + 6].lstrip(_STARTERS["de" if german else ""])
    nxt = rest[:1]                       # a dash may open the next sentence: "1957. – Albert"
    if not nxt:
        return False
    if lang == "ar":
        starts = bool(_ARABIC.match(nxt)) or nxt.isupper()
    else:
        # a capital, or a figure opening a sentence ("… Vorbericht. 2. Dasselbe …", "… kamen. 1954 gab es …"):
        # the word before the full stop decides below, as for a capital
        starts = nxt.isupper() or (nxt.isdigit() and punct[-1] == ".")
    if not starts:
        return False
    if punct.rstrip(_CLOSE) not in (".",) or punct[-1] in _CLOSING["de" if german else ""]:
        return True                      # ? ! … ...: or a quotation closing after its full stop
    word_start = max(text.rfind(" ", 0, m.start()), text.rfind("(", 0, m.start())) + 1
    raw = text[word_start:m.start()]
    if raw[-1:] in _CLOSE or raw[-1:] in "-–":
        return True                      # "(Bern).", "Nr.212).", "Fr. 58.-.": no abbreviation ends so
    word = raw.lstrip(_OPEN).rstrip(_CLOSE)
    low = word.lower()
    if not word:
        return True
    if nxt.isdigit() and (low in _BEFORE_NUMBER or german and low.endswith("str") and len(low) > 3):
        return False                     # "oct. 1956", "1 Std. 30 Min.", "Thorackerstr. 3"
    if german and len(word) == 1 and word.islower():
        # "u. a.", "d. h.", "v. a.": the second letter of a two-part abbreviation written with a space
        before = text[text.rfind(" ", 0, max(word_start - 1, 0)) + 1:word_start].strip()
        if len(before) == 2 and before[1] == "." and f"{before[0].lower()}.{low}" in abbreviations:
            return False
    if low in abbreviations and low not in _SENTENCE_FINAL:
        return False
    if len(word) == 1 and word.isalpha() and word.isupper():
        return False                     # an initial: "A. de Zayas"
    if "." in word and not word.replace(".", "").isdigit():
        head, tail = word.rsplit(".", 1)
        if len(tail) >= 3 and tail.isalpha() and tail[0].isupper() and tail[1:].islower() and \
                tail.lower() not in abbreviations:
            return True                  # initials run into a name: "L.Lachenal.", "G.O.Dyhrenfurth."
        if tail[:1].isdigit():           # a reference run into its number: "p.261-270.", "Nr.57."
            return not (german and tail.isdigit() and len(tail) <= 2) or \
                head.rsplit(".", 1)[-1].lower() in _REFERENCE_WORDS
        return low in _SENTENCE_FINAL    # "IV.G.", "EE.UU.", "z.B."
    if word in EN_MONTH_ABBREVIATIONS:
        return False
    if german and word.isdigit() and len(word) <= 2:
        # an ordinal ("am 9. September", "2. Klasse"), unless the figure is a reference's number ("Nr. 4.")
        before = text[text.rfind(" ", 0, max(word_start - 1, 0)) + 1:word_start].strip().rstrip(".").lower()
        return before in _REFERENCE_WORDS
    return True


_REFERENCE_WORDS = {"nr", "no", "nº", "art", "s", "abs", "ziff", "bd", "heft", "kap", "seite", "band", "nummer"}

