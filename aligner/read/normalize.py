"""Unicode clean-up shared by every reader (language detection: aligner.read.language).

Web pages and Word exports carry invisible characters (soft hyphens, zero-width spaces, NBSP) that make the same
sentence compare unequal across files and confuse sentence splitters; they go. Typography the translator chose
(«» quotes, em and en dashes, № signs) stays exactly as it is.
"""
from __future__ import annotations

import re
import unicodedata

# Odd spaces become plain spaces: NBSP, the U+2000 block of typographic spaces, narrow NBSP, ideographic space …
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\u000b]")
# Invisible characters that should simply vanish: zero-width space/joiners, word joiner, BOM, soft hyphen.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]")
# Any other control character (C0 except newline, DEL, C1) is noise from a broken export.
_CONTROLS = re.compile("[\u0000-\u0008\u000e-\u001f\u007f-\u009f]")
_RUNS = re.compile(r"[ ]{2,}")
# Anything the substitutions below would change: most lines have none, and one search is cheaper than four subs.
_ANY_CHANGE = re.compile("|".join(r.pattern for r in (_SPACES, _INVISIBLE, _CONTROLS, _RUNS)) + "|\n")


def normalize_newlines(text: str) -> str:
    """One newline convention: CRLF / CR / LINE SEPARATOR → "\\n"; PARAGRAPH SEPARATOR and form feed → a blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u0085", "\n")
    return text.replace("\u2029", "\n\n").replace("\f", "\n\n")


def normalize_line(text: str) -> str:
    """NFC, plain spaces, no invisible characters, single spaces, no leading/trailing space. Newlines become spaces."""
    if _ANY_CHANGE.search(text) is None:
        text = text.strip()
        return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _CONTROLS.sub(" ", text.replace("\n", " "))
    # composed last: removing an invisible character can bring a letter and its combining accent together
    return unicodedata.normalize("NFC", _RUNS.sub(" ", text).strip())
