"""Bead files: one bead per line in Vecalign's notation (``[0, 1]:[0]``, ``[2]:[]``), as `aligner evaluate` reads."""
from __future__ import annotations

from aligner.errors import InputError
from aligner.model import Alignment, format_bead, parse_bead


def render_beads(alignment: Alignment) -> bytes:
    return "".join(format_bead(bead) + "\n" for bead in alignment.beads).encode("utf-8")


def read_beads(path: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Every bead of a bead file, in order; blank lines are skipped."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        raise InputError(path, "cannot read: no such file") from None
    except IsADirectoryError:
        raise InputError(path, "cannot read: is a directory") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
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
