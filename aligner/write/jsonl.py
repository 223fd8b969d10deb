"""JSONL: one JSON object per bead (every bead), keys always in the same order, UTF-8 text as is.

A signed alignment (aligner.signature) adds its signature as the last key of each of its records, so that a
record still says how it was made when lines of several files are mixed.
"""
from __future__ import annotations

import json
from typing import Iterable

from aligner.model import Alignment
from aligner.write.fields import bead_record

# json.dumps escapes C0 controls but, with ensure_ascii=False, writes NEL and the Unicode line/paragraph
# separators raw; readers that split on every line break (Python's str.splitlines, some editors) would cut a
# record in two. Inside a JSON string their \u escapes mean the same thing.
_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def render_jsonl(alignments: Iterable[Alignment]) -> bytes:
    lines = [_escape_breaks(json.dumps(_record(alignment, bead), ensure_ascii=False))
             for alignment in alignments for bead in alignment.beads]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def _record(alignment: Alignment, bead) -> dict:
    record = bead_record(alignment, bead)
    if alignment.signature is not None:
        record["signature"] = str(alignment.signature)
    return record


def _escape_breaks(line: str) -> str:
    for char, escape in _LINE_BREAKS.items():
        line = line.replace(char, escape)
    return line
