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
