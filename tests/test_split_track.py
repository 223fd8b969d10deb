"""Scoring of the splitting track (benchmarks/multilingual.py): boundaries are offsets in the text without spaces
and quotation marks, counted as a multiset. Hand-made paragraphs; expected counts worked out by hand."""
from __future__ import annotations

import pytest

from benchmarks.multilingual import _counts, _ends, score_split

# Text+Berg's case: the closing » of a sentence starts the next gold line.
HIMALAYA_GOLD = ["«Die Flüsse sind älter als der Himalaya.", "» Das Arun-Tal ist alt.", "Es regnet."]


def counts(gold: list[str], test: list[str]) -> tuple[int, int, int]:
    return _counts(_ends(gold, gold=True), _ends(test))


def test_closing_quote_on_the_next_line_is_one_boundary():
    # "DieFlüssesindälteralsderHimalaya." is 33 characters once spaces and quotes are left out,
    # "DasArun-Talistalt." 18 more
    assert _ends(HIMALAYA_GOLD, gold=True) == {33: 1, 51: 1}
    test = ["«Die Flüsse sind älter als der Himalaya.»", "Das Arun-Tal ist alt.", "Es regnet."]
    assert counts(HIMALAYA_GOLD, test) == (2, 0, 0)      # before the fix: 1 true, 1 false, 1 missed


@pytest.mark.parametrize("gold, test", [
    (["Er ging.", "„Komm“, sagte sie."], ["Er ging. „", "Komm“, sagte sie."]),           # opening mark
    (["目的。", "\"因此，年度财务报告是唯一手段。"], ["目的。\"", "因此，年度财务报告是唯一手段。"]),  # stray " (UN zh)
    (["Er sagte ‚ja.‘", "Sie ging."], ["Er sagte ‚ja.", "‘ Sie ging."]),                  # single marks
])
def test_a_boundary_is_the_same_on_either_side_of_a_quotation_mark(gold, test):
    assert counts(gold, test) == (1, 0, 0)


def test_a_sentence_of_quotation_marks_only_is_a_boundary_of_its_own():
    # "Erging." is 7: the splitter's ends after "Er ging." and after "»" both fall on 7, the gold has one there
    assert _ends(["Er ging.", "»", "Sie kam."]) == {7: 2}
    assert counts(["Er ging.»", "Sie kam."], ["Er ging.", "»", "Sie kam."]) == (1, 1, 0)
    # at the paragraph's end: the gold has no boundary, the splitter's "»" makes one
    assert counts(["Er ging.»"], ["Er ging.", "»"]) == (0, 1, 0)


def test_real_boundary_differences_still_count():
    gold = ["Er sagte «Ja.»", "Sie ging."]
    assert counts(gold, ["Er sagte «Ja.» Sie ging."]) == (0, 0, 1)               # missed
    assert counts(gold, ["Er sagte «Ja.» Sie", "ging."]) == (0, 1, 1)            # moved by a word
    assert counts(gold, ["Er sagte", "«Ja.»", "Sie ging."]) == (1, 1, 0)         # one too many


def test_a_gold_lead_in_is_not_a_boundary():
    assert _ends(["Es gilt:", "Erstens gut."], gold=True) == {}
    assert counts(["Es gilt:", "Erstens gut."], ["Es gilt: Erstens gut."]) == (0, 0, 0)


def test_score_split_counts_the_quote_case_once(monkeypatch):
    seen = []

    def split_text(text, lang):
        seen.append((text, lang))
        return ["«Die Flüsse sind älter als der Himalaya.»", "Das Arun-Tal ist alt. Es regnet."]

    monkeypatch.setattr("aligner.split.split_text", split_text)
    row = score_split("de", [HIMALAYA_GOLD])
    assert seen == [("«Die Flüsse sind älter als der Himalaya. » Das Arun-Tal ist alt. Es regnet.", "de")]
    # 2 gold boundaries: the one by the » found, the one before "Es regnet." missed
    assert (row["boundaries"], row["precision"], row["recall"], row["f1"]) == (2, 1.0, 0.5, 0.6667)


def test_the_german_splitter_scores_the_himalaya_paragraph_in_full():
    row = score_split("de", [HIMALAYA_GOLD])
    assert (row["boundaries"], row["precision"], row["recall"]) == (2, 1.0, 1.0)
