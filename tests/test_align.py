"""The aligner core: search, band, signals, and the every-sentence-once invariant."""
from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import aligner.align as align_mod
from aligner.align import align_sentences, parse_signals, shapes_for
from aligner.align.band import Band
from aligner.align.search import search
from aligner.align.signals.anchors import english_anchors, russian_anchors
from aligner.align.signals.length import LengthSignal, log_two_sided_tail
from aligner.align.signals.anchors import AnchorSignal
from aligner.align.signals.mt import MTSignal, ngram_vectors
from aligner.model import Sentence


def sents(texts, paragraphs=None):
    return [Sentence(t, i, (paragraphs or [0] * len(texts))[i]) for i, t in enumerate(texts)]


def covers_once_in_order(beads, n, m):
    src = [i for b in beads for i in b.src]
    tgt = [j for b in beads for j in b.tgt]
    return src == list(range(n)) and tgt == list(range(m)) and all(b.src or b.tgt for b in beads)


# --- search on hand-made scores ------------------------------------------------------------------------------------

def test_search_picks_the_best_total_on_a_hand_made_matrix():
    # 2 source, 1 target sentence. Scores: 1-1 everywhere 1.0, 2-1 ending at (2,1) 3.0, null beads -1.
    # Paths to (2, 1): [1-1, 1-0] = 1 - 1 = 0; [1-0, 1-1] = -1 + 1 = 0; [2-1] = 3; so the 2-1 bead wins.
    band = Band.full(2, 1)

    def score(a, b):
        if a == 0 or b == 0:
            return np.full(band.shape, -1.0 * (a + b), dtype=np.float32)
        out = np.full(band.shape, 1.0 if (a, b) == (1, 1) else -5.0, dtype=np.float32)
        if (a, b) == (2, 1):
            out[2, 1] = 3.0
        return out

    assert search(band, shapes_for(2), score) == [(0, 0, 2, 1)]


def test_search_prefers_nulls_when_nothing_matches():
    # 1 + 1 sentences whose 1-1 score (-5) is worse than a 1-0 plus a 0-1 (-1 + -1).
    band = Band.full(1, 1)

    def score(a, b):
        if a == 0 or b == 0:
            return np.full(band.shape, -1.0, dtype=np.float32)
        return np.full(band.shape, -5.0, dtype=np.float32)

    path = search(band, shapes_for(2), score)
    assert sorted((a, b) for _, _, a, b in path) == [(0, 1), (1, 0)]


def test_banded_search_equals_full_search_when_the_band_holds_the_path():
    rng = np.random.default_rng(0)
    n = m = 40
    full = Band.full(n, m)
    base = rng.normal(size=(n + 1, m + 1)).astype(np.float32)
    base[np.arange(n + 1), np.arange(m + 1)] += 6      # a clear diagonal

    def score_for(band):
        def score(a, b):
            if a == 0 or b == 0:
                return np.full(band.shape, -2.0, dtype=np.float32)
            cols = np.clip(band.columns(), 0, m)
            vals = base[np.arange(n + 1)[:, None], cols]
            return (vals - (a + b - 2) * 3).astype(np.float32)
        return score

    banded = Band.around(n, m, np.arange(n + 1), 5)
    assert banded.width == 11
    assert search(full, shapes_for(2), score_for(full)) == search(banded, shapes_for(2), score_for(banded))


def test_band_pair_dots_and_bead_sums_match_a_direct_computation():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(7, 3)).astype(np.float32)
    y = rng.normal(size=(6, 3)).astype(np.float32)
    band = Band.around(7, 6, np.round(np.arange(8) * 6 / 7).astype(int), 2)
    pair = band.pair_dots(x, y)
    two_one = band.bead_sum(pair, 2, 1)
    for i in range(2, 8):
        for w in range(band.width):
            j = band.lo[i] + w
            if 1 <= j <= 6:
                assert pair[i, w] == pytest.approx(float(x[i - 1] @ y[j - 1]), abs=1e-4)
                expected = float((x[i - 2] + x[i - 1]) @ y[j - 1])
                src_row_ok = 0 <= j - band.lo[i - 1] < band.width
                if src_row_ok:
                    assert two_one[i, w] == pytest.approx(expected, abs=1e-4)


# --- signals ---------------------------------------------------------------------------------------------------------

def test_two_sided_tail_matches_known_normal_values():
    # P(|Z| >= 0) = 1, P(|Z| >= 1.96) = 0.05, P(|Z| >= 3) = 0.0027 (normal tables)
    got = np.exp(log_two_sided_tail(np.array([0.0, 1.96, -1.96, 3.0])))
    assert got == pytest.approx([1.0, 0.05, 0.05, 0.0027], abs=2e-4)


def test_anchors_survive_translation():
    ru = russian_anchors("15 декабря 2023 г. С.В.Лавров обсудил с Алейником работу НАТО, ОБСЕ и ШОС в Москве.")
    en = english_anchors("On December 15, 2023, Sergey Lavrov discussed NATO, OSCE and SCO work in Moscow with Aleinik.")
    for token in ("#15", "#2023", "@m12", "=nato", "=osce", "=sco", "=moscow", "~lavr", "~alei"):
        assert token in ru and token in en, token


def test_anchors_normalise_decimal_commas_and_acronym_cases():
    assert "#2.5" in russian_anchors("рост на 2,5 процента") and "#2.5" in english_anchors("growth of 2.5 percent")
    assert "=un" in russian_anchors("в ООН") and "=un" in english_anchors("at the United Nations")
    assert "=csto" in russian_anchors("саммит ОДКБ") and "=csto" in english_anchors("the CSTO summit")
    assert "=cis" in russian_anchors("страны СНГ") and "=cis" in english_anchors("CIS countries")


def test_sentence_initial_words_are_not_names_but_names_after_initials_are():
    assert not any(t.startswith("~") for t in english_anchors("This is important."))
    assert "~lavr" in russian_anchors("Об этом заявил С.В.Лавров.")
    assert "~lavr" in russian_anchors("С.В.Лавров заявил об этом.")


def test_mt_ngram_vectors_are_additive_over_sentences():
    a, b = ngram_vectors(["peace talks", "peace talks"])
    assert np.allclose(a, b) and a.sum() > 0


# --- the aligner end to end on sentences ---------------------------------------------------------------------------

RU = ["Министр иностранных дел России С.В.Лавров прибыл в Москву 15 декабря 2023 г.",
      "Он провёл переговоры с коллегами из Белоруссии.",
      "Стороны обсудили работу ОБСЕ и ОДКБ в 2024 году.",
      "Это предложение не было переведено на английский язык и остаётся без пары в переводе.",
      "Встреча завершилась в 18:00."]
EN = ["Russian Foreign Minister Sergey Lavrov arrived in Moscow on December 15, 2023.",
      "He held talks with colleagues from Belarus.",
      "The parties discussed the work of the OSCE",
      "and the CSTO in 2024.",
      "The meeting ended at 18:00."]


def test_length_and_anchors_find_a_split_sentence_and_an_untranslated_one():
    beads = align_sentences(sents(RU), sents(EN), [LengthSignal(), AnchorSignal()])
    pairs = [(b.src, b.tgt) for b in beads]
    assert ((0,), (0,)) in pairs
    assert ((1,), (1,)) in pairs
    assert ((2,), (2, 3)) in pairs          # one Russian sentence, two English ones
    assert ((3,), ()) in pairs              # untranslated
    assert ((4,), (4,)) in pairs
    assert all(0.0 <= b.score <= 1.0 for b in beads)


def test_mt_signal_aligns_with_a_line_parallel_translation():
    mt = ["Russian Foreign Minister S.V. Lavrov arrived in Moscow on 15 December 2023.",
          "He held negotiations with colleagues from Belarus.",
          "The parties discussed the work of the OSCE and the CSTO in 2024.",
          "This sentence was not translated into English and remains without a pair.",
          "The meeting ended at 18:00."]
    beads = align_sentences(sents(RU), sents(EN), [LengthSignal(), AnchorSignal(), MTSignal(translations=mt)])
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2, 3)), ((3,), ()),
                                               ((4,), (4,))]


def test_empty_sides_give_null_beads_only():
    assert [(b.src, b.tgt) for b in align_sentences(sents(["а."]), [], [LengthSignal()])] == [((0,), ())]
    assert [(b.src, b.tgt) for b in align_sentences([], sents(["a.", "b."]), [LengthSignal()])] == \
        [((), (0,)), ((), (1,))]


def _random_text(rng: random.Random, words: int) -> str:
    vocab = ["мир", "peace", "2023", "НАТО", "NATO", "договор", "treaty", "Лавров", "Lavrov", "и", "the", "—", "«",
             "ООН", "UN", "á", "中文", "x" * 40]
    return " ".join(rng.choice(vocab) for _ in range(words)) + "."


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 10_000), st.integers(1, 3))
def test_every_sentence_exactly_once_in_order(n, m, seed, max_bead):
    rng = random.Random(seed)
    src = sents([_random_text(rng, rng.randint(1, 30)) for _ in range(n)],
                sorted(rng.randint(0, 4) for _ in range(n)))
    tgt = sents([_random_text(rng, rng.randint(1, 30)) for _ in range(m)],
                sorted(rng.randint(0, 4) for _ in range(m)))
    beads = align_sentences(src, tgt, [LengthSignal(), AnchorSignal()], max_bead=max_bead)
    assert covers_once_in_order(beads, n, m)
    assert all(len(b.src) <= max_bead and len(b.tgt) <= max_bead for b in beads)


def test_long_documents_use_a_band_and_keep_every_sentence(monkeypatch):
    # Force the coarse-to-fine path on a small document and check it matches the full search on a clean pair.
    rng = random.Random(7)
    texts = [_random_text(rng, rng.randint(3, 25)) for _ in range(300)]
    src, tgt = sents(texts), sents([t.replace("мир", "peace") for t in texts])
    full = align_sentences(src, tgt, [LengthSignal(), AnchorSignal()])
    monkeypatch.setattr(align_mod, "FULL_MATRIX_CELLS", 1000)
    monkeypatch.setattr(align_mod, "COARSE_BLOCK", 4)
    seen = {}
    real_search = align_mod.search

    def spy(band, *args, **kwargs):
        seen.setdefault("widths", []).append((band.n, band.width))
        return real_search(band, *args, **kwargs)

    monkeypatch.setattr(align_mod, "search", spy)
    banded = align_sentences(src, tgt, [LengthSignal(), AnchorSignal()])
    assert covers_once_in_order(banded, 300, 300)
    fine_width = [w for n, w in seen["widths"] if n == 300][0]
    assert fine_width < 301                     # a band, not the full matrix
    assert [(b.src, b.tgt) for b in banded] == [(b.src, b.tgt) for b in full]


def test_parse_signals():
    assert parse_signals(None) is None
    assert parse_signals("length, anchors") == ("length", "anchors")
    with pytest.raises(ValueError, match="unknown signal 'lasers'"):
        parse_signals("length,lasers")


def _numbered(n):
    # Every sentence carries its own figure, so the right pairs are plain to the anchors signal and to a reader.
    ru = [f"Пункт {k + 101} был принят единогласно." for k in range(n)]
    en = [f"Item {k + 101} was adopted unanimously." for k in range(n)]
    return sents(ru), sents(en)


def _off_band(n, shift, half):
    """A band around a path ``shift`` sentences ahead of the true diagonal from row 20 to row 40: it cuts the
    diagonal off there, as a coarse path that drifted further than the band's margin does."""
    centre = np.array([i + (shift if 20 <= i <= 40 else 0) for i in range(n + 1)])
    return Band.around(n, n, np.maximum.accumulate(centre), half)


def test_a_path_along_the_band_edge_gets_a_wider_band_and_the_right_pairs(monkeypatch):
    src, tgt = _numbered(60)
    narrow = _off_band(60, shift=12, half=6)
    assert narrow.lo[30] > 30                   # the true cell (30, 30) is outside this band
    monkeypatch.setattr(align_mod, "_choose_band", lambda *args: narrow)
    widths = []
    real_search = align_mod.search
    monkeypatch.setattr(align_mod, "search", lambda band, *a, **k: widths.append(band.width) or
                        real_search(band, *a, **k))
    beads = align_sentences(src, tgt, [LengthSignal(), AnchorSignal()])
    assert [(b.src, b.tgt) for b in beads] == [((k,), (k,)) for k in range(60)]
    assert widths[0] == narrow.width and widths[-1] > narrow.width
    # Without the second search the narrow band leaves sentences out where it cut the diagonal off.
    monkeypatch.setattr(align_mod, "MAX_WIDENINGS", 0)
    cut = align_sentences(src, tgt, [LengthSignal(), AnchorSignal()])
    assert any(not b.src or not b.tgt for b in cut)


def test_widen_leaves_a_band_alone_when_the_path_keeps_off_its_edges():
    from aligner.align import _widen
    from aligner.model import Bead

    diagonal = [Bead((k,), (k,)) for k in range(60)]
    assert _widen(Band.around(60, 60, np.arange(61), 10), diagonal, 10) is None
    assert _widen(Band.full(60, 60), diagonal, 10) is None
    off = _off_band(60, shift=12, half=6)
    edge = [Bead((k,), (k,)) for k in range(20)] + [Bead((), (k,)) for k in range(20, 26)] + \
           [Bead((k,), (k + 6,)) for k in range(20, 41)] + [Bead((k,), ()) for k in range(41, 47)] + \
           [Bead((k,), (k,)) for k in range(47, 60)]
    wider = _widen(off, edge, 10)
    assert wider is not None
    assert all(wider.lo[i] <= off.lo[i] and wider.lo[i] + wider.width >= off.lo[i] + off.width for i in range(61))
    assert all(wider.lo[i] <= i + 6 - 10 or wider.lo[i] == 0 for i in range(20, 41))   # the margin below the path


@settings(max_examples=25, deadline=None)
@given(st.integers(40, 160), st.integers(40, 160), st.integers(0, 10_000))
def test_banded_and_widened_searches_keep_every_sentence_and_valid_bands(n, m, seed):
    # Unrelated random sides force the paths to wander to the band edges, so the widening runs too.
    rng = random.Random(seed)
    src = sents([_random_text(rng, rng.randint(1, 30)) for _ in range(n)])
    tgt = sents([_random_text(rng, rng.randint(1, 30)) for _ in range(m)])
    bands = []
    real_search = align_mod.search

    def spy(band, *args, **kwargs):
        bands.append(band)
        return real_search(band, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(align_mod, "FULL_MATRIX_CELLS", 500)
        mp.setattr(align_mod, "COARSE_BLOCK", 4)
        mp.setattr(align_mod, "MIN_HALF_BAND", 4)
        mp.setattr(align_mod, "search", spy)
        beads = align_sentences(src, tgt, [LengthSignal(), AnchorSignal()])
    assert covers_once_in_order(beads, n, m)
    for band in bands:
        assert band.lo[0] == 0 and band.lo[-1] + band.width - 1 == band.m
        assert np.all(np.diff(band.lo) >= 0) and 1 <= band.width <= band.m + 1
