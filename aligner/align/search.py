"""Dynamic programming over a band of the alignment matrix. Knows nothing about languages or signals.

Given a score for every bead shape ending at every cell, find the monotone path from (0, 0) to (n, m) with the
highest total. Memory is one float and one byte per band cell: linear in the document length for a fixed band.
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence

import numpy as np

from aligner.align.band import Band

Shape = tuple[int, int]
NEG = -1e18


def search(band: Band, shapes: Sequence[Shape], bead_score: Callable[[int, int], np.ndarray],
           boundary: Optional[np.ndarray] = None) -> list[tuple[int, int, int, int]]:
    """Best path as beads ``(i, j, a, b)``: source [i, i+a) aligned with target [j, j+b), in order.

    ``bead_score(a, b)`` gives the (n+1, width) scores of the a-b bead ending at each cell; shapes with a == 0
    (target sentences with no source) must have a constant score, which lets each row be solved with one running
    maximum instead of a loop over columns. ``boundary`` is added whenever a path passes through a cell.
    """
    if len(shapes) >= 127:
        raise ValueError("too many bead shapes")
    n, width = band.n, band.width
    lo = band.lo
    valid = band.valid()
    vertical = [(t, a, b, bead_score(a, b)) for t, (a, b) in enumerate(shapes) if a > 0]
    horizontal = [(t, b, float(np.max(bead_score(0, b)))) for t, (a, b) in enumerate(shapes) if a == 0]
    if any(b != 1 for _, b, _ in horizontal):
        raise ValueError("only 0-1 beads may have no source sentence")
    bnd = boundary if boundary is not None else np.zeros(band.shape, dtype=np.float32)

    score = np.full(band.shape, NEG, dtype=np.float64)
    back = np.full(band.shape, -1, dtype=np.int8)

    # Rows are short (the band's width) and many: the loop body reuses its buffers and calls numpy as few times
    # as it can, since per-call overhead, not arithmetic, is what a row costs.
    cand = np.empty(width, dtype=np.float64)
    better = np.empty(width, dtype=bool)
    for i in range(n + 1):
        row = np.full(width, NEG, dtype=np.float64)
        came = np.full(width, -1, dtype=np.int8)
        if i == 0 and lo[0] == 0:
            row[0] = 0.0
        for t, a, b, s in vertical:
            if i - a < 0:
                continue
            # the a-b bead ending at column w starts at column w + shift of row i - a
            shift = int(lo[i] - lo[i - a]) - b
            prev = score[i - a]
            if shift >= 0:
                k = width - shift
                if k <= 0:
                    continue
                np.add(prev[shift:], s[i][:k], out=cand[:k])
                cand[k:] = NEG
            else:
                k = width + shift
                if k <= 0:
                    continue
                np.add(prev[:k], s[i][-shift:], out=cand[-shift:])
                cand[:-shift] = NEG
            np.greater(cand, row, out=better)
            np.copyto(row, cand, where=better)
            np.copyto(came, t, where=better)
        arrive = row + bnd[i]
        if horizontal:
            t, _, step = horizontal[0]
            steps = step + bnd[i].astype(np.float64)
            prefix = np.cumsum(steps)
            chained = prefix + np.maximum.accumulate(arrive - prefix)   # ≥ arrive: k = w is "start here"
            came = np.where(chained > arrive + 1e-9, t, came)
            arrive = chained
        arrive = np.where(valid[i] & (arrive > NEG / 2), arrive, NEG)
        score[i] = arrive
        back[i] = came

    return _backtrack(band, shapes, back)


def _backtrack(band: Band, shapes: Sequence[Shape], back: np.ndarray) -> list[tuple[int, int, int, int]]:
    i, j = band.n, band.m
    beads = []
    while i > 0 or j > 0:
        t = back[i, j - band.lo[i]]
        if t < 0:
            raise RuntimeError(f"no path through the band at ({i}, {j})")
        a, b = shapes[t]
        i, j = i - a, j - b
        beads.append((i, j, a, b))
    beads.reverse()
    return beads
