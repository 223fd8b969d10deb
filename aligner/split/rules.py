"""Shared machinery of the post-pass: a paragraph is a string plus the offsets where its sentences start.

Every rule adds or removes offsets; none edits the text. So the sentences joined are always the paragraph (the
no-loss invariant holds by construction), and rules for one language cannot garble the text for another.

A *cut* is the offset of the first character of a sentence other than the first. ``cuts`` are sorted and lie
strictly inside the text.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

from aligner.numbers import EN_MONTH_ABBREVIATIONS

# A list number or bullet: "1.", "12)", "а)", "(b)", "IV.", "•", "—". Such a mark on its own is not a sentence.
_BARE_MARK = re.compile(r"\d{1,3}[.)]|\(\d{1,3}\)|[a-zа-яёA-ZА-ЯЁ][.)]|\([a-zа-яё]\)|[IVXLC]{1,6}\.|[•\-–—*]")
# A list number left at the end of the previous sentence ("Первое. 2." | "Второе."): it belongs to the next one.
# Only after sentence punctuation, so "Статья 5." keeps its number; and only numbers and bracketed letters, so
# "и т. д." keeps its "д.".
_TRAILING_MARK = re.compile(r"(\S*)(?<=[.!?:;…])\s+(\d{1,3}[.)]|\(\d{1,3}\)|[a-zа-яё]\)|\([a-zа-яё]\)|[IVXLC]{1,6}\.)$")
# Words after which a number is a reference, not a list item: "см. п. 5.", "Art. 51."
_NUMBER_WORDS = frozenset("п пп ст стр ч гл разд no nos art p pp para paras sec № par nr núm párr n° nº abs".split())
# ... and after an abbreviated month the number is its day: "on Dec. 15." (also "déc.", "Dez.", "dic.")
MONTH_WORDS = frozenset(a.lower() for a in EN_MONTH_ABBREVIATIONS) | {"janv", "févr", "avr", "juil", "déc", "okt",
                                                                       "dez", "febr", "ene", "abr", "ago", "dic"}
_REFERENCE_WORD = re.compile(r"(?<!\w)(?:" + "|".join(sorted(_NUMBER_WORDS - {"№"})) + r")\.$", re.IGNORECASE)
_HAS_WORD = re.compile(r"\w")
_STRAIGHT_OPENER = re.compile(r'(?:^|(?<=[\s(\[«„“—–-]))"')

# Quotations longer than this many sentence pieces are left split: an unclosed quote must not swallow a paragraph.
MAX_QUOTE_PIECES = 4


def pieces(text: str, cuts: list[int]) -> list[str]:
    bounds = [0, *cuts, len(text)]
    return [p for p in (text[a:b].strip() for a, b in zip(bounds, bounds[1:])) if p]


def cuts_from_starts(text: str, starts: Iterable[int]) -> list[int]:
    """Sentence start offsets as a library reports them, cleaned into valid cuts (sorted, inside, unique)."""
    return sorted({s for s in starts if 0 < s < len(text)})


def cuts_from_strings(text: str, sentences: Iterable[str], offset: int = 0) -> list[int]:
    """Locate a splitter's sentence strings in ``text`` in order; a string it cannot find is simply not a cut."""
    cuts: list[int] = []
    cursor = 0
    for sentence in sentences:
        sentence = sentence.strip()
        if not sentence:
            continue
        found = text.find(sentence, cursor)
        if found == -1:
            found = text.find(sentence[:20], cursor)
        if found == -1:
            continue
        if found > 0:
            cuts.append(found + offset)
        cursor = found + 1
    return cuts


def add_cuts(text: str, cuts: list[int], pattern: re.Pattern[str]) -> list[int]:
    """New sentence starts where ``pattern`` matches (a cut at each match's end)."""
    extra = [m.end() for m in pattern.finditer(text)]
    return cuts_from_starts(text, [*cuts, *extra]) if extra else cuts


def merge_where(text: str, cuts: list[int], join: Callable[[str, str], bool]) -> list[int]:
    """Drop each cut where ``join(sentence so far, next piece)`` says the two belong together."""
    kept: list[int] = []
    start = 0
    bounds = [*cuts, len(text)]
    for i, cut in enumerate(cuts):
        if join(text[start:cut].strip(), text[cut:bounds[i + 1]].strip()):
            continue
        kept.append(cut)
        start = cut
    return kept


def open_quote(text: str) -> bool:
    """A quotation or a parenthesis opened in ``text`` and not yet closed."""
    if text.count("«") > text.count("»") or text.count("(") > text.count(")"):
        return True
    if '"' in text:
        # A straight quote after a space (or at the start) opens, any other closes. Counting them by direction
        # rather than parity lets a paragraph that carries on a quotation from the previous one ('…," he said.')
        # start with a closing mark without the rest of it counting as quoted.
        openers = len(_STRAIGHT_OPENER.findall(text))
        if openers > text.count('"') - openers:
            return True
    if "„" in text:  # Russian/German inner quotes „…“: here “ closes
        return text.count("„") > text.count("“")
    return text.count("“") > text.count("”")


# --- the shared post-pass -----------------------------------------------------------------------------------------

def post_pass(text: str, cuts: list[int]) -> list[int]:
    cuts = _move_trailing_marks(text, cuts)
    cuts = merge_where(text, cuts, _belongs_together)
    return _join_quotations(text, cuts)


def _move_trailing_marks(text: str, cuts: list[int]) -> list[int]:
    moved: list[int] = []
    bounds = [0, *cuts]
    for i, cut in enumerate(cuts):
        piece = text[bounds[i]:cut].rstrip()
        m = _TRAILING_MARK.search(piece, max(0, len(piece) - 24))   # the mark is at the very end: look there only
        if m and m.group(1).rstrip(".").lower() not in _NUMBER_WORDS | MONTH_WORDS:
            cut = bounds[i] + m.start(2)
        moved.append(cut)
    return cuts_from_starts(text, moved)


def _belongs_together(left: str, right: str) -> bool:
    if _BARE_MARK.fullmatch(left):
        return True      # "1." | "Стороны подтверждают…": the number goes with its item
    if left.endswith((":", ";", ",")):
        return True      # a dialogue label, a list lead-in, a clause: never the end of a sentence
    if not _HAS_WORD.search(right):
        return True      # a stray closing quote, bracket or dash belongs to what precedes it
    if right[:1].isdigit() and _REFERENCE_WORD.search(left):
        return True      # "see para." | "5 of the report": a reference and its number
    return False


def _join_quotations(text: str, cuts: list[int]) -> list[int]:
    """Keep a quotation (or parenthesis) that spans a sentence end within the sentence that quotes it.

    «Мы готовы к диалогу. Но только на равноправной основе», – заявил Министр. → one sentence; so is a quoted
    title with a full stop inside. A quotation still open after MAX_QUOTE_PIECES pieces is left split.
    """
    kept: list[int] = []
    bounds = [*cuts, len(text)]
    start = 0
    i = 0
    while i < len(cuts):
        if open_quote(text[start:cuts[i]]):
            for j in range(i, min(i + MAX_QUOTE_PIECES, len(cuts))):
                if not open_quote(text[start:bounds[j + 1]]):
                    i = j + 1            # drop cuts i..j: the quotation closes in piece j+1
                    break
            else:
                kept.append(cuts[i])
                start = cuts[i]
                i += 1
            continue
        kept.append(cuts[i])
        start = cuts[i]
        i += 1
    return kept
