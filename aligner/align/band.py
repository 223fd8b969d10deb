"""The part of the alignment matrix the search looks at.

Cell (i, j) means "the first i source and the first j target sentences are aligned". Row i holds the columns
``lo[i] .. lo[i] + width - 1``; ``lo`` never decreases, so memory is rows × width, not rows × columns. A full
matrix is the special case lo = 0, width = m + 1.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Band:
    n: int                  # source sentences
    m: int                  # target sentences
    lo: np.ndarray          # (n+1,) first column of each row
    width: int

    @classmethod
    def full(cls, n: int, m: int) -> "Band":
        return cls(n, m, np.zeros(n + 1, dtype=np.int64), m + 1)

    @classmethod
    def around(cls, n: int, m: int, centre: np.ndarray, half: int) -> "Band":
        """A band of ±half columns around a non-decreasing centre line (one value per row)."""
        width = min(2 * half + 1, m + 1)
        lo = np.clip(np.asarray(centre, dtype=np.int64) - half, 0, m + 1 - width)
        lo = np.maximum.accumulate(lo)
        # the corners must be inside, or no path exists
        lo[0] = 0
        lo[-1] = m + 1 - width
        lo = np.minimum.accumulate(lo[::-1])[::-1]
        return cls(n, m, lo, width)

    @classmethod
    def holding(cls, n: int, m: int, lo: np.ndarray, hi: np.ndarray) -> "Band":
        """The narrowest band that holds columns lo[i] .. hi[i] of every row i (``lo`` non-decreasing), with
        both corners of the matrix inside."""
        width = min(int(np.max(hi - lo)) + 1, m + 1)
        lo = np.minimum(np.maximum.accumulate(lo), m + 1 - width)
        lo[0] = 0
        lo[-1] = m + 1 - width
        return cls(n, m, lo, width)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.n + 1, self.width)

    def columns(self) -> np.ndarray:
        """(n+1, width) absolute column j of every cell."""
        return self.lo[:, None] + np.arange(self.width)[None, :]

    def valid(self) -> np.ndarray:
        return self.columns() <= self.m

    # --- building blocks for signals ---------------------------------------------------------------------------

    def pair_dots(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """(n+1, width) with cell (i, j) = x[i-1] · y[j-1]: the 1-1 bead ending at (i, j); 0 off the matrix."""
        # Row blocks about as tall as the band is wide: each block's product then costs ~2× the band cells it fills.
        chunk = max(32, min(self.width, 512))
        out = np.zeros(self.shape, dtype=np.float32)
        x = np.asarray(x, dtype=np.float32)
        y = np.asarray(y, dtype=np.float32)
        columns = self.columns()
        for start in range(1, self.n + 1, chunk):
            stop = min(start + chunk, self.n + 1)
            c0 = max(int(self.lo[start]) - 1, 0)
            c1 = min(int(self.lo[stop - 1]) + self.width - 1, self.m)
            if c1 <= c0:
                continue
            block = x[start - 1:stop - 1] @ y[c0:c1].T          # rows × (c1 - c0)
            cols = columns[start:stop] - 1 - c0                  # index into block
            ok = (cols >= 0) & (cols < c1 - c0)
            vals = np.take_along_axis(block, np.clip(cols, 0, max(c1 - c0 - 1, 0)), axis=1)
            out[start:stop] = np.where(ok, vals, 0.0)
        return out

    def bead_sum(self, pair: np.ndarray, a: int, b: int) -> np.ndarray:
        """Sum of 1-1 cell values over the a×b sentence pairs that an a-b bead ending at each cell covers."""
        if a == 1 and b == 1:
            return pair
        total = np.zeros(self.shape, dtype=np.float32)
        rows = np.arange(self.n + 1)
        w = np.arange(self.width)[None, :]
        for da in range(a):
            src_rows = rows - da
            ok_row = src_rows >= 1
            r = np.clip(src_rows, 0, self.n)
            shift = (self.lo - self.lo[r])[:, None]
            for db in range(b):
                cols = w + shift - db
                ok = ok_row[:, None] & (cols >= 0) & (cols < self.width)
                vals = pair[r[:, None], np.clip(cols, 0, self.width - 1)]
                total += np.where(ok, vals, 0.0)
        return total

    def row_run(self, values: np.ndarray, a: int) -> np.ndarray:
        """(n+1,) sum of values[i-a .. i-1]: a quantity of the a source sentences a bead ending at row i takes."""
        csum = np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])
        i = np.arange(self.n + 1)
        return (csum[i] - csum[np.clip(i - a, 0, None)]).astype(np.float32)

    def col_run(self, values: np.ndarray, b: int) -> np.ndarray:
        """(n+1, width) sum of values[j-b .. j-1] for the b target sentences of a bead ending at each cell."""
        csum = np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])
        j = np.clip(self.columns(), 0, self.m)
        return (csum[j] - csum[np.clip(j - b, 0, None)]).astype(np.float32)
