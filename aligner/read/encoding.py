"""Bytes → text. MFA statements arrive as UTF-8 (with or without BOM), UTF-16 saved by Windows editors, or an
8-bit Cyrillic code page from older Russian sites (Windows-1251; rarely KOI8-R, ISO-8859-5 or Mac Cyrillic);
an English file may be Windows-1252. Anything else is refused with the byte offset where it went wrong: a wrong
guess would put mojibake into a translation memory with exit 0.

Order matters: byte-order marks are certain, so they come first; NUL bytes then mean UTF-16 without a BOM or a
binary file; UTF-8 is tried before the 8-bit code pages because they decode almost any byte string (wrongly).
Among the Cyrillic code pages the one whose words look like Russian words wins (see _as_russian_8bit).
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

    decoded = _as_russian_8bit(data, path) or _as_english_cp1252(data)
    if decoded is not None:
        return decoded
    bad = data[utf8_error.start]
    raise InputError(path, f"cannot decode: not UTF-8 (byte 0x{bad:02X} at offset {utf8_error.start}) and not "
                           "Windows-1251 Russian text (nor KOI8-R, ISO-8859-5, Mac Cyrillic, or Windows-1252 "
                           "English); save the file as UTF-8")


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
# The 8-bit Cyrillic code pages Russian files come in. All put the 66 Russian letters in the upper half, at
# different places, so each decodes the others' files into Cyrillic-looking text; the shape of the words tells
# the right one (see _russian_shape).
RUSSIAN_8BIT = ("cp1251", "koi8-r", "iso8859-5", "mac-cyrillic")
_RUSSIAN_WORD = re.compile("[А-ЯЁ]?[а-яё]+|[А-ЯЁ]+")
_LETTERS = re.compile(r"[^\W\d_]+")
_MARKUP = re.compile(r"<[^<>]*>")
# Undefined bytes (cp1251 leaves 0x98 undefined) a Russian file may carry by accident, dropped with a warning.
MAX_STRAY_BYTES = 3
# A decoding whose Cyrillic words are not this often shaped like Russian words is not the file's encoding.
MIN_RUSSIAN_SHAPE = 0.9


def _as_russian_8bit(data: bytes, path: str = "") -> tuple[str, str] | None:
    """Windows-1251, KOI8-R, ISO-8859-5 or Mac Cyrillic, whichever gives Russian text; None when none does.

    Each codepage reads the others' letters as Cyrillic too, but as garbled words: KOI8-R read as cp1251 swaps
    the case of every letter ("ыЕУФШДЕУСФ"), ISO-8859-5 read as cp1251 puts capitals mid-word and symbols in
    place of capitals, Mac Cyrillic read as cp1251 turns capitals into Serbian letters and "я" into "Я". Real
    Russian words are lower-case, capitalised or all capitals, in the Russian alphabet: the decoding with the
    largest share of such words wins, and must reach MIN_RUSSIAN_SHAPE.

    A few bytes the codepage leaves undefined (a stray 0x98 in cp1251) are dropped, with a warning naming the
    first offset, rather than letting another codepage win with mojibake.
    """
    best = None
    for name in RUSSIAN_8BIT:
        text, dropped = _decode_dropping(data, name)
        if text is None:
            continue
        sample = _sample(text)   # the checks below are per character: a sample keeps 50 MB files fast
        if not _cyrillic_only(sample):
            continue
        shape = _russian_shape(sample)
        if shape is None:
            continue
        # Prefer a clean decoding over one that needed bytes dropped, then the better shape.
        rank = (shape >= MIN_RUSSIAN_SHAPE, not dropped, shape)
        if best is None or rank > best[0]:
            best = (rank, text, name, dropped)
    if best is None or not best[0][0]:
        return None
    _, text, name, dropped = best
    if dropped:
        import logging
        logging.getLogger("aligner").warning(
            "%s: %d byte(s) undefined in %s dropped (first at offset %d)", path, len(dropped), name, dropped[0])
    return text, name


def _sample(text: str, size: int = 200_000) -> str:
    if len(text) <= 3 * size:
        return text
    middle = len(text) // 2
    return "\n".join((text[:size], text[middle:middle + size], text[-size:]))


def _decode_dropping(data: bytes, codec: str) -> tuple[str | None, list[int]]:
    """(text, offsets of dropped bytes): strict, or with up to MAX_STRAY_BYTES undefined bytes left out
    (single-byte codecs only: each failure is one byte)."""
    parts: list[str] = []
    dropped: list[int] = []
    pos = 0
    while True:
        try:
            parts.append(data[pos:].decode(codec))
            return "".join(parts), dropped
        except UnicodeDecodeError as exc:
            parts.append(data[pos:pos + exc.start].decode(codec))
            dropped.append(pos + exc.start)
            if len(dropped) > MAX_STRAY_BYTES:
                return None, dropped
            pos += exc.end


def _russian_shape(text: str) -> float | None:
    """Share of the words with non-ASCII letters that are shaped like Russian words; None when there is too
    little Cyrillic to tell (fewer than 5 such words, and fewer of their letters than ASCII ones: "hello \\x98
    world" is not a Russian file because Mac Cyrillic reads 0x98 as "Ш")."""
    good = total = cyrillic_letters = ascii_letters = 0
    for word in _LETTERS.findall(_MARKUP.sub(" ", text)):   # a page's markup is Latin: count its text only
        if word.isascii():
            ascii_letters += len(word)
            continue
        total += 1
        cyrillic_letters += len(word)
        good += _RUSSIAN_WORD.fullmatch(word) is not None
    if total == 0 or (total < 5 and cyrillic_letters < ascii_letters):
        return None
    return good / total


def _cyrillic_only(text: str) -> bool:
    """The non-ASCII characters are Cyrillic letters or the punctuation Russian typography uses."""
    high = [ch for ch in text if ord(ch) >= 0x80]
    if not high:
        return False
    cyrillic = sum(1 for ch in high if "\u0400" <= ch <= "\u04ff")
    return cyrillic > 0 and (cyrillic + sum(1 for ch in high if ch in _CP1251_PUNCT)) / len(high) >= 0.95


# What an English file saved by Windows carries besides ASCII: typographic punctuation and a few accented names.
_CP1252_PUNCT = set("‘’“”–—…•€™\u00a0©®°£§½¼¾×±·«»")
MAX_ACCENTED_SHARE = 0.02   # "Ségolène", "café": English has few; French or German have many


def _as_english_cp1252(data: bytes) -> tuple[str, str] | None:
    """English text in Windows-1252 (smart quotes, dashes, a few accented names), else None.

    A Western-European text in another language (Latin-1 French: "Déclaration du ministère") has far more
    accented letters than English and is refused, as are files with cp1252's rarer symbols (ƒ, ˜, Š).
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [ch for ch in text if ch.isalpha()]
    ascii_letters = sum(1 for ch in letters if ch.isascii())
    accented = 0
    for ch in text:
        if ord(ch) < 0x80 or ch in _CP1252_PUNCT:
            continue
        if ch.isalpha() and "\u00c0" <= ch <= "\u00ff":
            accented += 1
        else:
            return None
    if ascii_letters < 20 or accented > MAX_ACCENTED_SHARE * len(letters):
        return None
    return text, "cp1252"
