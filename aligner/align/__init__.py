"""Sentence alignment: signals score candidate beads, the search finds the best monotone path.

Short documents are searched over the full matrix. Long ones first get a coarse alignment of sentence blocks from
the cheap signals; the fine search then runs in a band around it, so memory grows with the length, not with the
product of the two lengths.
"""
from __future__ import annotations

import logging
import math
from typing import Optional, Sequence

import numpy as np

from aligner.align.band import Band
from aligner.align.combine import Scorer, Weights, weights_for
from aligner.align.search import search
from aligner.align.signals import REGISTRY, BuildContext, Signal, signal_names
from aligner.model import Bead, Document, Sentence

log = logging.getLogger("aligner")

FULL_MATRIX_CELLS = 2_500_000     # above this the search runs in a band around a coarse path
COARSE_BLOCK = 8                  # sentences per block in the coarse pass (recursively, for very long documents)
MIN_HALF_BAND = 24
WIDE_HALF_BAND = 64
EDGE = 3                          # a path this close to a band edge was cut off by it
MAX_WIDENINGS = 2
MAX_REFINEMENTS = 4


# Beads wider than SQUARE on a side pair with one sentence only (1-4, 4-1, 1-5, …). Translators split one long
# sentence into four or five, but seldom re-cut four sentences into several others (the tuning parts' gold: eleven
# 1-4, 1-5 and 4-1 beads, four 2-5 and 4-3), and every shape is one more pass over the band.
SQUARE = 3


def shapes_for(max_bead: int) -> list[tuple[int, int]]:
    if max_bead < 1:
        raise ValueError("max_bead must be at least 1")
    shapes = [(1, 1), (1, 0), (0, 1)]
    square = min(max_bead, SQUARE)
    shapes += [(a, b) for a in range(1, square + 1) for b in range(1, square + 1) if (a, b) != (1, 1)]
    for wide in range(square + 1, max_bead + 1):
        shapes += [(1, wide), (wide, 1)]
    return shapes


def parse_signals(text: Optional[str]) -> Optional[tuple[str, ...]]:
    if text is None or text.strip() in ("", "auto", "all"):
        return None
    names = tuple(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))
    known = signal_names()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown signal {unknown[0]!r}; choose from {', '.join(known)}")
    return names


def __getattr__(name: str):
    if name == "SIGNAL_NAMES":       # what older code imported: now whatever is registered
        return signal_names()
    raise AttributeError(name)


def build_signals(src: Document, tgt: Document, options, mt_lines: Optional[list[str]] = None,
                  resources=None) -> list[Signal]:
    """The signals ``options.signals`` asks for, or every registered one available here when it is None.

    ``resources`` (aligner.resources.Resources) holds the embedder and the translator; None: the process's own.
    """
    if resources is None:
        from aligner.resources import default_resources
        resources = default_resources()
    wanted = options.signals
    out: list[Signal] = []
    for name in signal_names():
        if (name in wanted) if wanted is not None else not REGISTRY[name].opt_in:
            context = BuildContext(options, resources, mt_lines, asked=wanted is not None)
            signal = REGISTRY[name].build(context)
            if signal is not None:
                out.append(signal)
    if not out:
        raise ValueError("no signal to align with")
    return out


def align_sentences(src: list[Sentence], tgt: list[Sentence], signals: list[Signal], max_bead: int = 2,
                    weights: Optional[Weights] = None) -> list[Bead]:
    """Every sentence of both sides in exactly one bead, in order."""
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
    weights = weights or weights_for([s.name for s in signals])
    shapes = shapes_for(max_bead)
    eager = [s for s in signals if not s.lazy]
    lazy = [s for s in signals if s.lazy]
    for signal in eager:
        signal.prepare(src, tgt)
    band = _choose_band(src, tgt, signals, shapes)
    if lazy and eager:
        # A first path without the costly signals tells them where it was unsure: they look only there.
        first_weights = weights_for([s.name for s in eager])
        for signal in eager:
            signal.configure(first_weights, max_bead)
        first = _search(src, tgt, eager, first_weights, band, shapes, refine=False)
        for signal in lazy:
            signal.plan(first)
    for signal in signals:
        signal.configure(weights, max_bead)
    for signal in lazy:
        signal.prepare(src, tgt)
    beads = _search(src, tgt, signals, weights, band, shapes, refine=True)
    for _ in range(MAX_WIDENINGS):
        # A path that runs along the band's edge was cut off by it: the coarse path the band came from was further
        # off than the band's margin (the book: about 70 sentences, where ±64 was the margin). Search again in a band
        # that also holds the margin around this path; the signals keep what they have learned.
        wider = _widen(band, beads, _half_band(signals))
        if wider is None:
            break
        log.info("the path ran along the band's edge: searching again in a band %d wide (was %d)",
                 wider.width, band.width)
        band = wider
        beads = _search(src, tgt, signals, weights, band, shapes, refine=False)
    return beads


def _path_columns(beads: list[Bead], n: int) -> tuple[np.ndarray, np.ndarray]:
    """(n+1,) the first and the last target position the path visits at each source position."""
    first = np.full(n + 1, -1, dtype=np.int64)
    last = np.zeros(n + 1, dtype=np.int64)
    i = j = 0
    first[0] = 0
    for bead in beads:
        i += len(bead.src)
        j += len(bead.tgt)
        if first[i] < 0:
            first[i] = j
        last[i] = j
    return first, last


def _widen(band: Band, beads: list[Bead], half: int) -> Optional[Band]:
    """``band`` and ``half`` target sentences either side of the path, when the path comes within EDGE of an edge
    that is not the matrix's own; else None."""
    n, m = band.n, band.m
    if band.width >= m + 1:
        return None
    first, last = _path_columns(beads, n)
    seen = first >= 0                  # rows inside a bead of several source sentences are passed over
    first = np.maximum.accumulate(np.where(seen, first, 0))
    last = np.maximum.accumulate(last)
    hi = band.lo + band.width - 1
    low_edge = seen & (band.lo > 0) & (first - band.lo < EDGE)
    high_edge = seen & (hi < m) & (hi - last < EDGE)
    if not (low_edge.any() or high_edge.any()):
        return None
    lo = np.minimum(band.lo, np.clip(first - half, 0, m))
    top = np.maximum(hi, np.clip(last + half, 0, m))
    lo = np.minimum.accumulate(lo[::-1])[::-1]          # non-decreasing, and never above where it was
    return Band.holding(n, m, lo, np.maximum.accumulate(top))


def _search(src: list[Sentence], tgt: list[Sentence], signals: list[Signal], weights: Weights, band: Band,
            shapes: Sequence[tuple[int, int]], refine: bool) -> list[Bead]:
    scorer = Scorer(signals, weights, band, src, tgt)
    cache: dict[tuple[int, int], np.ndarray] = {}

    def bead_score(a: int, b: int) -> np.ndarray:
        if (a, b) not in cache:
            cache[(a, b)] = scorer.bead(a, b)
        return cache[(a, b)]

    def best() -> list[Bead]:
        live = [shape for shape in shapes if all(signal.allows(*shape) for signal in signals)]
        return _beads(search(band, live, bead_score, scorer.boundary()), bead_score, scorer, band)

    beads = best()
    # Each refinement looks again where the last path found it hard; signals say when they have nothing to add.
    for _ in range(MAX_REFINEMENTS if refine else 0):
        if not any([signal.refine(beads) for signal in signals]):
            break
        cache.clear()
        beads = best()
    return beads


def _beads(path, bead_score, scorer: Scorer, band: Band) -> list[Bead]:
    beads = []
    for i, j, a, b in path:
        s = float(bead_score(a, b)[i + a, j + b - band.lo[i + a]])
        beads.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), round(scorer.confidence(s, a, b), 4)))
    return beads


def _choose_band(src: list[Sentence], tgt: list[Sentence], signals: list[Signal],
                 shapes: Sequence[tuple[int, int]]) -> Band:
    n, m = len(src), len(tgt)
    if (n + 1) * (m + 1) <= FULL_MATRIX_CELLS:
        return Band.full(n, m)
    size = COARSE_BLOCK
    src_blocks = [range(k, min(k + size, n)) for k in range(0, n, size)]
    tgt_blocks = [range(k, min(k + size, m)) for k in range(0, m, size)]
    coarse_src = _blocks(src, src_blocks)
    coarse_tgt = _blocks(tgt, tgt_blocks)
    coarse_signals = [s.coarse(src, tgt, src_blocks, tgt_blocks) for s in signals if s.cheap]
    log.info("coarse pass: %d×%d blocks of %d sentences", len(src_blocks), len(tgt_blocks), size)
    coarse = align_sentences(coarse_src, coarse_tgt, coarse_signals, max_bead=2)
    # Each fine row gets the span of target positions the coarse path visits there, widened by a margin.
    lo_j = np.full(n + 1, m, dtype=np.int64)
    hi_j = np.zeros(n + 1, dtype=np.int64)
    i0 = j0 = 0
    for bead in coarse:
        i1 = src_blocks[bead.src[-1]].stop if bead.src else i0
        j1 = tgt_blocks[bead.tgt[-1]].stop if bead.tgt else j0
        rows = np.arange(i0, i1 + 1)
        if i1 > i0:
            js = j0 + (rows - i0) * (j1 - j0) / (i1 - i0)
            lo_j[rows] = np.minimum(lo_j[rows], np.floor(js).astype(np.int64))
            hi_j[rows] = np.maximum(hi_j[rows], np.ceil(js).astype(np.int64))
        else:
            lo_j[i0] = min(lo_j[i0], j0)
            hi_j[i0] = max(hi_j[i0], j1)
        i0, j0 = i1, j1
    # The coarse path comes from the cheap signals alone, which can drift by dozens of sentences on literary text
    # (measured on the book: ±24 cost 0.027 strict F1 against the full matrix; ±64 matched it). With a costly
    # signal to find the path inside it, the band gets that room; the search's cost grows with its width only.
    half = max(_half_band(signals), 3 * size)
    lo = np.maximum.accumulate(np.clip(lo_j - half, 0, m))
    hi = np.minimum.accumulate(np.clip(hi_j + half, 0, m)[::-1])[::-1]
    return Band.holding(n, m, lo, hi)


def _half_band(signals: list[Signal]) -> int:
    return WIDE_HALF_BAND if any(not s.cheap for s in signals) else MIN_HALF_BAND


def _blocks(sentences: list[Sentence], blocks: list[range]) -> list[Sentence]:
    return [Sentence(" ".join(sentences[i].text for i in block), k, sentences[block.start].paragraph)
            for k, block in enumerate(blocks)]
