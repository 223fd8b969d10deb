"""How signal gains become one bead score, and how a score becomes a confidence.

A bead's score is the weighted sum of its signals' gains plus a prior for its shape; a bead with an empty side
scores a constant. Weights were tuned on the dev benchmark only (benchmarks/, docs/alignment.md); each set of
signals has its own weights, because a signal left out changes how much the others must carry.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

import numpy as np

from aligner.align.band import Band
from aligner.align.signals import Signal
from aligner.model import Sentence, text_size

log = logging.getLogger("aligner")


@dataclass(frozen=True)
class Weights:
    signals: dict[str, float]
    # 2-2 beads are rare in real translations and cheap to fake by swallowing an untranslated sentence
    prior: dict[tuple[int, int], float] = field(default_factory=lambda: {(2, 2): -2.0})
    merge: float = -0.6          # prior for any shape beyond 1-1 not listed in ``prior``, per extra sentence
    wide: float = 0.0            # and more per sentence beyond two on one side (1-3, 3-1, 2-3, …)
    null: float = -1.0           # score of a bead with one empty side
    paragraph_both: float = 0.5  # passing a paragraph break on both sides at once
    paragraph_one: float = -0.1  # a paragraph break on one side only
    length_variance: float = 6.8  # Gale & Church's s²
    # embeddings: what a multi-sentence candidate pays for its weakest sentence, and where weak begins
    link_weight: float = 1.0
    link_floor: float = 0.2
    # and what a 1-1 pair pays per unit its gain falls below pair_floor × the document's typical 1-1 gain
    pair_weight: float = 0.0
    pair_floor: float = 0.4
    # a sentence this long or longer is held to the full link_floor (a 1-1 pair's shorter sentence: to the full
    # pair cut), a shorter one to a floor lowered in proportion (0: no allowance for short sentences)
    evidence_chars: int = 0
    # a source sentence left untranslated pays up to (1 + null_short) × null when it is shorter than null_chars
    # (English-like characters), in proportion to how much shorter: see Scorer.bead
    null_short: float = 0.0
    null_chars: int = 80
    # embeddings: a candidate with b > 1 target sentences, each answering the source on its own, gets its positive
    # gain times ((1 + b) / 2) ** split_credit: one good match then explains b sentences of the translation, not one
    # (see EmbeddingSignal.score)
    split_credit: float = 0.0
    # confidence = logistic(slope · (score − mid)), fitted per profile on held-out dev documents (seed 3) so that
    # it estimates the chance that the bead is right
    confidence_slope: float = 2.0
    confidence_mid: float = 0.0

    def prior_of(self, a: int, b: int) -> float:
        if (a, b) in self.prior:
            return self.prior[(a, b)]
        return self.merge * (a + b - 2) + self.wide * (max(a - 2, 0) + max(b - 2, 0))


# Tuned on the dev benchmark (see docs/alignment.md for the procedure and figures).
PROFILES: dict[frozenset[str], Weights] = {
    frozenset({"length", "anchors"}): Weights(
        {"length": 0.33, "anchors": 1.34}, merge=-0.6, null=-0.5, prior={(2, 2): -2.36}, length_variance=8.84,
        confidence_mid=-0.95, confidence_slope=2.0),
    frozenset({"length", "anchors", "embeddings"}): Weights(
        {"length": 0.2667, "anchors": 0.2133, "embeddings": 3.0}, merge=-0.02, wide=0.1, null=-0.25, prior={},
        link_weight=0.5, link_floor=0.3, pair_weight=1.5, pair_floor=0.6, evidence_chars=80, null_short=1.0,
        split_credit=0.2, length_variance=10.2, confidence_mid=-0.2, confidence_slope=2.0),
    # The fast signal (mUSE) in place of e5: e5's profile with mUSE's weight chosen on the tuning objective (3, 4, 5,
    # 6 tried: docs/alignment.md, *The fast signal*); e5's own settings (link_*, pair_*, split_credit) do not apply.
    frozenset({"length", "anchors", "muse"}): Weights(
        {"length": 0.2667, "anchors": 0.2133, "muse": 5.0}, merge=-0.02, wide=0.1, null=-0.25, prior={},
        evidence_chars=80, null_short=1.0, length_variance=10.2, confidence_mid=-0.2, confidence_slope=2.0),
    frozenset({"length", "anchors", "mt"}): Weights(
        {"length": 0.14, "anchors": 0.72, "mt": 3.9}, merge=-0.2, null=-0.1, length_variance=10.2,
        confidence_mid=-0.45, confidence_slope=1.5),
    frozenset({"length", "anchors", "embeddings", "mt"}): Weights(
        {"length": 0.2667, "anchors": 0.2133, "embeddings": 3.0, "mt": 4.0}, merge=-0.02, wide=0.1, null=-0.25,
        prior={}, link_weight=0.5, link_floor=0.2, pair_weight=1.5, pair_floor=0.4, evidence_chars=0,
        length_variance=10.2, confidence_mid=0.0, confidence_slope=1.5),
}
FALLBACK = Weights({"length": 0.3, "anchors": 1.0, "embeddings": 3.0, "mt": 3.0}, null=-1.0)


def register_profile(names, weights: Weights) -> None:
    """A plug-in signal's tuned settings: the weights of one combination it takes part in."""
    PROFILES[frozenset(names)] = weights


_warned: set[frozenset[str]] = set()


def weights_for(names: list[str]) -> Weights:
    """The tuned profile of these signals; else FALLBACK's weights, each signal's own ``weight`` for the rest,
    with a warning (once per combination): nobody has measured how such a combination aligns."""
    from aligner.align.signals import REGISTRY

    key = frozenset(names)
    if key in PROFILES:
        return PROFILES[key]
    if key not in _warned:
        _warned.add(key)
        log.warning("no tuned weights for the signals %s: using untuned defaults (python -m benchmarks fit "
                    "--signals %s fits a profile)", "+".join(sorted(key)), ",".join(sorted(key)))
    base = FALLBACK
    return Weights({k: base.signals.get(k, REGISTRY[k].weight if k in REGISTRY else 1.0) for k in key},
                   null=base.null)


class Scorer:
    def __init__(self, signals: list[Signal], weights: Weights, band: Band,
                 src: list[Sentence] | None = None, tgt: list[Sentence] | None = None):
        self.signals = signals
        self.weights = weights
        self.band = band
        self.src_breaks = _breaks(src)
        self.tgt_breaks = _breaks(tgt)
        self.src_null = None
        if src and weights.null_short:
            # A short source line ("-- Да что же?", "Все знаю.") is far more often half of a unit the translator
            # re-cut than a sentence left untranslated, and its own similarity says little either way; so leaving
            # it out costs more. Only the source side: one-sided boilerplate ("Unofficial translation.") is an
            # addition of the translation, and short target lines keep the plain null cost.
            size = np.array([0.0] + [text_size(s.text) for s in src], dtype=np.float32)
            short = 1.0 - np.minimum(size / weights.null_chars, 1.0)
            self.src_null = (weights.null * (1.0 + weights.null_short * short)).astype(np.float32)

    def bead(self, a: int, b: int) -> np.ndarray:
        if a == 0 or b == 0:
            if b == 0 and self.src_null is not None:
                # the 1-0 bead ending at row i leaves out source sentence i-1 (a == 1: shapes_for)
                return np.repeat(self.src_null[:, None], self.band.width, axis=1)
            return np.full(self.band.shape, self.weights.null * (a + b), dtype=np.float32)
        total = np.full(self.band.shape, self.weights.prior_of(a, b), dtype=np.float32)
        for signal in self.signals:
            w = self.weights.signals.get(signal.name, 0.0)
            if w:
                total += w * signal.score(self.band, a, b)
        return total

    def boundary(self) -> np.ndarray | None:
        """Paragraph breaks as soft anchors: a bonus where the path crosses breaks on both sides together."""
        if self.src_breaks is None or self.tgt_breaks is None:
            return None
        rows = self.src_breaks[:, None]
        cols = self.tgt_breaks[np.clip(self.band.columns(), 0, self.band.m)]
        w = self.weights
        return np.where(rows & cols, w.paragraph_both,
                        np.where(rows ^ cols, w.paragraph_one, 0.0)).astype(np.float32)

    def confidence(self, score: float, a: int, b: int) -> float:
        if a == 0 or b == 0:
            return 0.0
        w = self.weights
        return 1.0 / (1.0 + math.exp(-w.confidence_slope * (score - w.confidence_mid)))


def _breaks(sentences: list[Sentence] | None) -> np.ndarray | None:
    """(len+1,) True at positions where a paragraph starts (and at both ends)."""
    if not sentences:
        return None
    par = np.array([s.paragraph for s in sentences])
    out = np.ones(len(sentences) + 1, dtype=bool)
    out[1:-1] = par[1:] != par[:-1]
    if len(set(par.tolist())) == 1:
        return None   # one paragraph: nothing to anchor on
    return out
