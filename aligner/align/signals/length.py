"""Gale & Church (1993): translated text is about c times as long as its source, with variance growing with length."""
from __future__ import annotations

import numpy as np

from aligner.align.band import Band
from aligner.align.signals import Signal, register
from aligner.model import Sentence


def log_two_sided_tail(delta: np.ndarray) -> np.ndarray:
    """log P(|Z| >= |delta|) for a standard normal Z, stable far into the tail."""
    x = np.abs(delta) / np.sqrt(2.0)
    # Numerical Recipes' erfc approximation (error < 1.2e-7), written in log space so it never underflows.
    t = 1.0 / (1.0 + 0.5 * x)
    poly = (-1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (
        0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
    return np.log(t) - x * x + poly


@register
class LengthSignal(Signal):
    name = "length"
    order = 10
    weight = 0.3
    help = "sentence lengths (Gale & Church)"
    variance = 6.8      # Gale & Church's s² (characters), fitted on their data and stable across language pairs

    def configure(self, weights, max_bead: int = 2) -> None:
        self.variance = weights.length_variance

    def prepare(self, src: list[Sentence], tgt: list[Sentence]) -> None:
        self.ls = np.array([len(s.text) for s in src], dtype=np.float64)
        self.lt = np.array([len(s.text) for s in tgt], dtype=np.float64)
        # The expected ratio is the document's own: it holds for ru→en and for de→fr alike.
        total_s, total_t = self.ls.sum(), self.lt.sum()
        self.ratio = float(total_t / total_s) if total_s > 0 and total_t > 0 else 1.0

    def score(self, band: Band, a: int, b: int) -> np.ndarray:
        ls = band.row_run(self.ls, a)[:, None].astype(np.float64)
        lt = band.col_run(self.lt, b).astype(np.float64)
        c = self.ratio
        mean = np.maximum((c * ls + lt) / 2.0, 1.0)
        delta = (lt - c * ls) / np.sqrt(self.variance * mean)
        return np.maximum(log_two_sided_tail(delta), -12.0).astype(np.float32) + 1.0
