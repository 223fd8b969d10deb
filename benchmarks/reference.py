"""python -m benchmarks reference: Bertalign's method over our encoder, as a reference point.

The published figures the aligner is compared with (Text+Berg: Bertalign 0.936 with LaBSE; the book: Vecalign 0.921
with LaBSE) mix two things, a method and an encoder. LaBSE cannot be had here, so this measures the method alone:
Bertalign's second-pass scoring (Liu & Zhu 2022), written here from its paper and published defaults, over the
same 4-bit multilingual-e5-small vectors the aligner uses. Between this figure and the published one lies what the encoder
costs; between this figure and the aligner's, what the aligner's own method gains or loses.

The method, as published (its defaults): every run of up to ``max_align - 1`` consecutive sentences of a side is
joined and embedded; an x-y bead with ``x + y <= max_align`` scores the cosine of the two joined texts, less the
mean cosine of each with the sentence just before and just after the other side's span ("margin"), times a length
penalty ``log2(1 + min/max)`` of the two texts' UTF-8 lengths (the target's scaled by the document's ratio); a bead
with an empty side scores ``skip`` (-0.1). Bertalign searches a window of 5 sentences around a first path of 1-1
anchors; here the search is the aligner's own over the full matrix, which holds every path that window holds
(the tracks are short enough). It builds the tracks as ``run`` does and embeds through the benchmark's cache file
(``bench-out/e5.sqlite``, or ``ALIGNER_EMBEDDINGS_CACHE``), so a second run embeds nothing.

Measured (2026-12-08, strict F1; the aligner's default signals beside it): Text+Berg test0-6 0.908 (aligner 0.895),
Text+Berg dev 0.871 (0.879), the book's tuning part 0.907 (0.919), its held-out half 0.903 (0.903); docs/benchmark.md,
*The method or the encoder?*
"""
from __future__ import annotations

import os
import time

import numpy as np

from aligner.align.band import Band
from aligner.align.search import search
from aligner.align.signals.embeddings import EmbeddingCache
from aligner.evaluate import score_beads
from aligner.read.lines import read_lines
from aligner.write import read_beads
from benchmarks.run import DATASETS, OUT, build, documents


def spans(sentences: list[str], width: int, cache: EmbeddingCache) -> tuple[np.ndarray, np.ndarray]:
    """(width, n, dim) vectors and (width, n) UTF-8 lengths: [k-1, i] is the joined text of the k sentences
    ending at sentence i (fewer at the start of the document, as in Bertalign)."""
    n = len(sentences)
    texts = [" ".join(sentences[max(0, i - k + 1):i + 1]) for k in range(1, width + 1) for i in range(n)]
    vecs = cache.embed(texts).reshape(width, n, -1)
    lengths = np.array([len(t.encode("utf-8")) for t in texts], dtype=np.float64).reshape(width, n)
    return vecs, lengths


def neighbour_mean(dots: np.ndarray, size: int) -> np.ndarray:
    """(n, m): for span i of one side against the other side's span of ``size`` ending at j, the mean cosine of
    span i with the other side's sentence just before that span and the one just after (one of them at an edge).
    ``dots`` (n, m) holds span i · sentence j of the other side."""
    m = dots.shape[1]
    after = np.zeros_like(dots)
    after[:, :-1] = dots[:, 1:]
    before = np.zeros_like(dots)
    if size < m:
        before[:, size:] = dots[:, :-size]
    j = np.arange(m)
    count = (j + 1 < m).astype(np.float64) + (j - size >= 0).astype(np.float64)
    return (after + before) / np.maximum(count, 1.0)[None, :]


def bertalign(src: list[str], tgt: list[str], cache: EmbeddingCache, max_align: int = 5, skip: float = -0.1):
    """Beads ``(source indices, target indices)`` of src and tgt by Bertalign's second-pass scoring."""
    width = max_align - 1
    sv, sl = spans(src, width, cache)
    tv, tl = spans(tgt, width, cache)
    ratio = sl[0].sum() / max(tl[0].sum(), 1.0)
    n, m = len(src), len(tgt)
    band = Band.full(n, m)
    shapes = [(0, 1), (1, 0)] + [(x, y) for x in range(1, max_align) for y in range(1, max_align) if x + y <= max_align]
    # each k-sentence span against the other side's single sentences: the margins of every shape with a k side
    src_dots = [sv[k] @ tv[0].T for k in range(width)]
    tgt_dots = [tv[k] @ sv[0].T for k in range(width)]

    def score(a: int, b: int) -> np.ndarray:
        if a == 0 or b == 0:
            return np.full(band.shape, skip * (a + b), dtype=np.float32)
        cos = sv[a - 1] @ tv[b - 1].T
        margin = (neighbour_mean(src_dots[a - 1], b) + neighbour_mean(tgt_dots[b - 1], a).T) / 2
        src_len, tgt_len = sl[a - 1][:, None], tl[b - 1][None, :] * ratio
        penalty = np.log2(1 + np.minimum(src_len, tgt_len) / np.maximum(src_len, tgt_len))
        out = np.full(band.shape, -1e9, dtype=np.float32)    # a bead that would start before the document
        cells = (cos - margin) * penalty
        rows, cols = np.arange(1, n + 1), np.arange(1, m + 1)
        ok = (rows[:, None] >= a) & (cols[None, :] >= b)
        out[1:, 1:] = np.where(ok, cells, -1e9)
        return out

    return [(tuple(range(i, i + a)), tuple(range(j, j + b))) for i, j, a, b in search(band, shapes, score)]


def _sentences(path) -> list[str]:
    """A track's side as the aligner's `lines` reader sees it (as benchmarks build checks it reads back)."""
    return [s.text for s in read_lines(path.read_text(encoding="utf-8"))[1]]


def main(datasets: list[str], max_align: int = 5) -> None:
    build()
    # the benchmark's own cache file, as `run` and `fit` use it: the single sentences are mostly there already
    cache = EmbeddingCache(os.environ.get("ALIGNER_EMBEDDINGS_CACHE", str(OUT / "e5.sqlite")))
    for dataset in datasets:
        spec = DATASETS[dataset]
        folder, names = documents(dataset)
        start = time.perf_counter()
        gold, test = [], []
        for name in names:
            src, tgt = (_sentences(folder / f"{name}.{ext}") for ext in (spec.src, spec.tgt))
            gold.append(read_beads(str(folder / f"{name}.gold")))
            test.append(bertalign(src, tgt, cache, max_align))
        r = score_beads(gold, test)
        print(f"bertalign-method (e5)  {dataset:<14} docs {len(names):>3}  strict F1 {r['f1_strict']:.3f}  "
              f"lax F1 {r['f1_lax']:.3f}  null {r['null_accuracy']:.3f}  {time.perf_counter() - start:.1f} s",
              flush=True)
    cache.close()
