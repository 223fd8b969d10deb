"""Offline MT: installing argos packages (and refusing hostile ones), batched cached translation, gap filling.

Every test runs against a tiny but real ru→en .argosmodel built at test time (tests/argos_fixture.py), installed
into a temporary ARGOS_PACKAGES_DIR with a temporary translation cache: the user's own folders are never touched.
The tiny model translates every sentence to TINY_OUTPUT ("Peace and cooperation."), which is what lets the tests
state expected translations by hand.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from aligner.cli import main
from aligner.errors import EXIT_MODEL, ModelError
from aligner.fill import fill_gaps
from aligner.model import Alignment, Bead, Document, Sentence
from aligner.mt import load_translator
from aligner.mt import packages as pk
from argos_fixture import TINY_OUTPUT, isolate_packages, rewrite_archive

REPO = Path(__file__).resolve().parents[1]
SHARED_DTD = REPO / "aligner" / "data" / "tmx14.dtd"   # the official TMX 1.4 DTD, shipped with the package
NAME = "translate-ru_en-0_1"     # the tiny package's folder: translate-<from>_<to>-<version with _>
ENGINE = "argostranslate translate-ru_en 0.1"


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """Packages, cache and argostranslate's own folders all under tmp_path."""
    isolate_packages(monkeypatch, tmp_path, mt_threads=None)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


@pytest.fixture
def packages(tmp_path) -> Path:
    return tmp_path / "packages"


@pytest.fixture
def installed(tiny_argosmodel, packages):
    return pk.install_package(tiny_argosmodel, packages)


def contents(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# -- install / list / remove -------------------------------------------------------------------------------

def test_install_list_remove_through_the_cli(tiny_argosmodel, packages):
    runner = CliRunner()
    result = runner.invoke(main, ["models", "install", str(tiny_argosmodel)])
    assert result.exit_code == 0, result.output
    assert f"installed {NAME} (ru → en, version 0.1) in {packages}" in result.output
    assert contents(packages) == [NAME]
    assert (packages / NAME / "model" / "model.bin").is_file()
    assert (packages / NAME / "sentencepiece.model").is_file()

    # argostranslate itself sees the package where we put it.
    from argostranslate.package import get_installed_packages
    seen = get_installed_packages([packages])
    assert [(p.from_code, p.to_code, p.package_version) for p in seen] == [("ru", "en", "0.1")]

    result = runner.invoke(main, ["models", "list"])
    assert result.exit_code == 0
    assert result.output.split() == [NAME, "ru→en", "0.1", str(packages / NAME)]

    result = runner.invoke(main, ["models", "remove", NAME])
    assert result.exit_code == 0, result.output
    assert contents(packages) == []
    result = runner.invoke(main, ["models", "list"])
    assert result.output.strip() == f"no packages installed in {packages}"


def test_a_package_installed_by_argostranslate_itself_is_used(tiny_argosmodel, packages, tmp_path):
    """argostranslate's own installer (install_from_path, in a fresh process that reads ARGOS_PACKAGES_DIR at
    import) puts the package where `aligner models list` and `aligner translate` find and use it."""
    import os
    import subprocess
    import sys
    from argos_fixture import TINY_OUTPUT
    code = "import sys, argostranslate.package as p; p.install_from_path(sys.argv[1])"
    proc = subprocess.run([sys.executable, "-c", code, str(tiny_argosmodel)], env=dict(os.environ),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert contents(packages) == [NAME]
    runner = CliRunner()
    result = runner.invoke(main, ["models", "list"])
    assert result.output.split() == [NAME, "ru→en", "0.1", str(packages / NAME)]
    doc = tmp_path / "doc.ru.txt"
    doc.write_text("Министр провёл переговоры. Стороны подписали соглашение.\n", encoding="utf-8")
    result = runner.invoke(main, ["translate", str(doc)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [TINY_OUTPUT, TINY_OUTPUT]


def test_remove_by_argospm_code_and_unknown_name(installed, packages):
    runner = CliRunner()
    result = runner.invoke(main, ["models", "remove", "translate-de_en"])
    assert result.exit_code == EXIT_MODEL
    assert result.output.strip().splitlines() == [
        f"aligner: error: translate-de_en: no such package in {packages} (installed: {NAME})"]
    assert contents(packages) == [NAME]
    result = runner.invoke(main, ["models", "remove", "translate-ru_en"])
    assert result.exit_code == 0, result.output
    assert contents(packages) == []


def test_installing_twice_is_refused_and_keeps_the_first(installed, tiny_argosmodel, packages):
    with pytest.raises(ModelError, match=f"{NAME} is already installed"):
        pk.install_package(tiny_argosmodel, packages)
    assert contents(packages) == [NAME]
    assert pk.find_ru_en(packages).name == NAME


def test_newest_ru_en_package_wins(installed, tmp_path, packages):
    from argos_fixture import build_tiny_package
    newer = build_tiny_package(tmp_path / "newer", output="Newer model.", version="0.10")
    pk.install_package(newer, packages)
    assert contents(packages) == [NAME, "translate-ru_en-0_10"]
    # 0.10 is newer than 0.1 (a version, not a string).
    assert pk.find_ru_en(packages).version == "0.10"
    assert load_translator(threads=1, cache=False).translate(["Мир."]) == ["Newer model."]


# -- hostile or broken packages ----------------------------------------------------------------------------

def _no_metadata(good, dest):
    return rewrite_archive(good, dest, rename=lambda n: None if n.endswith("metadata.json") else n)


def _wrong_pair(good, dest):
    meta = {"package_version": "1.9", "argos_version": "1.9", "from_code": "ja", "to_code": "en",
            "from_name": "Japanese", "to_name": "English"}
    return rewrite_archive(good, dest, metadata=json.dumps(meta).encode())


def _no_model(good, dest):
    return rewrite_archive(good, dest, rename=lambda n: None if "/model/" in n else n)


def _no_sentencepiece(good, dest):
    return rewrite_archive(good, dest, rename=lambda n: None if n.endswith("sentencepiece.model") else n)


def _dot_dot(good, dest):
    return rewrite_archive(good, dest, extra={f"{NAME}/../x": b"escaped"})


def _absolute(good, dest):
    return rewrite_archive(good, dest, extra={str(dest.parent / "evil-absolute"): b"escaped"})


def _bomb(good, dest):
    # 64 MiB of zeros deflate to about 64 KiB: a 1000-fold expansion.
    return rewrite_archive(good, dest, extra={f"{NAME}/model/padding.bin": bytes(64 * 1024 ** 2)})


def _two_folders(good, dest):
    return rewrite_archive(good, dest, extra={"other/readme.txt": b"x"})


def _garbage_weights(good, dest):
    return rewrite_archive(good, dest, rename=lambda n: None if n.endswith("model.bin") else n,
                           extra={f"{NAME}/model/model.bin": b"not a model" * 100})


def _not_a_zip(good, dest):
    dest.write_text("this is not a zip archive\n", encoding="utf-8")
    return dest


BAD = {
    "not-a-zip": (_not_a_zip, "not a zip archive"),
    "no-metadata": (_no_metadata, "no metadata.json"),
    "wrong-pair": (_wrong_pair, "translates ja→en; ja is not a language aligner supports"),
    "no-model": (_no_model, "no CTranslate2 model"),
    "no-sentencepiece": (_no_sentencepiece, "no sentencepiece.model"),
    "dot-dot": (_dot_dot, "points outside the package folder"),
    "absolute": (_absolute, "has an absolute path"),
    "zip-bomb": (_bomb, "looks like a zip bomb"),
    "two-folders": (_two_folders, "expected one package folder"),
    "garbage-weights": (_garbage_weights, "not a loadable CTranslate2 model"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_package_is_a_one_line_error_and_installs_nothing(case, tiny_argosmodel, tmp_path, packages):
    make, problem = BAD[case]
    bad = make(tiny_argosmodel, tmp_path / f"{case}.argosmodel")
    with pytest.raises(ModelError) as info:
        pk.install_package(bad, packages)
    message = info.value.message
    assert message.startswith(f"{bad}: ") and problem in message and "\n" not in message
    assert info.value.exit_code == EXIT_MODEL
    assert contents(packages) == []          # no package, no staging folder
    assert not (tmp_path / "x").exists() and not (tmp_path / "evil-absolute").exists()

    result = CliRunner().invoke(main, ["models", "install", str(bad)])
    assert result.exit_code == EXIT_MODEL
    assert result.output.strip().splitlines() == [f"aligner: error: {message}"]
    assert contents(packages) == []


def test_size_limit_is_enforced(monkeypatch, tiny_argosmodel, packages):
    monkeypatch.setattr(pk, "MAX_UNCOMPRESSED", 10_000)
    with pytest.raises(ModelError, match="unpacks to more than 0 MiB"):
        pk.install_package(tiny_argosmodel, packages)
    assert contents(packages) == []


def test_missing_file_is_a_model_error(tmp_path, packages):
    with pytest.raises(ModelError, match="nothing.argosmodel: no such file"):
        pk.install_package(tmp_path / "nothing.argosmodel", packages)


# -- translation ---------------------------------------------------------------------------------------------

def test_translate_batches_dedupes_and_caches(installed, tmp_path):
    texts = ["Мир и сотрудничество.", "", "Министр заявил.", "  Мир и   сотрудничество. ", "\n"]
    expected = [TINY_OUTPUT, "", TINY_OUTPUT, TINY_OUTPUT, ""]

    first = load_translator(threads=1)
    assert first.engine == ENGINE
    assert (first.threads, first.beam_size, first.length_penalty) == (1, 4, 0.2)   # argostranslate's defaults
    assert first.translate(texts) == expected
    # Two distinct non-blank sentences (whitespace is normalised) went through the model, in one batch.
    assert (first.stats.hits, first.stats.misses, first.stats.batches) == (0, 2, 1)
    assert (tmp_path / "cache" / "mt.sqlite").is_file()

    # A re-run in a new process-level translator translates nothing.
    again = load_translator(threads=1)
    assert again.translate(texts) == expected
    assert (again.stats.hits, again.stats.misses, again.stats.batches) == (2, 0, 0)

    # Other decoding settings are other cache keys.
    greedy = load_translator(threads=1, beam_size=1)
    assert greedy.translate(texts[:1]) == [TINY_OUTPUT]
    assert (greedy.stats.hits, greedy.stats.misses) == (0, 1)


def test_no_cache_translates_again_and_writes_no_cache(installed, tmp_path):
    for _ in range(2):
        translator = load_translator(threads=1, cache=False)
        assert translator.translate(["Мир.", "Мир."]) == [TINY_OUTPUT, TINY_OUTPUT]
        assert (translator.stats.hits, translator.stats.misses) == (0, 1)
    assert not (tmp_path / "cache").exists()


def test_many_sentences_keep_their_order(installed):
    translator = load_translator(threads=1, cache=False)
    texts = [f"Предложение номер {i}." if i % 7 else "" for i in range(100)]
    out = translator.translate(texts)
    assert out == [TINY_OUTPUT if i % 7 else "" for i in range(100)]
    assert translator.stats.batches == 3     # 85 distinct sentences in batches of 32


def test_threads_from_environment(installed, monkeypatch):
    monkeypatch.setenv("ALIGNER_MT_THREADS", "3")
    assert load_translator(cache=False).threads == 3
    assert load_translator(threads=1, cache=False).threads == 1   # the argument wins
    monkeypatch.setenv("ALIGNER_MT_THREADS", "many")
    with pytest.raises(ModelError, match="ALIGNER_MT_THREADS must be a positive integer, not 'many'"):
        load_translator()


def test_no_model_installed(packages):
    assert load_translator() is None
    with pytest.raises(ModelError) as info:
        load_translator(required=True)
    message = info.value.message
    assert message.startswith(f"{packages}: no ru→en translation model installed")
    assert "on a connected machine" in message and "aligner models install FILE.argosmodel" in message
    assert "\n" not in message and info.value.exit_code == EXIT_MODEL


def test_translate_command_without_a_model(tmp_path):
    source = tmp_path / "ru.txt"
    source.write_text("Мир.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", str(source)])
    assert result.exit_code == EXIT_MODEL
    [line] = result.output.strip().splitlines()
    assert line.startswith("aligner: error: ") and "aligner models install" in line


def test_translate_command_prints_one_line_per_sentence(installed, tmp_path):
    source = tmp_path / "ru.txt"
    source.write_text("Мир и сотрудничество.\nМинистр заявил.\n\nСпасибо.\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["translate", "--input-format", "lines", "--threads", "1", str(source)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{TINY_OUTPUT}\n" * 3
    result = runner.invoke(main, ["translate", "--input-format", "lines", "--no-cache", "--beam-size", "2", "--threads", "1",
                                  str(source)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{TINY_OUTPUT}\n" * 3


def test_help_shows_examples():
    runner = CliRunner()
    for args in (["models", "install"], ["models", "list"], ["models", "remove"], ["translate"]):
        result = runner.invoke(main, args + ["--help"])
        assert result.exit_code == 0 and "Example" in result.output, args


def test_offline_and_without_argostranslate_translate(tiny_argosmodel, tmp_path):
    """Install and translate in a fresh interpreter with sockets disabled: no network, and never the
    argostranslate.translate module (its sentence splitters download models)."""
    script = f"""
import socket, sys
def refuse(*a, **k):
    raise OSError("network used")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from aligner.mt import load_translator
from aligner.mt.packages import install_package
install_package({str(tiny_argosmodel)!r})
print(load_translator(threads=1, required=True).translate(["Мир."])[0])
print("argostranslate.translate" in sys.modules)
"""
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(tmp_path / "sub-packages"),
           "ALIGNER_CACHE_DIR": str(tmp_path / "sub-cache"), "HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120,
                          cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [TINY_OUTPUT, "False"]


# -- gap filling -------------------------------------------------------------------------------------------

def _document(path: str, texts: list[str], lang: str) -> Document:
    return Document(path=path, paragraphs=[" ".join(texts)],
                    sentences=[Sentence(t, i, 0) for i, t in enumerate(texts)], lang=lang)


def _alignment() -> Alignment:
    ru = _document("s.ru.txt", ["Уважаемые коллеги!", "Рады вас видеть.", "Это девятое заседание.",
                                "Оно важно.", "Спасибо."], "ru")
    en = _document("s.en.txt", ["Dear colleagues,", "Thank you.", "An English addition."], "en")
    beads = [Bead((0,), (0,), 0.9), Bead((1,), (), 0.0), Bead((2, 3), (), 0.0), Bead((4,), (1,), 0.8),
             Bead((), (2,), 0.0)]
    return Alignment(src=ru, tgt=en, beads=beads, name="s", signals=("length",))


class Upper:
    """A stand-in translator whose output is known by hand; records what it was asked."""
    engine = "upper 1.0"

    def __init__(self):
        self.calls: list[list[str]] = []

    def translate(self, texts: list[str]) -> list[str]:
        self.calls.append(list(texts))
        return ["" if t == "Рады вас видеть." else t.upper() for t in texts]


def test_fill_gaps_fills_only_untranslated_sources():
    alignment = _alignment()
    upper = Upper()
    filled = fill_gaps(alignment, upper)
    # One call for all gaps; a 2-0 bead is translated as its joined source text.
    assert upper.calls == [["Рады вас видеть.", "Это девятое заседание. Оно важно."]]
    assert filled.beads[0] == alignment.beads[0] and filled.beads[3] == alignment.beads[3]
    assert filled.beads[4] == alignment.beads[4]           # English addition: nothing to translate
    assert filled.beads[1] == alignment.beads[1]           # an empty translation leaves the gap as it was
    assert filled.beads[2] == Bead((2, 3), (), 0.0, mt="ЭТО ДЕВЯТОЕ ЗАСЕДАНИЕ. ОНО ВАЖНО.", mt_engine="upper 1.0")
    assert [b.origin for b in filled.beads] == ["human", "human", "MT", "human", "human"]
    assert alignment.beads[2].mt is None                    # the input alignment is not modified
    assert (filled.name, filled.signals, filled.src, filled.tgt) == ("s", ("length",), alignment.src, alignment.tgt)


def test_fill_gaps_without_gaps_calls_nothing():
    alignment = _alignment()
    alignment.beads = [b for b in alignment.beads if b.tgt or not b.src]
    upper = Upper()
    assert fill_gaps(alignment, upper) is alignment and upper.calls == []


def test_filled_alignment_is_valid_tmx_with_mt_marked(installed):
    from aligner.write import WriteOptions, render, validate_tmx

    translator = load_translator(threads=1)
    filled = fill_gaps(_alignment(), translator)
    assert [b.mt for b in filled.beads] == [None, TINY_OUTPUT, TINY_OUTPUT, None, None]
    assert {b.mt_engine for b in filled.beads if b.mt} == {ENGINE}
    data = render(filled, "tmx", WriteOptions(mt_separate=False))   # MT in the main file, marked (--mt-inline)
    validate_tmx(data)
    validate_tmx(data, etree.DTD(str(SHARED_DTD)))
    root = etree.fromstring(data)
    mt_tuvs = [tuv for tuv in root.iter("tuv") if any(p.get("type") == "x-origin" and p.text == "MT"
                                                     for p in tuv.findall("prop"))]
    assert [tuv.findtext("seg") for tuv in mt_tuvs] == [TINY_OUTPUT, TINY_OUTPUT]
    for tuv in mt_tuvs:
        assert ENGINE in [p.text for p in tuv.findall("prop")]
        assert tuv.find("note") is not None
    # Gap filling on a re-run comes from the cache.
    again = load_translator(threads=1)
    fill_gaps(_alignment(), again)
    assert again.stats.misses == 0 and again.stats.hits == 2


def test_packages_dir_follows_argostranslate_settings(monkeypatch, tmp_path):
    monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    data, config = tmp_path / "xdg_data_home", tmp_path / "xdg_config_home"
    assert pk.packages_dir() == data / "argos-translate" / "packages"
    (config / "argos-translate").mkdir(parents=True)
    (config / "argos-translate" / "settings.json").write_text('{"ARGOS_PACKAGES_DIR": "/srv/argos"}')
    assert pk.packages_dir() == Path("/srv/argos")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "env"))   # the environment wins, as in argostranslate
    assert pk.packages_dir() == tmp_path / "env"
    assert not data.exists()                                          # looking up creates nothing
