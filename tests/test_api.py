"""The Python API at the package root: aligner.align(), aligner.write(), and docs/api.md's examples, run."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import aligner
from aligner.errors import InputError
from aligner.model import AlignOptions

ROOT = Path(__file__).resolve().parent.parent
FAST = dict(signals=("length", "anchors"), mt="none")


@pytest.fixture(autouse=True)
def _no_models(monkeypatch, tmp_path):
    """No argos model, a fixed date: the API's defaults come from this environment."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.delenv("ALIGNER_EMBEDDINGS_CACHE", raising=False)


def test_two_lists_of_sentences_are_aligned_as_given():
    alignment = aligner.align(["Привет.", "Как дела?"], ["Hi.", "How are you?"], **FAST)
    assert [(b.src, b.tgt) for b in alignment.beads] == [((0,), (0,)), ((1,), (1,))]
    assert alignment.src.texts() == ["Привет.", "Как дела?"] and alignment.tgt.texts() == ["Hi.", "How are you?"]
    assert alignment.signals == ("length", "anchors")
    assert all(0.0 <= b.score <= 1.0 for b in alignment.beads)
    # A sentence per item, even one a splitter would cut: every one in exactly one bead, in order.
    three = aligner.align(["Раз. Два.", "Три.", "Четыре."], ["One. Two.", "Three and four."], **FAST)
    assert [i for b in three.beads for i in b.src] == [0, 1, 2]
    assert [j for b in three.beads for j in b.tgt] == [0, 1]


def test_texts_are_split_and_paths_are_read(tmp_path):
    ru = "Министр провёл переговоры. Стороны подписали соглашение.\n\nВстреча прошла в Москве."
    en = "The minister held talks. The parties signed an agreement.\n\nThe meeting took place in Moscow."
    from_text = aligner.align(ru, en, **FAST)
    assert from_text.src.texts() == ["Министр провёл переговоры.", "Стороны подписали соглашение.",
                                     "Встреча прошла в Москве."]
    assert [(b.src, b.tgt) for b in from_text.beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    (tmp_path / "a.ru.txt").write_text(ru, encoding="utf-8")
    (tmp_path / "a.en.txt").write_text(en, encoding="utf-8")
    from_path = aligner.align(tmp_path / "a.ru.txt", tmp_path / "a.en.txt", **FAST)
    from_str_path = aligner.align(str(tmp_path / "a.ru.txt"), str(tmp_path / "a.en.txt"), **FAST)
    for other in (from_path, from_str_path):
        assert [(b.src, b.tgt, b.score) for b in other.beads] == [(b.src, b.tgt, b.score) for b in from_text.beads]
    assert from_path.name == "a"     # the shared file stem, as the CLI names it


def test_options_object_and_keywords():
    base = AlignOptions(signals=("length",), max_bead=1, mt="none")
    one = aligner.align(["Раз.", "Два."], ["One and two."], base)
    assert {b.kind for b in one.beads} <= {"1-1", "1-0", "0-1"}            # max_bead 1: no merges
    wider = aligner.align(["Раз.", "Два."], ["One and two."], base, max_bead=2, signals="length,anchors")
    assert wider.signals == ("length", "anchors") and wider.signature.max_bead == 2
    with pytest.raises(TypeError, match="unexpected option 'max_beads'"):
        aligner.align(["Да."], ["Yes."], max_beads=3)
    with pytest.raises(ValueError, match="unknown signal 'lenght'"):
        aligner.align(["Да."], ["Yes."], signals="lenght")
    with pytest.raises(TypeError):
        aligner.align(42, ["Yes."])


def test_bad_input_is_the_usual_one_line_error():
    with pytest.raises(InputError, match="only whitespace"):
        aligner.align("   \n  ", "Hello.", **FAST)


def test_write_returns_a_format_or_writes_a_path(tmp_path):
    alignment = aligner.align(["Привет.", "Как дела?"], ["Hi.", "How are you?"], name="greeting", **FAST)
    tsv = aligner.write(alignment, "tsv")
    assert tsv.splitlines()[1].split("\t")[:5] == ["greeting", "0", "0", "1-1", f"{alignment.beads[0].score:.4f}"]
    records = [json.loads(line) for line in aligner.write(alignment, "jsonl").splitlines()]
    assert [r["src"] for r in records] == ["Привет.", "Как дела?"]
    assert {r["signature"] for r in records} == {str(alignment.signature)}
    written = aligner.write(alignment, tmp_path / "out.tmx", mt_separate=False)
    assert written == [str(tmp_path / "out.tmx")]
    data = (tmp_path / "out.tmx").read_bytes()
    assert b'creationdate="20231114T221320Z"' in data          # SOURCE_DATE_EPOCH, read by aligner.write
    assert f'<prop type="x-aligner-signature">{alignment.signature}</prop>'.encode() in data
    aligner.write(alignment, tmp_path / "pairs.txt", "beads")
    assert (tmp_path / "pairs.txt").read_text() == "[0]:[0]\n[1]:[1]\n"


def test_align_is_the_function_and_the_subpackages_stay_importable():
    from aligner import align, write

    assert callable(align) and callable(write)
    import aligner.align.band
    import aligner.align.signals.embeddings as emb
    import aligner.write.tmx as tmx
    from aligner.align.band import Band
    from aligner.align.search import search
    from aligner.write import WriteOptions

    assert callable(aligner.align) and callable(aligner.write)      # importing them did not rebind the names
    assert aligner.align.band.Band is Band and callable(search)
    assert emb.EmbeddingCache and tmx.render_tmx and WriteOptions().created is None
    assert sys.modules["aligner.align"].build_signals is aligner.align.build_signals
    assert aligner.align.__doc__.startswith("Align ``src``")


def test_a_fresh_interpreter_gets_the_functions_whatever_is_imported_first():
    code = ("import aligner.align.band, aligner.write.tmx, aligner.pipeline\n"
            "from aligner.align import build_signals\n"
            "import aligner\n"
            "a = aligner.align(['Да.'], ['Yes.'], signals='length', mt='none')\n"
            "print(type(aligner.align).__name__, len(a.beads), aligner.write(a, 'beads').strip())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["_Function", "1", "[0]:[0]"]


def test_docs_api_examples_run(tmp_path, monkeypatch):
    """Every ```python block of docs/api.md, in order, in one namespace, in an empty folder."""
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 6
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for number, block in enumerate(blocks, 1):
        try:
            exec(compile(block, f"docs/api.md block {number}", "exec"), namespace)
        except Exception as exc:  # noqa: BLE001 — name the block that broke
            raise AssertionError(f"docs/api.md python block {number} failed: {exc!r}\n{block}") from exc
    assert (tmp_path / "statement.tmx").exists() and (tmp_path / "pairs.jsonl").exists()
