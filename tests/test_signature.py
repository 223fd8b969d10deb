"""The alignment signature: its text, where it is written, and batch resume keyed on it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.cli import main
from aligner.model import AlignOptions, Alignment, Bead, Document, Sentence
from aligner.mt import packages as pk
from aligner.resources import Resources
from aligner.signature import Signature, planned_signature

RU = "Министр провёл переговоры в Москве.\n\nСтороны подписали соглашение о сотрудничестве.\n"
EN = "The minister held talks in Moscow.\n\nThe parties signed a cooperation agreement.\n"


@pytest.fixture(autouse=True)
def _environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ALIGNER_EMBEDDINGS_CACHE", raising=False)


def pair(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.ru.txt").write_text(RU, encoding="utf-8")
    (folder / "a.en.txt").write_text(EN, encoding="utf-8")
    return folder / "a.ru.txt", folder / "a.en.txt"


def test_the_text_of_a_signature_and_back():
    sig = Signature(signals=("length", "anchors", "mt"), profile="tuned", max_bead=3, embedder="none",
                    mt="argos-translate-ru_en-1.9-0123456789ab", fill=True, flags=True, input_format="html",
                    version="0.1.0")
    text = ("aligner|v0.1.0|signals:length+anchors+mt|profile:tuned|max-bead:3|embedder:none|"
            "mt:argos-translate-ru_en-1.9-0123456789ab|fill:yes|flags:yes|format:html")
    assert str(sig) == text
    assert Signature.parse(text) == sig
    with pytest.raises(ValueError, match="not an aligner signature"):
        Signature.parse("BLEU|nrefs:1|case:mixed")


def test_planned_signature_names_the_installed_model(tiny_argosmodel, tmp_path):
    folder = tmp_path / "packages"
    options = AlignOptions(signals=("length", "anchors"), max_bead=2)
    without = planned_signature(options, Resources(packages_dir=folder))
    assert str(without) == ("aligner|v0.1.0|signals:length+anchors|profile:tuned|max-bead:2|embedder:none|mt:none|"
                            "fill:no|flags:yes|format:auto")
    pk.install_package(tiny_argosmodel, folder)
    with_model = planned_signature(options, Resources(packages_dir=folder))
    assert with_model.fill and with_model.mt.startswith("argos-translate-ru_en-0.1-") and len(with_model.mt) == 38
    # --mt none: no model counts; an untuned combination says so.
    off = planned_signature(AlignOptions(signals=("length",), mt="none", max_bead=4), Resources(packages_dir=folder))
    assert str(off) == ("aligner|v0.1.0|signals:length|profile:fallback|max-bead:4|embedder:none|mt:none|"
                        "fill:no|flags:yes|format:auto")


def test_align_writes_the_signature_into_tmx_and_jsonl_and_prints_it_with_v(tmp_path):
    ru, en = pair(tmp_path)
    expected = ("aligner|v0.1.0|signals:length+anchors|profile:tuned|max-bead:2|embedder:none|mt:none|fill:no|"
                "flags:yes|format:text")
    result = CliRunner().invoke(main, ["-v", "align", str(ru), str(en), "-o", str(tmp_path / "out.tmx"),
                                       "--signals", "length,anchors", "--mt", "none", "--max-bead", "2"])
    assert result.exit_code == 0, result.output
    assert f"signature: {expected}" in result.output
    tmx = (tmp_path / "out.tmx").read_bytes()
    assert f'<header creationtool="aligner"'.encode() in tmx
    assert f'    <prop type="x-aligner-signature">{expected}</prop>\n  </header>'.encode() in tmx
    result = CliRunner().invoke(main, ["align", str(ru), str(en), "-o", str(tmp_path / "out.jsonl"),
                                       "--signals", "length,anchors", "--mt", "none", "--max-bead", "2"])
    assert result.exit_code == 0, result.output
    assert "signature:" not in result.output      # only with -v
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == 2 and all(r["signature"] == expected for r in records)
    assert list(records[0])[-1] == "signature"


def test_a_signature_says_what_made_the_alignment(tiny_argosmodel, tmp_path):
    from aligner.pipeline import align_files

    pk.install_package(tiny_argosmodel, tmp_path / "packages")
    ru, en = pair(tmp_path / "in")
    resources = Resources(packages_dir=tmp_path / "packages", mt_threads=1)
    alignment = align_files(str(ru), str(en), AlignOptions(signals=("length", "anchors", "mt"), mt_cache=False),
                            resources=resources)
    sig = alignment.signature
    assert sig.signals == ("length", "anchors", "mt") and sig.fill and sig.input_format == "text"
    assert sig.mt == resources.mt_id() and sig.mt.startswith("argos-translate-ru_en-0.1-")
    (tmp_path / "in" / "mt.txt").write_text("The minister held talks in Moscow.\nThe parties signed.\n",
                                            encoding="utf-8")
    from_file = align_files(str(ru), str(en), AlignOptions(signals=("length", "anchors", "mt"), fill=False,
                                                           mt=str(tmp_path / "in" / "mt.txt")), resources=resources)
    assert from_file.signature.mt == "file" and not from_file.signature.fill


def stub_align(ru: str, en: str, options) -> Alignment:
    """Module level (workers unpickle it): the n-th line with the n-th line, whatever models are installed."""
    docs = []
    for path, lang in ((ru, "ru"), (en, "en")):
        lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
        docs.append(Document(path, paragraphs=lines, sentences=[Sentence(t, i, 0) for i, t in enumerate(lines)],
                             lang=lang))
    return Alignment(docs[0], docs[1], [Bead((i,), (i,), 0.5) for i in range(2)], signals=("length", "anchors"))


def test_batch_records_the_signature_and_resumes_only_under_the_same_one(tiny_argosmodel, tmp_path):
    from aligner.batch import find_pairs, run_batch

    pair(tmp_path / "corpus")
    pairs, unpaired = find_pairs(str(tmp_path / "corpus"))
    options = AlignOptions(signals=("length", "anchors"))    # fill when a model is installed

    def run():
        return run_batch(pairs, unpaired, str(tmp_path / "out"), options, jobs=1, align_fn=stub_align,
                         progress=False)
    first = run()
    assert (first.aligned, first.skipped) == (1, 0)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["options"]["signature"].endswith("|mt:none|fill:no|flags:yes|format:auto")
    again = run()
    assert (again.aligned, again.skipped) == (0, 1)          # nothing changed: resumed
    pk.install_package(tiny_argosmodel, tmp_path / "packages")
    after = run()
    assert (after.aligned, after.skipped) == (1, 0)          # a model arrived: another signature, aligned again
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert "|mt:argos-translate-ru_en-0.1-" in summary["options"]["signature"]
    assert "|fill:yes|" in summary["options"]["signature"]
