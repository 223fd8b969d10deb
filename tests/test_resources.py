"""Models and caches in one object made at the edge: each model loaded once, caches bounded, no environment below."""
from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import aligner
import aligner.mt
from aligner.model import AlignOptions, Document, Sentence
from aligner.mt import packages as pk
from aligner.pipeline import align_documents
from aligner.resources import Resources

PACKAGE = Path(aligner.__file__).resolve().parent


def doc(texts: list[str], lang: str) -> Document:
    return Document(f"<{lang}>", paragraphs=list(texts), sentences=[Sentence(t, i, 0) for i, t in enumerate(texts)],
                    lang=lang, format="lines")


RU = ["Министр иностранных дел провёл переговоры в Москве.", "Эта фраза осталась без перевода.",
      "Стороны подписали соглашение о сотрудничестве."]
EN = ["The foreign minister held talks in Moscow.", "The parties signed a cooperation agreement."]


@pytest.fixture
def packages(tiny_argosmodel, tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "packages"
    pk.install_package(tiny_argosmodel, folder)
    return folder


def test_the_translator_is_loaded_once_for_the_mt_signal_and_gap_filling(packages, monkeypatch):
    loads = []
    real = aligner.mt.load_translator

    def counting(*args, **kwargs):
        loads.append(kwargs)
        return real(*args, **kwargs)
    monkeypatch.setattr(aligner.mt, "load_translator", counting)

    resources = Resources(packages_dir=packages, mt_threads=1)
    options = AlignOptions(signals=("length", "anchors", "mt"), fill=True, mt_cache=False)
    for _ in range(2):    # two documents of one run
        alignment = align_documents(doc(RU, "ru"), doc(EN, "en"), options, resources=resources)
        assert alignment.signals == ("length", "anchors", "mt")
        filled = [b for b in alignment.beads if b.origin == "MT"]
        assert filled and all(b.mt == "Peace and cooperation." for b in filled)   # the tiny model's one output
    assert len(loads) == 1
    assert loads[0]["directory"] == packages          # where the edge said, not where the environment says


def test_no_model_is_looked_for_once_and_said_once(tmp_path, caplog):
    resources = Resources(packages_dir=tmp_path / "none", mt_threads=1)
    options = AlignOptions(signals=("length", "anchors"), mt="auto")
    with caplog.at_level("DEBUG", logger="aligner"):
        for _ in range(3):
            alignment = align_documents(doc(RU, "ru"), doc(EN, "en"), options, resources=resources)
    assert not any(b.mt for b in alignment.beads)
    said = [r for r in caplog.records if "no ru→en model installed" in r.getMessage()]
    assert len(said) == 1


def test_resources_from_env_read_the_environment_once(packages, tmp_path, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    monkeypatch.setenv("ALIGNER_MT_THREADS", "1")
    monkeypatch.setenv("ALIGNER_EMBEDDINGS_CACHE", str(tmp_path / "e5.sqlite"))
    monkeypatch.setenv("ARGOS_BEAM_SIZE", "2")
    resources = Resources.from_env()
    assert (resources.packages_dir, resources.mt_threads, resources.embeddings_cache, resources.beam_size,
            resources.mt_cache) == (packages, 1, str(tmp_path / "e5.sqlite"), "2", tmp_path / "cache" / "mt.sqlite")
    # Changing the environment afterwards changes nothing below: the values were passed down.
    for name in ("ARGOS_PACKAGES_DIR", "ALIGNER_CACHE_DIR"):
        monkeypatch.setenv(name, str(tmp_path / "elsewhere"))
    monkeypatch.setenv("ARGOS_BEAM_SIZE", "7")
    translator = resources.translator()
    assert translator is not None and translator.translate(["Мир."]) == ["Peace and cooperation."]
    assert translator.beam_size == 2 and translator.cache.path == tmp_path / "cache" / "mt.sqlite"
    assert resources.translator() is translator
    assert not (tmp_path / "elsewhere").exists()


def test_a_required_translator_without_a_model_is_the_model_error(tmp_path):
    from aligner.errors import ModelError
    with pytest.raises(ModelError, match="no ru→en translation model installed"):
        Resources(packages_dir=tmp_path / "none").translator(required=True)


class CountingModel:
    def __init__(self):
        self.seen: list[str] = []

    def query(self, texts):
        self.seen.extend(texts)
        return np.array([np.eye(384, dtype=np.float32)[len(t) % 384] for t in texts])


def test_the_embedding_cache_is_bounded_least_recently_used_out(monkeypatch):
    import aligner.align.signals.embeddings as emb

    model = CountingModel()
    monkeypatch.setattr(emb, "_model", lambda: model)
    cache = emb.EmbeddingCache(max_items=3)
    cache.embed(["a", "bb", "ccc"])
    cache.embed(["a"])                    # "a" is now the most recent
    cache.embed(["dddd"])                 # evicts "bb", the least recently used
    assert len(cache) == 3
    model.seen.clear()
    vectors = cache.embed(["a", "bb", "ccc", "dddd"])
    assert model.seen == ["bb"]
    assert vectors.shape == (4, 384) and [int(np.argmax(v)) for v in vectors] == [1, 2, 3, 4]
    # One call wider than the bound still returns every vector it asked for.
    many = [f"text {i}" for i in range(10)]
    assert cache.embed(many).shape == (10, 384) and len(cache) == 3


def test_resources_hand_their_one_embedder_to_every_signal(monkeypatch):
    import aligner.align.signals.embeddings as emb
    from aligner.align import build_signals

    monkeypatch.setattr(emb, "available", lambda: True)
    resources = Resources()
    options = AlignOptions(signals=("length", "embeddings"), mt="none")
    first = build_signals(doc(RU, "ru"), doc(EN, "en"), options, resources=resources)[1]
    second = build_signals(doc(RU, "ru"), doc(EN, "en"), options, resources=resources)[1]
    assert first.embedder is second.embedder is resources.embedder()
    assert resources.embedder().max_items == resources.embeddings_in_memory


# -- what the package's own code may not do --------------------------------------------------------------------

def _python_files(*folders: str):
    for folder in folders:
        path = PACKAGE / folder
        yield from ([path] if path.suffix == ".py" else sorted(path.rglob("*.py")))


def test_no_import_error_guard_around_the_packages_own_modules():
    for path in _python_files("."):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Try):
                continue
            caught = {ast.unparse(h.type) for h in node.handlers if h.type is not None}
            if not caught & {"ImportError", "ModuleNotFoundError"}:
                continue
            for inner in (n for stmt in node.body for n in ast.walk(stmt)):
                if isinstance(inner, ast.ImportFrom):
                    name = "." * inner.level + (inner.module or "")
                elif isinstance(inner, ast.Import):
                    name = inner.names[0].name
                elif isinstance(inner, ast.Call) and ast.unparse(inner.func).endswith("import_module") and inner.args:
                    name = ast.unparse(inner.args[0]).lstrip("f").strip("'\"")
                else:
                    continue
                assert not (name.startswith("aligner") or name.startswith(".")), \
                    f"{path.relative_to(PACKAGE)}:{inner.lineno}: ImportError guard around {name}"


def test_no_environment_is_read_by_the_stages():
    """Reading, splitting, aligning, writing, scoring, the signature and the model classes take values, not
    variables: the CLI, batch and Resources.from_env read the environment and pass them down."""
    stages = ("read", "split", "align", "write", "quality", "model.py", "pipeline.py", "signature.py", "fill.py")
    for path in _python_files(*stages):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            text = ast.unparse(node) if isinstance(node, (ast.Attribute, ast.Call)) else ""
            assert not text.startswith(("os.environ", "os.getenv", "_os.environ")), \
                f"{path.relative_to(PACKAGE)}:{node.lineno}: {text[:60]}"


def test_aligner_align_with_mt_and_fill_loads_the_model_once(packages, tmp_path, monkeypatch):
    from click.testing import CliRunner
    from aligner.cli import main

    loads = []
    real = aligner.mt.load_translator
    monkeypatch.setattr(aligner.mt, "load_translator", lambda *a, **k: loads.append(k) or real(*a, **k))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / "a.ru.txt").write_text("\n\n".join(RU) + "\n", encoding="utf-8")
    (tmp_path / "a.en.txt").write_text("\n\n".join(EN) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["align", str(tmp_path / "a.ru.txt"), str(tmp_path / "a.en.txt"), "-o",
                                       str(tmp_path / "a.jsonl"), "--signals", "length,anchors,mt", "--fill",
                                       "--mt-threads", "1"])
    assert result.exit_code == 0, result.output
    assert len(loads) == 1
    assert "Peace and cooperation." in (tmp_path / "a.jsonl").read_text(encoding="utf-8")   # gap filled


def test_the_translators_memory_is_bounded(packages):
    translator = Resources(packages_dir=packages, mt_threads=1).translator(cache=False)
    translator.memory_limit = 2
    for sentence in ("Мир.", "Договор.", "Москва."):
        assert translator.translate([sentence]) == ["Peace and cooperation."]
    assert list(translator._memory) == ["Договор.", "Москва."]     # the least recently used left
    translator.translate(["Договор."])                              # from memory, now the most recent
    translator.translate(["Мир."])                                  # translated again: "Москва." leaves
    assert list(translator._memory) == ["Договор.", "Мир."]
    assert (translator.stats.hits, translator.stats.misses) == (1, 4)
