"""Bead files: one bead per line in Vecalign's notation (``[0, 1]:[0]``, ``[2]:[]``), as `aligner evaluate` reads."""
from __future__ import annotations

from aligner.errors import InputError
from aligner.model import Alignment, format_bead, parse_bead


def render_beads(alignment: Alignment) -> bytes:
    return "".join(format_bead(bead) + "\n" for bead in alignment.beads).encode("utf-8")


def read_beads(path: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Every bead of a bead file, in order; blank lines are skipped."""
    from aligner.fsutil import read_input   # regular files only, size-bounded, never blocks on a FIFO

    try:
        lines = read_input(path, what="cannot read").decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (byte {exc.start})") from None
    beads = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            src, tgt = parse_bead(line)
        except ValueError:
            raise InputError(path, f"line {number}: not a bead like [0, 1]:[0]: {line.strip()[:60]!r}") from None
        if any(i < 0 for i in src + tgt):
            raise InputError(path, f"line {number}: negative sentence index: {line.strip()[:60]!r}")
        beads.append((src, tgt))
    return beads
