"""English: pysbd for the hard cases, a fast path for the plain ones, then the MFA conventions pysbd lacks.

pysbd knows "Mr.", "U.S.", "etc.", "e.g.", "No.", "Art.", "Jan.", initials ("S.V. Lavrov", "S. Lavrov") and keeps
quotations together, but it costs about a millisecond per sentence: 20,000 sentences would take half a minute. Most
sentence ends are not in doubt, though: "…multipolar. This is…" (a plain word, not an abbreviation, before the full
stop, a capital after it, no quotation open). The fast path cuts the paragraph there and hands pysbd only the
stretches that still hold a doubtful full stop.

After pysbd:
- "Bolshaya Ordynka St. Its…", "Washington, D.C. The…": an abbreviation that can end a sentence, followed by a word
  that typically starts one, ends it (pysbd does this for "U.S." only);
- "!!!" and "?!" before a capital end a sentence;
- "3.30 p.m. Moscow time" is one expression; "sq." | "km." is one unit.
"""
from __future__ import annotations

import functools
import re

from aligner.numbers import EN_MONTH_ABBREVIATIONS
from aligner.split import rules

_OPENERS = "\"“‘«(["
_CLOSERS = "\"”’»)]"
_NUMBER_WORDS = frozenset("no nos art article p pp para paragraph section chapter annex item point".split())
# A run of sentence punctuation (with closing quotes/brackets) followed by a space: a place a sentence may end.
_CANDIDATE = re.compile(r"[.!?…]+[\"”’»)\]]* +(?=\S)")

# Words that start sentences far more often than they follow "St." or "Inc." inside one.
_STARTERS = "The|This|These|Those|That|It|Its|We|He|She|They|There|In|On|At|As|However|Our|His|Her|Their|Such|A|An|I"
_ABBR_THEN_STARTER = re.compile(
    rf"(?<![A-Za-z.])(?:St|Ave|Blvd|Rd|D\.C|Inc|Ltd|Co|Corp|Jr|Sr|km|kg|U\.S|U\.K|U\.N|E\.U|U\.S\.A)\.\s+"
    rf"(?=[\"“]?(?:{_STARTERS})\b)")
_REPEATED_END = re.compile(r"[!?]{2,}[\"”»]?\s+(?=[\"“«]?[A-Z])")
_TIME_OF_DAY = re.compile(r"\b[ap]\.m\.$")
_TIME_ZONE = re.compile(r"(?:[A-Z][a-z]+ )?(?:time|GMT|UTC)\b")
_LONE_ABBR = re.compile(r"[a-z]{1,4}\.")
# An abbreviated month keeps its day: pysbd cuts "…on Dec." | "15. He met…" (and not after the day).
_MONTHS = "|".join(EN_MONTH_ABBREVIATIONS)
_ABBR_MONTH_END = re.compile(rf"(?<![A-Za-z])(?:{_MONTHS})\.$")
_DAY_START = re.compile(r"\d{1,2}(?!\d)")
_ABBR_MONTH_DAY_END = re.compile(rf"(?<![A-Za-z])(?:{_MONTHS})\. \d{{1,2}}(?:st|nd|rd|th)?\.[\"”’)]*\s+(?=[\"“]?[A-Z])")


@functools.lru_cache(maxsize=1)
def _segmenter():
    import pysbd
    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def _pysbd_sentences(text: str) -> list[str]:
    """pysbd's sentences, without its own search for them in the text.

    ``Segmenter.segment`` finds each sentence again with a regex made from its text: one new pattern per sentence,
    which evicts pysbd's own patterns from re's cache and doubles the cost. We find them with str.find instead.
    """
    from pysbd.processor import Processor
    segmenter = _segmenter()
    return Processor(text, segmenter.language_module, char_span=False).process()


@functools.lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    from pysbd.lang.english import English
    return frozenset(English.Abbreviation.ABBREVIATIONS)


def cuts_en(text: str) -> list[int]:
    cuts = _library_cuts(text)
    cuts = rules.add_cuts(text, cuts, _ABBR_THEN_STARTER)
    cuts = rules.add_cuts(text, cuts, _REPEATED_END)
    cuts = rules.add_cuts(text, cuts, _ABBR_MONTH_DAY_END)
    return rules.merge_where(text, cuts, _one_expression)


def _one_expression(left: str, right: str) -> bool:
    if _ABBR_MONTH_END.search(left) and _DAY_START.match(right):
        return True                      # "on Dec." | "15, 2023"
    if _TIME_OF_DAY.search(left) and _TIME_ZONE.match(right):
        return True
    return bool(_LONE_ABBR.fullmatch(right))


def _library_cuts(text: str) -> list[int]:
    """Cut where the end is plain; run pysbd on each stretch between such cuts that still holds a doubtful end."""
    sure: list[int] = []
    doubtful_after: set[int] = set()     # start offsets of stretches pysbd must look at
    start = 0                            # where the current sentence starts
    quote_from = 0                       # where to count quotation marks from
    doubts = 0
    abbreviations = _abbreviations()
    for m in _CANDIDATE.finditer(text):
        verdict = _verdict(text, quote_from, m, abbreviations)
        if verdict == "cut":
            sure.append(m.end())
            start = quote_from = m.end()
            doubts = 0
        elif verdict == "doubt":
            doubtful_after.add(start)
            doubts += 1
            if doubts >= rules.MAX_QUOTE_PIECES:
                quote_from = m.end()     # a quotation mark unclosed this long is a stray: stop counting it
    cuts = list(sure)
    bounds = [0, *sure, len(text)]
    for a, b in zip(bounds, bounds[1:]):
        if a in doubtful_after:
            cuts.extend(rules.cuts_from_strings(text[a:b], _pysbd_sentences(text[a:b].rstrip()), offset=a))
    return rules.cuts_from_starts(text, cuts)


def _verdict(text: str, start: int, m: re.Match[str], abbreviations: frozenset[str]) -> str:
    """"cut", "none" (no sentence end here) or "doubt" (ask pysbd)."""
    nxt = text[m.end():m.end() + 3].lstrip(_OPENERS)[:1]
    if nxt.islower():
        return "none"
    if not nxt.isupper() or rules.open_quote(text[start:m.end()]):
        return "doubt"
    punct = m.group().rstrip(" ")
    if punct.rstrip(_CLOSERS) != "." or punct[-1] in "\"”»":
        return "cut"                     # ? ! … ... ?! !!!, or a quotation closing after its full stop
    word_start = text.rfind(" ", 0, m.start()) + 1
    word = text[word_start:m.start()].lstrip(_OPENERS).rstrip(_CLOSERS)
    plain = word.replace("-", "").replace("'", "").replace("’", "")
    if len(plain) > 1 and plain.isalpha() and word.lower() not in abbreviations:
        return "cut"                     # "multipolar. This"
    if len(word) > 1 and word.isdigit() and _word_before(text, word_start) not in _NUMBER_WORDS:
        return "cut"                     # "in 2022. The", but not "No. 12. The"
    return "doubt"


def _word_before(text: str, end: int) -> str:
    return text[text.rfind(" ", 0, max(end - 1, 0)) + 1:end].strip().rstrip(".").lower()
