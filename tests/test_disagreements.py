"""Where two alignments disagree (aligner.evaluate.disagreements) and `python -m benchmarks disagreements`, which
shows a sample of those places with their sentences so that a gold can be judged by hand."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


from aligner.evaluate import disagreements
from benchmarks.disagreements import sample
from test_bench_gold import BEADS, write_gold

ROOT = Path(__file__).resolve().parents[1]


def test_each_place_is_a_group_of_beads_linked_by_shared_sentences():
    gold = [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((), (4,)), ((3, 4), (5,)), ((5,), (6,))]
    test = [((0,), (0,)), ((1,), (1,)), ((2,), (2, 3)), ((3,), (4,)), ((4,), (5,)), ((5,), (6,))]
    # By hand: gold [1]:[1, 2] shares source 1 with test [1]:[1] and target 2 with test [2]:[2, 3], which shares
    # source 2 and target 3 with gold [2]:[3]: one place. Gold []:[4] and [3, 4]:[5] link test [3]:[4] and
    # [4]:[5]: a second. [0]:[0] and [5]:[6] are the same on both sides.
    assert disagreements(gold, test) == [
        ([((1,), (1, 2)), ((2,), (3,))], [((1,), (1,)), ((2,), (2, 3))]),
        ([((), (4,)), ((3, 4), (5,))], [((3,), (4,)), ((4,), (5,))]),
    ]
    assert disagreements(gold, gold) == []


def test_null_beads_in_another_order_are_one_place_and_the_same_beads_none():
    gold = [((0,), ()), ((), (0,)), ((1,), (1,))]
    assert disagreements(gold, [((0,), (0,)), ((1,), (1,))]) == [([((0,), ()), ((), (0,))], [((0,), (0,))])]
    # the same two null beads in the other order are the same beads: an F1 would not count them, nor does this
    assert disagreements(gold, [((), (0,)), ((0,), ()), ((1,), (1,))]) == []


def test_a_gold_that_leaves_sentences_out_and_crosses():
    # As Text+Berg's gold: source 1 is in no gold bead, and the gold pairs 3 with 4 before 2 with 3 (a crossing).
    gold = [((0,), (0,)), ((3,), (4,)), ((2,), (3,)), ((4,), (5,))]
    test = [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,)), ((4,), (5,))]
    # by hand: only test [1]:[1, 2] has no gold bead (it holds sentences no gold bead holds)
    assert disagreements(gold, test) == [([], [((1,), (1, 2))])]


def test_sample_is_seeded_and_in_document_order():
    places = list(range(100))
    first = sample(places, 10, seed=7)
    assert first == sample(places, 10, seed=7) and first == sorted(first) and len(set(first)) == 10
    assert sample(places, 10, seed=8) != first
    assert sample(places, 0, seed=7) == places and sample(places, 500, seed=7) == places


def test_command_shows_where_a_wrong_gold_and_the_run_disagree(tmp_path):
    # A gold with one boundary moved: the Russian 2018/2019 sentence given the first English sentence only, and the
    # "Неофициальный перевод." line given the second. The aligner finds the right beads (test_bench_gold checks
    # that on the right gold), so the one place shown is that stretch, with its sentences.
    wrong = list(BEADS)
    wrong[1] = (["In 2018 there were 31 meetings."], ["В 2018 году прошла 31 встреча, а в 2019 году — 44."])
    wrong[2] = (["In 2019 there were 44."], ["Неофициальный перевод."])
    gold = write_gold(tmp_path / "moved.en-ru.jsonl", wrong)
    empty = tmp_path / "no-shared"
    empty.mkdir()
    env = dict(os.environ, ALIGNER_BENCH_OUT=str(tmp_path / "bench-out"), ALIGNER_SHARED=str(empty))

    def bench(*args):
        return subprocess.run([sys.executable, "-m", "benchmarks", *args, "--gold-jsonl", str(gold),
                               "--config", "length+anchors"], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=300)

    unknown = bench("disagreements", "no-such-track")
    assert unknown.returncode != 0 and unknown.stderr.strip().splitlines() == [
        unknown.stderr.strip()] and "unknown track 'no-such-track'" in unknown.stderr
    missing = bench("disagreements", "gold:moved")
    assert missing.returncode != 0 and "first" in missing.stderr and len(missing.stderr.strip().splitlines()) == 1
    assert bench("run").returncode == 0
    shown = bench("disagreements", "gold:moved")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == [
        "gold:moved (length+anchors): 1 place where the run and the gold disagree; 1 shown (seed 7)",
        "",
        "#1 all",
        "  gold [1]:[1]",
        "  gold [2]:[2]",
        "  test [1]:[1, 2]",
        "  test [2]:[]",
        "    src 1: В 2018 году прошла 31 встреча, а в 2019 году — 44.",
        "    src 2: Неофициальный перевод.",
        "    tgt 1: In 2018 there were 31 meetings.",
        "    tgt 2: In 2019 there were 44.",
    ]
