"""TSV: a header row, then one row per bead — every bead, the ones with an empty side included.

No quoting: tabs and line breaks inside a text become spaces, so each line is one bead and each tab one column.
Read it with ``csv.reader(f, delimiter="\\t", quoting=csv.QUOTE_NONE)`` or ``pandas.read_csv(sep="\\t",
quoting=3)``: a plain ``"`` in a sentence is text, not a quote.
"""
from __future__ import annotations

from typing import Iterable

from aligner.model import Alignment
from aligner.write.fields import COLUMNS, bead_record, one_line


def render_tsv(alignments: Iterable[Alignment]) -> bytes:
    lines = ["\t".join(COLUMNS)]
    for alignment in alignments:
        for bead in alignment.beads:
            record = bead_record(alignment, bead)
            lines.append("\t".join(one_line(_cell(record[column])) for column in COLUMNS))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _cell(value) -> str:
    if isinstance(value, list):
        return ",".join(map(str, value))
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)
