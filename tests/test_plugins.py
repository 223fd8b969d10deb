"""Signals as plug-ins: a new signal is one class that registers itself; the CLI, the default set, the weights and
the signature take it from the registry."""
from __future__ import annotations

import logging

import numpy as np
import pytest
from click.testing import CliRunner

from aligner.align import align_sentences, build_signals, parse_signals
from aligner.align import combine
from aligner.align.signals import REGISTRY, Signal, register, signal_names
from aligner.cli import main
from aligner.model import AlignOptions, Document, Sentence


class ToySignal(Signal):
    """Gains 1 where the two sentences start with the same digit, else 0 (a signal one could write in an hour)."""
    name = "toy"
    order = 15
    weight = 2.0
    help = "same first digit"

    def prepare(self, src, tgt):
        self.s = np.array([t.text[:1] for t in src])
        self.t = np.array([t.text[:1] for t in tgt])

    def score(self, band, a, b):
        cols = np.clip(band.columns(), 1, max(band.m, 1)) - 1
        rows = np.clip(np.arange(band.n + 1), 1, max(band.n, 1)) - 1
        same = (self.s[rows][:, None] == self.t[cols]).astype(np.float32)
        return same if (a, b) == (1, 1) else np.zeros(band.shape, dtype=np.float32)


@pytest.fixture
def toy():
    register(ToySignal)
    yield ToySignal
    del REGISTRY["toy"]
    combine.PROFILES.pop(frozenset({"length", "toy"}), None)
    combine._warned.discard(frozenset({"length", "toy"}))


def _sentences(texts):
    return [Sentence(t, k, 0) for k, t in enumerate(texts)]


def test_a_registered_signal_is_a_choice_and_part_of_the_default_set(toy):
    assert signal_names()[:3] == ("length", "toy", "anchors")          # by its order
    assert parse_signals("length,toy") == ("length", "toy")
    names = [s.name for s in build_signals(Document("a"), Document("b"),
                                           AlignOptions(signals=None, mt="none"))]
    assert "toy" in names


def test_an_unregistered_signal_is_refused_with_the_registered_choices():
    with pytest.raises(ValueError, match="unknown signal 'toy'; choose from length, anchors, embeddings, muse, mt"):
        parse_signals("length,toy")


def test_an_untuned_combination_warns_once_and_a_registered_profile_silences_it(toy, caplog):
    src = _sentences(["1 один.", "2 два.", "3 три."])
    tgt = _sentences(["1 one.", "2 two.", "3 three."])
    signals = build_signals(Document("a"), Document("b"), AlignOptions(signals=("length", "toy"), mt="none"))
    with caplog.at_level(logging.WARNING, logger="aligner"):
        beads = align_sentences(src, tgt, signals)
        align_sentences(src, tgt, signals)
    warnings = [r.getMessage() for r in caplog.records if "no tuned weights" in r.getMessage()]
    assert len(warnings) == 1 and "length+toy" in warnings[0]
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    # untuned: the toy signal weighs what it declared
    assert combine.weights_for(["length", "toy"]).signals["toy"] == 2.0

    combine.register_profile({"length", "toy"}, combine.Weights({"length": 0.3, "toy": 1.5}))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="aligner"):
        align_sentences(src, tgt, signals)
    assert not [r for r in caplog.records if "no tuned weights" in r.getMessage()]
    assert combine.weights_for(["length", "toy"]).signals["toy"] == 1.5


def test_the_cli_takes_a_registered_signal(toy, tmp_path):
    ru, en = tmp_path / "a.ru.txt", tmp_path / "a.en.txt"
    ru.write_text("1 Первое предложение.\n\n2 Второе предложение.\n", encoding="utf-8")
    en.write_text("1 The first sentence.\n\n2 The second sentence.\n", encoding="utf-8")
    out = tmp_path / "a.beads"
    result = CliRunner().invoke(main, ["align", str(ru), str(en), "-o", str(out), "--format", "beads",
                                       "--signals", "length,toy", "--mt", "none", "--no-fill"])
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines() == ["[0]:[0]", "[1]:[1]"]


def test_the_help_lists_every_built_in_signal_with_its_phrase():
    result = CliRunner().invoke(main, ["align", "--help"])
    text = " ".join(result.output.split())
    for name in ("length", "anchors", "embeddings", "mt"):
        assert f"{name}: {REGISTRY[name].help}" in text
