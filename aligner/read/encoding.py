"""Bytes → text. MFA statements arrive as UTF-8 (with or without BOM), UTF-16 saved by Windows editors, or
Windows-1251 (or, rarely, KOI8-R) from older Russian sites; anything else is refused with the byte offset where it
went wrong.

Order matters: byte-order marks are certain, so they come first; NUL bytes then mean UTF-16 without a BOM or a
binary file; UTF-8 is tried before Windows-1251 because cp1251 decodes almost any byte string (wrongly).
"""
from __future__ import annotations

import codecs
import re

from aligner.errors import InputError

# UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# The only C0 controls text files have: tab, newline, vertical tab, form feed, carriage return.
_TEXT_CONTROLS = {0x09, 0x0A, 0x0B, 0x0C, 0x0D}
_SAMPLE = 64 * 1024


def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    """Decode a file's bytes; return (text, encoding name). Raise InputError("PATH: problem") when it is not text."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _decode_strict(data[len(bom):], name, path, offset=len(bom)), name

    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        raise InputError(path, f"binary file, not text (NUL byte at offset {data.index(0)})")

    sample = data[:_SAMPLE]
    controls = sum(1 for b in sample if b < 0x20 and b not in _TEXT_CONTROLS or b == 0x7F)
    # A handful of stray controls in a short file is damaged text (they are dropped later), not a binary file.
    if controls >= 8 and controls / len(sample) > 0.05:
        raise InputError(path, f"binary file, not text ({controls} control bytes in the first {len(sample)})")

    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc

    if utf8_error.reason == "unexpected end of data" and utf8_error.end == len(data):
        # Everything before the last few bytes is valid UTF-8: a download or copy was cut short mid-character.
        raise InputError(path, f"truncated UTF-8 at end of file (incomplete character at byte offset "
                               f"{utf8_error.start} of {len(data)})")

    decoded = _as_russian_8bit(data)
    if decoded is not None:
        return decoded
    bad = data[utf8_error.start]
    raise InputError(path, f"cannot decode: not UTF-8 (byte 0x{bad:02X} at offset {utf8_error.start}) and not "
                           "Windows-1251 Russian text; save the file as UTF-8")


def _decode_strict(data: bytes, name: str, path: str, offset: int) -> str:
    try:
        return data.decode("utf-8" if name == "utf-8-sig" else name)
    except UnicodeDecodeError as exc:
        label = name.upper().replace("-SIG", "")
        if exc.reason in ("unexpected end of data", "truncated data") and exc.end == len(data):
            raise InputError(path, f"truncated {label} at end of file (incomplete character at byte offset "
                                   f"{exc.start + offset})") from None
        raise InputError(path, f"cannot decode as {label} (byte order mark present): invalid bytes at offset "
                               f"{exc.start + offset}") from None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a BOM: decode it when the NUL bytes sit on one parity and the result reads as text.

    ASCII spaces, digits and punctuation are ``xx 00`` in UTF-16-LE (``00 xx`` in BE), so even Russian text, whose
    letters are ``xx 04``, shows NULs on one side only. A binary file has NULs on both sides and fails the check.
    """
    if len(data) % 2:
        return None
    sample = data[:_SAMPLE - _SAMPLE % 2]
    even = sum(1 for i in range(0, len(sample), 2) if sample[i] == 0)
    odd = sum(1 for i in range(1, len(sample), 2) if sample[i] == 0)
    pairs = len(sample) // 2
    # A few NULs on the other side are real characters (U+0400 "Ѐ", U+2000 …), hence 1% slack.
    if odd >= pairs * 0.1 and even <= pairs * 0.01:
        name = "utf-16-le"
    elif even >= pairs * 0.1 and odd <= pairs * 0.01:
        name = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(name)
    except UnicodeDecodeError:
        return None
    if not _reads_as_text(text) or not _in_our_scripts(text):
        return None
    return text, name


def _reads_as_text(text: str) -> bool:
    if not text.strip():
        return False
    good = sum(1 for ch in text if ch.isalnum() or ch.isspace() or ch in ".,;:!?-–—«»\"'()[]/%№…“”„’")
    return good / len(text) >= 0.9


def _in_our_scripts(text: str) -> bool:
    """Mostly Latin, Cyrillic, Greek or general punctuation: what a Russian or English file holds.

    An ASCII file with a stray NUL or two passes the parity test, and pairing its bytes gives CJK ideographs,
    which are letters to ``isalnum``; no file this tool aligns is mostly CJK.
    """
    ours = sum(1 for ch in text if ord(ch) < 0x0530 or 0x1E00 <= ord(ch) <= 0x20CF)
    return ours / len(text) >= 0.9


# Characters besides Cyrillic letters that cp1251's upper half legitimately gives in Russian text.
_CP1251_PUNCT = set("«»—–№…“”„‘’•·°±§©®™€\u00a0")


def _as_russian_8bit(data: bytes) -> tuple[str, str] | None:
    """Windows-1251 or KOI8-R, whichever gives Russian text.

    Both codepages put all 66 Russian letters in the upper half, so either decodes the other's files into
    plausible-looking Cyrillic; but each maps the other's lowercase letters to uppercase ("ыЕУФШДЕУСФ"). Real
    running text is mostly lowercase, so the decoding with more lowercase letters is the right one.
    """
    best = None
    for name in ("cp1251", "koi8-r"):
        text = _as_cyrillic(data, name)
        if text is None:
            continue
        letters = [ch for ch in text if "\u0400" <= ch <= "\u04ff" and ch.isalpha()]
        lower = sum(1 for ch in letters if ch.islower()) / max(1, len(letters))
        if best is None or lower > best[0]:
            best = (lower, text, name)
    return (best[1], best[2]) if best else None


def _as_cyrillic(data: bytes, codec: str) -> str | None:
    """The text in ``codec`` if its non-ASCII characters are Cyrillic words, else None.

    cp1251 turns Latin-1 bytes into Cyrillic letters too ("café" → "cafй"), so letters alone are not proof:
    real Russian words are all-Cyrillic, while mis-read Western text mixes one Cyrillic letter into Latin words.
    """
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:   # 0x98 is the one byte cp1251 leaves undefined
        return None
    high = [ch for ch in text if ord(ch) >= 0x80]
    if not high:
        return None
    cyrillic = sum(1 for ch in high if "\u0400" <= ch <= "\u04ff")
    if (cyrillic + sum(1 for ch in high if ch in _CP1251_PUNCT)) / len(high) < 0.95 or cyrillic == 0:
        return None
    # Runs of letters, not whitespace-separated words: in HTML "<p>Москва" is markup then a Russian word.
    words = [w for w in re.findall(r"[^\W\d_]+", text) if any("\u0400" <= ch <= "\u04ff" for ch in w)]
    mixed = sum(1 for w in words if any("a" <= ch.lower() <= "z" for ch in w))
    if mixed > max(1, len(words) // 10):
        return None
    return text
