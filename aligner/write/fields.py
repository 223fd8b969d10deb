"""What every writer says about a bead: its document, ids, type, score, origin, flags and the two texts.

One place for these, so the TMX props, the TSV columns and the JSONL keys cannot drift apart.
"""
from __future__ import annotations

import os
import re

from aligner.model import Alignment, Bead, format_bead

# XML 1.0 allows tab, newline and CR among the C0 controls, and nothing in the surrogate block or U+FFFE/U+FFFF.
# lxml refuses such strings outright, and a TMX reader would refuse the file, so they are dropped everywhere.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Whatever a line-oriented reader would take for a line or column break (str.splitlines' list, plus tab).
_BREAKS = re.compile("[\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

COLUMNS = ("doc", "src_ids", "tgt_ids", "type", "score", "origin", "flags", "src", "tgt")


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _XML_FORBIDDEN.sub("", text)


def one_line(text: str) -> str:
    """``text`` fit for one TSV cell or one log line: breaks and tabs become spaces."""
    return _BREAKS.sub(" ", clean_text(text))


def document_name(alignment: Alignment) -> str:
    """x-document: the alignment's name, else the Russian file's name (a TU must always say where it came from)."""
    name = clean_text(alignment.name or "").strip()
    if not name:
        name = clean_text(os.path.basename(alignment.src.path or "")).strip() or "document"
    return name


def target_text(alignment: Alignment, bead: Bead) -> str:
    """The English of a bead: the official translation, or the machine translation that filled the gap."""
    if bead.origin == "MT":
        return bead.mt or ""
    return alignment.tgt_text(bead)


def bead_record(alignment: Alignment, bead: Bead) -> dict:
    """The fields of one bead, in the fixed order of ``COLUMNS``."""
    return {
        "doc": document_name(alignment),
        "src_ids": list(bead.src),
        "tgt_ids": list(bead.tgt),
        "type": bead.kind,
        "score": round(float(bead.score), 4),
        "origin": bead.origin,
        "flags": [clean_text(f) for f in bead.flags],
        "src": clean_text(alignment.src_text(bead)),
        "tgt": clean_text(target_text(alignment, bead)),
    }


def describe_null(alignment: Alignment, bead: Bead, max_chars: int = 80) -> str:
    """One log line for a bead that has no counterpart on one side.

    Sentence numbers are 1-based for people; the bead in brackets keeps the 0-based indices of every output file.
    """
    doc = document_name(alignment)
    if bead.src and not bead.tgt:
        what = _sentences("Russian", bead.src) + (" has" if len(bead.src) == 1 else " have") + " no English"
        text = alignment.src_text(bead)
    elif bead.tgt and not bead.src:
        what = _sentences("English", bead.tgt) + (" has" if len(bead.tgt) == 1 else " have") + " no Russian source"
        text = alignment.tgt_text(bead)
    else:
        what = "empty text on one side"
        text = alignment.src_text(bead) or alignment.tgt_text(bead)
    return f"{doc}: {what} ({format_bead(bead)}): {_snippet(text, max_chars)}"


def _sentences(language: str, indices: tuple[int, ...]) -> str:
    numbers = [i + 1 for i in indices]
    if len(numbers) == 1:
        return f"{language} sentence {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{language} sentences {numbers[0]}-{numbers[-1]}"
    return f"{language} sentences {', '.join(map(str, numbers))}"


def _snippet(text: str, max_chars: int) -> str:
    text = " ".join(one_line(text).split())
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"
