"""The reference method (benchmarks/reference.py): Bertalign's published scoring, written from its paper, over the
aligner's own search. Its figure is what the closing notes compare the aligner with, so its scoring is checked
against values worked out by hand, with a stand-in encoder whose vectors are chosen by hand."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from benchmarks.reference import bertalign, neighbour_mean, spans

E = np.eye(4, dtype=np.float32)
BASE = {  # sentence -> its vector; a joined text gets the normalised sum of its sentences' vectors
    "Alpha alpha alpha alpha.": E[0],
    "Beta beta beta beta.": E[1],
    "Aleph one.": (E[0] + E[2]) / np.sqrt(2),
    "Aleph two.": (E[0] - E[2]) / np.sqrt(2),
    "Beth beth beth beth.": E[1],
}


class HandEncoder:
    """What EmbeddingCache.embed gives, from BASE: the sentences of a joined text are found by their full stops."""

    def __init__(self):
        self.seen = []

    def embed(self, texts):
        self.seen += texts
        out = []
        for text in texts:
            parts = [p.strip() + "." for p in text.split(".") if p.strip()]
            v = np.sum([BASE[p] for p in parts], axis=0)
            out.append(v / np.linalg.norm(v))
        return np.array(out, dtype=np.float32)


def test_neighbour_mean_by_hand():
    span = np.array([[1.0, 0.0]])
    single = np.array([[1.0, 0.0], [0.0, 1.0], [np.sqrt(0.5), np.sqrt(0.5)]])
    # dots with the three sentences: 1, 0, 0.7071. A one-sentence span ending at j has neighbours j-1 and j+1:
    # j=0: only sentence 1 (0) -> 0; j=1: sentences 0 and 2 -> (1 + 0.7071) / 2; j=2: only sentence 1 -> 0.
    assert np.allclose(neighbour_mean(span @ single.T, 1), [[0.0, 0.85355, 0.0]], atol=1e-4)
    # A two-sentence span ending at j covers j-1, j: neighbours j-2 and j+1. j=1: only sentence 2 -> 0.7071;
    # j=2: only sentence 0 -> 1.
    assert np.allclose(neighbour_mean(span @ single.T, 2)[0, 1:], [0.70711, 1.0], atol=1e-4)


def test_spans_join_the_sentences_ending_at_each_position():
    encoder = HandEncoder()
    vecs, lengths = spans(["Alpha alpha alpha alpha.", "Beta beta beta beta."], 2, encoder)
    assert encoder.seen == ["Alpha alpha alpha alpha.", "Beta beta beta beta.",
                            "Alpha alpha alpha alpha.", "Alpha alpha alpha alpha. Beta beta beta beta."]
    assert np.allclose(vecs[1, 1], (E[0] + E[1]) / np.sqrt(2))
    assert lengths.tolist() == [[24, 20], [24, 45]]


def test_a_sentence_split_in_two_is_one_bead():
    # "Alpha…" is translated by "Aleph one. Aleph two." together (their joined vector is Alpha's exactly), and each
    # half alone is only 0.71 from it; "Beta…" is "Beth…". Lengths match (24 against 10 + 1 + 10 characters).
    src = ["Alpha alpha alpha alpha.", "Beta beta beta beta."]
    tgt = ["Aleph one.", "Aleph two.", "Beth beth beth beth."]
    beads = bertalign(src, tgt, HandEncoder())
    assert beads == [((0,), (0, 1)), ((1,), (2,))]


def test_a_max_align_below_two_is_one_error_line():
    run = subprocess.run([sys.executable, "-m", "benchmarks", "reference", "--dataset", "textberg", "--max-align", "1"],
                         cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True)
    assert run.returncode != 0
    assert run.stderr.strip().splitlines() == ["error: --max-align 1: it must be at least 2 (1-1 beads)"]
    assert run.stdout == ""
