"""Per-bead QA flags: short, stable names a reviewer can filter on (documented in docs/quality.md).

  untranslated    Russian with no English (1-0, n-0): the official translation left it out
  no-source       English with no Russian (0-1, 0-n): an addition of the translator, or a misalignment
  mt              the target is machine translation (gap filling), not the official English
  numbers         the figures or dates differ between the two sides, in any pair of the seven languages (see
                  aligner.numbers: "15 000" = "15,000" = "15.000" = "١٥٬٠٠٠" = "一万五千")
  length-ratio    English/Russian length in characters outside the range of real translations (never on a heading:
                  two short sides that do not end like sentences); other pairs around the ratio their languages'
                  densities predict (DENSITY; Chinese counted in English-like units)
  partial         English much shorter than its Russian: likely a partial translation (implies length-ratio)
  low-confidence  the aligner's confidence in a bead with both sides is below LOW_CONFIDENCE

The thresholds come from real translations (WMT22 ru-en test set and the UN dev set in ../shared/data);
docs/quality.md records how they were measured.
"""
from __future__ import annotations

import functools
import re

from aligner.model import Alignment, Bead, language_code, text_size
from aligner.numbers import MONTHS, MULTIPLIER_PATTERNS, ascii_digits, month_pattern, number_tokens, soft_numbers

# English chars / Russian chars of correct 1-1 pairs: pooled WMT22 ru-en (2,016) + UN dev (4,000) segments give
# 0.67 at the 2.5th percentile and 1.37 at the 97.5th (5th-95th: 0.71-1.26). Outside [0.67, 1.37]: about 1 good pair
# in 20 is flagged, so a reviewer sees a short list.
LENGTH_RATIO_RANGE = (0.67, 1.37)
# Short sentences vary too much in length to say anything ("Да." / "Yes, indeed."): the longer side must reach this.
LENGTH_MIN_CHARS = 20
# A likely partial translation: English under half the Russian (below the 0.5th percentile of good pairs, 0.55)
# on a Russian side long enough for the ratio to mean something.
PARTIAL_RATIO = 0.5
PARTIAL_MIN_CHARS = 60
# Headings ("Обмен информацией и опытом" / "Exchange of information and experiences", 1.50) are noun phrases that
# the two languages build with very different lengths, and too short for a ratio to mean anything: a pair in which
# neither side ends like a sentence and both are at most this long is never flagged for length.
HEADING_MAX_CHARS = 80
_SENTENCE_END = tuple(".!?…;:。！？；：؟؛")
_CLOSERS = "\"'»”’)]）」』"
# Bead.score is a calibrated confidence; below a toss-up the reviewer should look.
LOW_CONFIDENCE = 0.5

# Other pairs: the same thresholds, around the ratio the two languages' densities predict. Characters per English
# character, the median ratio of each language's sentence to the English one in the UN dev set (4,000 pairs, English
# side of 20 characters or more); German: its median against French on Text+Berg (dev, test0, test1: 484 1-1 pairs,
# 1.016) times French's. A ratio is divided by DENSITY[tgt]/DENSITY[src], relative to Russian–English's, so that
# Russian–English keeps exactly the thresholds measured for it. On the UN dev set's 4,000 correct pairs, length-ratio
# then fires on 3.5 % (ru-en, as before), 2.7-5.8 % of the Latin, Cyrillic and Arabic pairs (es-fr, en-fr, en-ar,
# ru-fr, fr-ar) and 3.3-6.5 % of the Chinese ones (en-zh, ar-zh, es-zh, ru-zh, fr-zh, zh-fr); with the English/Russian
# range applied as it stands it fired on 85 % of fr-zh and ru-zh pairs and 22 % of fr-ar.
DENSITY = {"en": 1.0, "ru": 1.095, "fr": 1.116, "es": 1.130, "de": 1.134, "ar": 0.848, "zh": 1.0}
# Chinese is measured in English-like units (aligner.model.text_size); the minimum and heading sizes use these units too.

FLAG_NAMES = ("untranslated", "no-source", "mt", "numbers", "length-ratio", "partial", "low-confidence")


def flag_bead(src_text: str, tgt_text: str, bead: Bead, src_lang: str = "ru", tgt_lang: str = "en") -> tuple[str, ...]:
    """The QA flags of one bead, in FLAG_NAMES order.

    ``tgt_text`` is the target of the bead (English unless ``tgt_lang`` says otherwise), or its machine translation
    when the bead was gap-filled: figures and lengths are checked against whatever target the translation memory
    will carry. The languages decide how figures are read (numbers_differ).
    """
    flags: set[str] = set()
    if bead.src and not bead.tgt:
        flags.add("untranslated")
    if bead.tgt and not bead.src:
        flags.add("no-source")
    if bead.origin == "MT":
        flags.add("mt")
    if src_text.strip() and tgt_text.strip():
        if numbers_differ(src_text, tgt_text, src_lang, tgt_lang):
            flags.add("numbers")
        flags.update(length_flags(src_text, tgt_text, src_lang, tgt_lang))
    if bead.src and bead.tgt and bead.score < LOW_CONFIDENCE:
        flags.add("low-confidence")
    return tuple(name for name in FLAG_NAMES if name in flags)


def flag_alignment(alignment: Alignment, src_lang: str | None = None, tgt_lang: str | None = None) -> Alignment:
    """A copy of ``alignment`` with every bead's ``flags`` set. The languages: as given, else the documents'
    (``Document.lang``, which the readers set from --src-lang/--tgt-lang), else Russian and English."""
    src_lang = src_lang or alignment.src.lang or "ru"
    tgt_lang = tgt_lang or alignment.tgt.lang or "en"
    beads = []
    for bead in alignment.beads:
        tgt_text = alignment.tgt_text(bead) if bead.tgt else (bead.mt or "")
        beads.append(bead.with_(flags=flag_bead(alignment.src_text(bead), tgt_text, bead, src_lang, tgt_lang)))
    return Alignment(src=alignment.src, tgt=alignment.tgt, beads=beads, name=alignment.name,
                     signals=alignment.signals)


_DIGITS = re.compile(r"\d+")
# Fast-path hints built from aligner.numbers' month tables, so that a month the full normaliser would find is never
# skipped. Russian is matched on lower-cased text, without re.IGNORECASE (with it the alternation runs about 8 times
# slower); English month names are capitalised in the table already.
_MONTH_HINT_EN = re.compile("|".join(p for p, _ in MONTHS["en"]))
# Matched on lower-cased text, like the Russian month hint.
_MAGNITUDE_HINT = re.compile(r"млн|млрд|трлн|тыс|миллион|миллиард|триллион|million|billion|trillion|thousand|"
                             r"bn\b|mln\b")
_MONTH_HINT_RU = re.compile("|".join(p for p, _ in MONTHS["ru"]))


# Other languages: their month names (aligner.numbers' tables), every language's multiplier words, and in Chinese
# any numeral character ("一万五千", "十二月", "1.5万"), matched on lower-cased text (month_pattern keeps its own case
# rules, so it sees the text as written).
_MAGNITUDE_HINT_ANY = re.compile("|".join(p.lower() for p in MULTIPLIER_PATTERNS))
_ZH_NUMERAL_HINT = re.compile("[〇零一二两三四五六七八九十百千万亿]")


@functools.lru_cache(maxsize=None)
def _hints(lang: str) -> tuple[tuple[re.Pattern[str], bool], ...]:
    """(pattern, matched on lower-cased text): what in a text of ``lang`` could give a token besides its digits."""
    if lang == "ru":
        return (_MONTH_HINT_RU, True), (_MAGNITUDE_HINT, True)
    if lang == "en":
        return (_MONTH_HINT_EN, False), (_MAGNITUDE_HINT, True)
    hints = [(_MAGNITUDE_HINT_ANY, True)]
    months = month_pattern(lang)
    if months is not None:
        hints.append((months, False))
    if lang == "zh":
        hints.append((_ZH_NUMERAL_HINT, False))
    return tuple(hints)


def _may_hold_more(text: str, lang: str) -> bool:
    lower = None
    for pattern, on_lower in _hints(lang):
        if on_lower and lower is None:
            lower = text.lower()
        if pattern.search(lower if on_lower else text):
            return True
    return False


def numbers_differ(src: str, tgt: str, src_lang: str = "ru", tgt_lang: str = "en") -> bool:
    """True when a figure or date of one side is missing from the other (spelled-out small numbers excuse it).

    Any pair of aligner's languages (Russian and English unless told): figures in every script and grouping,
    dates and months by name, multipliers, Chinese numerals (small counts and ordinals in numerals count as
    spelled out, as "three" does), all through aligner.numbers."""
    a, b = language_code(src_lang), language_code(tgt_lang)
    if sorted(_DIGITS.findall(ascii_digits(src))) == sorted(_DIGITS.findall(ascii_digits(tgt))) \
            and not _may_hold_more(tgt, b) and not _may_hold_more(src, a):
        return False    # the same digits, no month names, no magnitudes: nothing the full normaliser could find
    src_tokens = number_tokens(src, a, keep_small=True)
    tgt_tokens = number_tokens(tgt, b, keep_small=True)
    if src_tokens == tgt_tokens:
        return False
    return bool((src_tokens - tgt_tokens - soft_numbers(tgt, b)) or (tgt_tokens - src_tokens - soft_numbers(src, a)))


def looks_like_heading(text: str, lang: str = "") -> bool:
    """Short, and not ended like a sentence (a closing quote or bracket after the full stop still ends one)."""
    text = text.strip()
    return (_size(text, language_code(lang)) <= HEADING_MAX_CHARS
            and not text.rstrip(_CLOSERS).endswith(_SENTENCE_END))


def _size(text: str, lang: str) -> float:
    """Length in characters; in Chinese, in English-like units (Han characters and full-width marks weigh more)."""
    return text_size(text) if lang == "zh" else len(text)


def length_flags(src: str, tgt: str, src_lang: str = "ru", tgt_lang: str = "en") -> tuple[str, ...]:
    """``length-ratio`` and ``partial`` for target/source lengths in characters (English/Russian unless told;
    other pairs relative to the ratio their densities predict, see DENSITY)."""
    a, b = language_code(src_lang), language_code(tgt_lang)
    src, tgt = src.strip(), tgt.strip()
    src_size, tgt_size = _size(src, a), _size(tgt, b)
    if max(src_size, tgt_size) < LENGTH_MIN_CHARS:
        return ()
    if looks_like_heading(src, a) and looks_like_heading(tgt, b):
        return ()
    ratio = tgt_size / src_size / _expected_ratio(a, b)
    low, high = LENGTH_RATIO_RANGE
    if ratio < PARTIAL_RATIO and src_size >= PARTIAL_MIN_CHARS:
        return ("length-ratio", "partial")
    if not low <= ratio <= high:
        return ("length-ratio",)
    return ()


def _expected_ratio(src_lang: str, tgt_lang: str) -> float:
    """The pair's target/source length ratio relative to English/Russian's: 1.0 for ru-en (and unknown languages)."""
    if (src_lang, tgt_lang) == ("ru", "en") or src_lang not in DENSITY or tgt_lang not in DENSITY:
        return 1.0
    return (DENSITY[tgt_lang] * DENSITY["ru"]) / (DENSITY[src_lang] * DENSITY["en"])
