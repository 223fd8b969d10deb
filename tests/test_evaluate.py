"""`aligner evaluate`: scores worked out by hand (Vecalign's score.py convention)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from aligner.cli import main
from aligner.evaluate import score_beads

# Document A. Gold: [0]:[0]  [1, 2]:[1]  [3]:[]  []:[2]  [4]:[3]
#             Test: [0]:[0]  [1]:[1]     [2]:[]  [3]:[2] [4]:[3]
# Precision over the 5 test beads: strict hits [0]:[0], [4]:[3] → 2/5 = 0.4.
#   Lax also takes [1]:[1] (source 1 and target 1 are in gold [1, 2]:[1]) → 3/5 = 0.6.
#   [2]:[] has no target, [3]:[2]'s source 3 is a null in gold: both lax misses.
# Recall over the 3 gold beads with both sides: [0]:[0], [4]:[3] found → 2/3; lax adds [1, 2]:[1] → 3/3.
# F1 strict = 2·0.4·(2/3) / (0.4 + 2/3) = 0.5; F1 lax = 2·0.6·1 / 1.6 = 0.75.
# 1-1 beads: gold has 2, test 4, 2 shared → P 0.5, R 1 → F1 2/3. Gold nulls [3]:[] and []:[2]: none found.
GOLD_A = ["[0]:[0]", "[1, 2]:[1]", "[3]:[]", "[]:[2]", "[4]:[3]"]
TEST_A = ["[0]:[0]", "[1]:[1]", "[2]:[]", "[3]:[2]", "[4]:[3]"]
# Document B, perfect: 3 test beads all right; 2 gold beads with both sides, both found; its null found.
GOLD_B = ["[0]:[0]", "[1]:[]", "[2]:[1]"]


def beads(lines):
    from aligner.model import parse_bead
    return [parse_bead(line) for line in lines]


def test_one_document_by_hand():
    r = score_beads([beads(GOLD_A)], [beads(TEST_A)])
    assert r["precision_strict"] == pytest.approx(0.4)
    assert r["precision_lax"] == pytest.approx(0.6)
    assert r["recall_strict"] == pytest.approx(2 / 3)
    assert r["recall_lax"] == pytest.approx(1.0)
    assert r["f1_strict"] == pytest.approx(0.5)
    assert r["f1_lax"] == pytest.approx(0.75)
    assert r["f1_1to1"] == pytest.approx(2 / 3)
    assert (r["null_gold"], r["null_found"], r["null_accuracy"]) == (2, 0, 0.0)


def test_pooled_over_documents_by_hand():
    # Pooled precision: strict (2 + 3) / (5 + 3) = 0.625, lax (3 + 3) / 8 = 0.75.
    # Pooled recall: strict (2 + 2) / (3 + 2) = 0.8, lax 5/5 = 1. F1 strict = 2·0.625·0.8 / 1.425.
    r = score_beads([beads(GOLD_A), beads(GOLD_B)], [beads(TEST_A), beads(GOLD_B)])
    assert r["precision_strict"] == pytest.approx(0.625)
    assert r["precision_lax"] == pytest.approx(0.75)
    assert r["recall_strict"] == pytest.approx(0.8)
    assert r["f1_strict"] == pytest.approx(2 * 0.625 * 0.8 / 1.425)
    assert r["null_accuracy"] == pytest.approx(1 / 3)


def test_perfect_and_empty_test():
    perfect = score_beads([beads(GOLD_B)], [beads(GOLD_B)])
    assert perfect["f1_strict"] == perfect["f1_lax"] == perfect["f1_1to1"] == 1.0
    empty = score_beads([beads(GOLD_B)], [[]])
    assert empty["f1_strict"] == 0.0 and empty["recall_strict"] == 0.0


def test_cli_files_and_folders(tmp_path):
    (tmp_path / "a.gold").write_text("\n".join(GOLD_A) + "\n")
    (tmp_path / "a.beads").write_text("\n".join(TEST_A) + "\n")
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "a.gold"), str(tmp_path / "a.beads")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["f1_strict"] == pytest.approx(0.5)

    gold, test = tmp_path / "gold", tmp_path / "test"
    gold.mkdir(), test.mkdir()
    for name, g, t in (("a", GOLD_A, TEST_A), ("b", GOLD_B, GOLD_B)):
        (gold / f"{name}.gold").write_text("\n".join(g) + "\n")
        (test / f"{name}.beads").write_text("\n".join(t) + "\n")
    result = CliRunner().invoke(main, ["evaluate", str(gold), str(test), "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "0.625" in result.stdout and "null beads     1/3" in result.stdout

    (gold / "c.gold").write_text("[0]:[0]\n")
    result = CliRunner().invoke(main, ["evaluate", str(gold), str(test)])
    assert result.exit_code == 1 and "c.beads" in result.stderr


def test_malformed_bead_line_names_file_and_line(tmp_path):
    (tmp_path / "g").write_text("[0]:[0]\nnonsense\n")
    (tmp_path / "t").write_text("[0]:[0]\n")
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "g"), str(tmp_path / "t")])
    assert result.exit_code == 1 and str(tmp_path / "g") in result.stderr and "line 2" in result.stderr


# Document C, merges both ways, every bead off by a little: nothing strict, most of it lax.
# Gold: [0]:[0]  [1]:[1]  [2]:[]  [3, 4]:[2]  [5]:[3, 4]
# Test: [0, 1]:[0, 1]  [2, 3]:[2]  [4]:[]  [5]:[3]  []:[4]
# Precision, 5 test beads: none equals a gold bead → strict 0/5. Lax, through the gold's source→target map
#   (0→{0}, 1→{1}, 2→{}, 3→{2}, 4→{2}, 5→{3, 4}): [0, 1]:[0, 1] reaches {0, 1} ✓; [2, 3]:[2] reaches {2} ✓;
#   [4]:[] has no target ✗; [5]:[3] reaches {3, 4} ✓; []:[4] has no source ✗ → 3/5.
# Recall, 4 gold beads with both sides ([2]:[] left out) against the 3 test beads with both sides: strict 0/4;
#   lax through the test's map (0→{0, 1}, 1→{0, 1}, 2→{2}, 3→{2}, 5→{3}): all four gold beads reach a target → 4/4.
# F1 strict 0 (P = R = 0); F1 lax 2·0.6·1/1.6 = 0.75. 1-1: gold [0]:[0], [1]:[1]; test [5]:[3]; none shared → 0.
# Gold null [2]:[] not in the test → 0/1.
GOLD_C = ["[0]:[0]", "[1]:[1]", "[2]:[]", "[3, 4]:[2]", "[5]:[3, 4]"]
TEST_C = ["[0, 1]:[0, 1]", "[2, 3]:[2]", "[4]:[]", "[5]:[3]", "[]:[4]"]


def test_merges_lax_but_not_strict_by_hand():
    r = score_beads([beads(GOLD_C)], [beads(TEST_C)])
    assert (r["precision_strict"], r["recall_strict"], r["f1_strict"]) == (0.0, 0.0, 0.0)
    assert r["precision_lax"] == pytest.approx(0.6)
    assert r["recall_lax"] == pytest.approx(1.0)
    assert r["f1_lax"] == pytest.approx(0.75)
    assert r["f1_1to1"] == 0.0
    assert (r["null_gold"], r["null_found"], r["null_accuracy"]) == (1, 0, 0.0)


def test_test_nulls_cost_precision_only():
    # Gold [0]:[0] [1]:[1]; the test splits the second into two nulls: [0]:[0] [1]:[] []:[1].
    # Precision: 1 of 3 test beads strict; lax the same, since a null bead cannot share both sides → 1/3.
    # Recall: gold beads with both sides 2, test beads with both sides only [0]:[0] → 1/2 strict and lax.
    # F1 = 2·(1/3)·(1/2) / (5/6) = 0.4. No gold nulls → null accuracy n/a (JSON null).
    r = score_beads([beads(["[0]:[0]", "[1]:[1]"])], [beads(["[0]:[0]", "[1]:[]", "[]:[1]"])])
    assert r["precision_strict"] == pytest.approx(1 / 3) and r["precision_lax"] == pytest.approx(1 / 3)
    assert r["recall_strict"] == pytest.approx(0.5) and r["recall_lax"] == pytest.approx(0.5)
    assert r["f1_strict"] == pytest.approx(0.4)
    assert r["null_gold"] == 0 and r["null_accuracy"] is None


def test_cli_empty_test_file_and_bad_pairs(tmp_path):
    # An empty test file is a real (bad) result, not an error: no test beads → precision 0 (0/0 counts as 0, as in
    # Vecalign), recall 0/2, the gold's one null not found.
    (tmp_path / "b.gold").write_text("\n".join(GOLD_B) + "\n")
    (tmp_path / "empty.beads").write_text("")
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "b.gold"), str(tmp_path / "empty.beads")])
    assert result.exit_code == 0, result.output
    r = json.loads(result.stdout)
    assert (r["precision_strict"], r["recall_strict"], r["f1_strict"], r["null_found"], r["null_gold"]) == \
        (0.0, 0.0, 0.0, 0, 1)

    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "b.gold"), str(tmp_path / "nothere.beads")])
    assert result.exit_code == 1 and "nothere.beads" in result.stderr and result.stderr.count("\n") == 1
    folder = tmp_path / "folder"
    folder.mkdir()
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "b.gold"), str(folder)])
    assert result.exit_code == 1 and "two folders" in result.stderr
    # a test folder with a document the gold folder lacks is named too
    gold, test = tmp_path / "g", tmp_path / "t"
    gold.mkdir(), test.mkdir()
    (gold / "a.gold").write_text("[0]:[0]\n")
    (test / "a.beads").write_text("[0]:[0]\n")
    (test / "extra.beads").write_text("[0]:[0]\n")
    result = CliRunner().invoke(main, ["evaluate", str(gold), str(test)])
    assert result.exit_code == 1 and "extra.gold" in result.stderr and result.stderr.count("\n") == 1


def test_f1_by_type_counts_each_shape_on_its_own():
    from aligner.evaluate import f1_by_type

    # gold: 1-1 [0]:[0], 1-2 [1]:[1, 2], 1-0 [2]:[]; test splits the 1-2 into 1-1 [1]:[1] and 0-1 []:[2].
    gold = [[((0,), (0,)), ((1,), (1, 2)), ((2,), ())]]
    test = [[((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), ())]]
    got = f1_by_type(gold, test)
    # 1-1: test has 2, 1 right → P 1/2, R 1/1 → F1 2/3. 1-2: none found → 0. 1-0: 1 of 1 → 1.
    assert got["1-1"] == {"f1": pytest.approx(2 / 3), "gold": 1, "test": 2, "found": 1}
    assert got["1-2"]["f1"] == 0.0 and got["1-2"]["test"] == 0
    assert got["1-0"]["f1"] == 1.0
    assert "0-1" not in got          # only gold shapes are listed
