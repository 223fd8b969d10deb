"""A tiny but valid argostranslate package (ru→en unless told another pair), built in a second or two, for tests
and benchmarks.

No real model can be downloaded where the tests run, so this builds one the real way: a sentencepiece model
trained on generated lines, a CTranslate2 Transformer saved through the converter API, the argos folder layout
(``metadata.json``, ``sentencepiece.model``, ``model/``) zipped into a ``.argosmodel``. Installing and running it goes
through exactly the code paths a real package does.

The weights are not random: every attention and feed-forward sublayer is zeroed, so the decoder state at step t is
its learned position encoding alone, and the output projection maps step t to the t-th piece of a fixed sentence,
then to ``</s>``. The model therefore "translates" every input to ``output`` — a value tests can know by hand.
"""
from __future__ import annotations

import json
import os
import random
import tempfile
import zipfile
from pathlib import Path

import numpy as np

TINY_OUTPUT = "Peace and cooperation."
TINY_VERSION = "0.1"
_NAMES = {"ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fr": "French", "ru": "Russian",
          "zh": "Chinese"}
_RUSSIAN = ("мир сотрудничество министр иностранных дел россия беларусь заявление коллегия договор "
            "безопасность партнёры переговоры декабря москва президент правительство вопрос").split()
_ENGLISH = ("peace and cooperation minister foreign affairs russia belarus statement board treaty security "
            "partners talks december moscow president government question").split()


def _train_sentencepiece(folder: Path, vocab_size: int, output: str) -> Path:
    import sentencepiece as spm

    rng = random.Random(13)
    lines = []
    for _ in range(400):
        words = _RUSSIAN if rng.random() < 0.5 else _ENGLISH
        lines.append(" ".join(rng.choice(words) for _ in range(rng.randint(3, 12))).capitalize() + ".")
    lines += [output] * 5  # every character of the output must be in the vocabulary
    prefix = folder / "sentencepiece"
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_prefix=str(prefix), vocab_size=vocab_size,
        model_type="unigram", character_coverage=1.0, num_threads=1, minloglevel=2,
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1, hard_vocab_limit=False)
    (folder / "sentencepiece.vocab").unlink(missing_ok=True)
    return prefix.with_suffix(".model")


def _transformer_spec(vocab: list[str], output_pieces: list[str], d: int = 32, ffn: int = 64,
                      max_positions: int = 1024):
    from ctranslate2.specs import transformer_spec

    if len(output_pieces) + 1 > d:
        raise ValueError(f"the tiny model can emit at most {d - 1} pieces")
    rng = np.random.default_rng(7)
    spec = transformer_spec.TransformerSpec.from_config(1, 2)
    size = len(vocab)

    def small(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.02).astype(np.float32)

    def zeros(*shape: int) -> np.ndarray:
        return np.zeros(shape, dtype=np.float32)

    def layer_norm(ln) -> None:
        ln.gamma = np.ones(d, dtype=np.float32)
        ln.beta = zeros(d)

    def linear(lin, rows: int, cols: int) -> None:
        lin.weight = zeros(rows, cols)
        lin.bias = zeros(rows)

    def sublayers(layer, cross: bool) -> None:
        layer_norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)   # fused q, k, v
        linear(layer.self_attention.linear[1], d, d)
        if cross:
            layer_norm(layer.attention.layer_norm)
            linear(layer.attention.linear[0], d, d)        # q
            linear(layer.attention.linear[1], 2 * d, d)    # fused k, v
            linear(layer.attention.linear[2], d, d)
        layer_norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, ffn, d)
        linear(layer.ffn.linear_1, d, ffn)

    encoder, decoder = spec.encoder, spec.decoder
    encoder.embeddings[0].weight = small(size, d)
    encoder.position_encodings.encodings = small(max_positions, d)
    layer_norm(encoder.layer_norm)
    sublayers(encoder.layer[0], cross=False)

    # Word embeddings are zero, so step t sees only position row t: one-hot on dimension min(t, n).
    n = len(output_pieces)
    decoder.embeddings.weight = zeros(size, d)
    positions = zeros(max_positions, d)
    for t in range(max_positions):
        positions[t, min(t, n)] = 10.0
    decoder.position_encodings.encodings = positions
    layer_norm(decoder.layer_norm)
    sublayers(decoder.layer[0], cross=True)
    projection = zeros(size, d)
    index = {piece: i for i, piece in enumerate(vocab)}
    for t, piece in enumerate(output_pieces):
        projection[index[piece], t] = 10.0
    projection[index["</s>"], n] = 10.0
    decoder.projection.weight = projection
    decoder.projection.bias = zeros(size)

    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    return spec


def build_tiny_package(dest: str | os.PathLike, output: str = TINY_OUTPUT, version: str = TINY_VERSION,
                       from_code: str = "ru", to_code: str = "en", vocab_size: int = 120,
                       metadata_extra: dict | None = None) -> Path:
    """Write ``translate-<from>_<to>-<version>.argosmodel`` into ``dest`` and return its path."""
    import ctranslate2
    import sentencepiece as spm
    from ctranslate2.converters.converter import Converter

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    folder_name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    with tempfile.TemporaryDirectory(prefix="tiny-argos-") as tmp:
        root = Path(tmp) / folder_name
        root.mkdir()
        sp_path = _train_sentencepiece(root, vocab_size, output)
        sp = spm.SentencePieceProcessor(model_file=str(sp_path))
        vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
        pieces = sp.encode(output, out_type=str)
        if sp.unk_id() in sp.encode(output):
            raise ValueError(f"cannot build a tiny model emitting {output!r}: unknown pieces")
        spec = _transformer_spec(vocab, pieces)

        class _SpecConverter(Converter):
            def _load(self):
                return spec

        _SpecConverter().convert(str(root / "model"), force=True)
        assert ctranslate2.contains_model(str(root / "model"))
        metadata = {
            "package_version": version, "argos_version": "1.9", "from_code": from_code,
            "from_name": _NAMES.get(from_code, from_code), "to_code": to_code, "to_name": _NAMES.get(to_code, to_code),
            "type": "translate",
            "links": [], "description": "tiny test model: translates every sentence to a fixed sentence",
        }
        metadata.update(metadata_extra or {})
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        (root / "README.md").write_text("Tiny test model built by aligner.mt.testing.\n", encoding="utf-8")

        archive = dest / f"{folder_name}.argosmodel"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(root, folder_name + "/")
            for path in sorted(root.rglob("*")):
                zf.write(path, str(path.relative_to(root.parent)) + ("/" if path.is_dir() else ""))
    return archive
