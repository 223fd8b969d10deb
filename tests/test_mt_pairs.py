"""Machine translation beyond Russian–English (issue 15), from the command line: install a fr→en and an en→ru
package, list them, refuse broken or unsupported ones, translate fr→ru through English with the real
argostranslate/CTranslate2 inference path, and fill fr/ru alignment gaps by that pivot (align and batch).

The tiny packages (aligner.mt.testing) translate every sentence to one fixed sentence: fr→en to FR_EN, en→ru to
EN_RU. So a fr→ru pivot gives EN_RU for every French sentence, and the translation cache shows what went through
each step: the French sentences into the fr→en model, FR_EN (its output) into the en→ru model.
"""
from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from aligner.cli import main
from aligner.errors import EXIT_MODEL
from argos_fixture import build_tiny_package, isolate_packages, rewrite_archive

FR_EN, EN_RU = "Peace and cooperation.", "Мир и сотрудничество."
FR_EN_NAME, EN_RU_NAME = "translate-fr_en-0_1", "translate-en_ru-0_1"
PIVOT_ENGINE = ("argostranslate translate-fr_en 0.1 + argostranslate translate-en_ru 0.1 "
                "(pivot through English)")
FR = ("Le ministre Sergueï Lavrov est arrivé à Minsk le 15 décembre 2023.\n\n"
      "Cette phrase n’a pas été traduite en russe et reste sans paire.\n\n"
      "Les parties ont examiné la coopération au sein de l’OTSC et de la CEI.\n")
RU = ("Министр С.В.Лавров прибыл в Минск 15 декабря 2023 г.\n\n"
      "Стороны обсудили сотрудничество в рамках ОДКБ и СНГ.\n")
GAP = "Cette phrase n’a pas été traduite en russe et reste sans paire."
FAST = ["--signals", "length,anchors"]


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    folder = tmp_path_factory.mktemp("argos-fr-ru")
    return {"fr-en": build_tiny_package(folder, output=FR_EN, from_code="fr", to_code="en"),
            "en-ru": build_tiny_package(folder, output=EN_RU, from_code="en", to_code="ru")}


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    isolate_packages(monkeypatch, tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


@pytest.fixture
def packages(tmp_path) -> Path:
    return tmp_path / "packages"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def installed(archives, packages):
    for key in ("fr-en", "en-ru"):
        result = run("models", "install", archives[key])
        assert result.exit_code == 0, result.output
    return packages


@pytest.fixture
def pair(tmp_path):
    fr, ru = tmp_path / "doc.fr.txt", tmp_path / "doc.ru.txt"
    fr.write_text(FR, encoding="utf-8")
    ru.write_text(RU, encoding="utf-8")
    return fr, ru


def cache_rows(tmp_path) -> set[tuple[str, str]]:
    with sqlite3.connect(tmp_path / "cache" / "mt.sqlite") as db:
        return set(db.execute("SELECT source, target FROM translations"))


# -- install / list ------------------------------------------------------------------------------------------

def test_install_and_list_fr_en_and_en_ru(archives, packages):
    result = run("models", "install", archives["fr-en"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"installed {FR_EN_NAME} (fr → en, version 0.1) in {packages}"
    result = run("models", "install", archives["en-ru"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"installed {EN_RU_NAME} (en → ru, version 0.1) in {packages}"

    result = run("models", "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split() for line in lines[:2]] == [
        [EN_RU_NAME, "en→ru", "0.1", str(packages / EN_RU_NAME)],
        [FR_EN_NAME, "fr→en", "0.1", str(packages / FR_EN_NAME)]]
    # fr→en + en→ru: fr→ru through English (and nothing else: en→en or ru→fr are no pivots)
    assert lines[2:] == ["through English: fr→ru"]

    # argostranslate itself sees both packages where they were put.
    from argostranslate.package import get_installed_packages
    seen = get_installed_packages([packages])
    assert sorted((p.from_code, p.to_code) for p in seen) == [("en", "ru"), ("fr", "en")]


def test_list_marks_a_package_aligner_does_not_use(installed, archives, tmp_path):
    """A package argostranslate installed for another language is listed, marked, and never part of a pivot."""
    japanese = {"package_version": "0.1", "from_code": "ja", "to_code": "en", "type": "translate"}
    other = rewrite_archive(archives["fr-en"], tmp_path / "ja.argosmodel",
                            rename=lambda n: n.replace(FR_EN_NAME, "translate-ja_en-0_1"),
                            metadata=json.dumps(japanese).encode())
    with zipfile.ZipFile(other) as z:          # as argostranslate's own installer unpacks it
        z.extractall(installed)
    lines = run("models", "list").output.splitlines()
    assert lines[2].split() == ["translate-ja_en-0_1", "ja→en", "0.1", str(installed / "translate-ja_en-0_1"),
                                "(not", "used:", "a", "language", "aligner", "does", "not", "support)"]
    assert lines[3:] == ["through English: fr→ru"]           # no ja→ru


def _unsupported(good: Path, dest: Path) -> Path:
    meta = {"package_version": "0.1", "argos_version": "1.9", "from_code": "fr", "to_code": "ja",
            "type": "translate"}
    return rewrite_archive(good, dest, metadata=json.dumps(meta).encode())


def _same_language(good: Path, dest: Path) -> Path:
    meta = {"package_version": "0.1", "from_code": "fr", "to_code": "fr", "type": "translate"}
    return rewrite_archive(good, dest, metadata=json.dumps(meta).encode())


def _no_to_code(good: Path, dest: Path) -> Path:
    meta = {"package_version": "0.1", "from_code": "fr", "type": "translate"}
    return rewrite_archive(good, dest, metadata=json.dumps(meta).encode())


def _truncated(good: Path, dest: Path) -> Path:
    dest.write_bytes(good.read_bytes()[: good.stat().st_size // 2])   # the central directory is gone
    return dest


def _no_weights(good: Path, dest: Path) -> Path:
    return rewrite_archive(good, dest, rename=lambda n: None if n.endswith("model.bin") else n)


REFUSED = {
    "unsupported": (_unsupported, "translates fr→ja; ja is not a language aligner supports "
                                  "(ar, de, en, es, fr, ru, zh)"),
    "same-language": (_same_language, "translates fr→fr: the same language on both sides"),
    "no-to-code": (_no_to_code, "metadata.json names no to_code: not a translation package"),
    "truncated": (_truncated, "not a zip archive (a .argosmodel file is a zip archive)"),
    "no-weights": (_no_weights, f"no CTranslate2 model: {FR_EN_NAME}/model/model.bin is missing"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_broken_or_unsupported_archive_is_one_line_naming_the_file(case, archives, packages, tmp_path):
    make, problem = REFUSED[case]
    bad = make(archives["fr-en"], tmp_path / f"{case}.argosmodel")
    result = run("models", "install", bad)
    assert result.exit_code == EXIT_MODEL
    assert result.output.splitlines() == [f"aligner: error: {bad}: {problem}"]
    assert not packages.exists() or list(packages.iterdir()) == []     # nothing installed, no staging folder left


# -- translate -----------------------------------------------------------------------------------------------

def test_translate_fr_to_ru_pivots_through_english(installed, tmp_path):
    source = tmp_path / "a.fr.txt"
    source.write_text("Le Conseil s’est réuni mardi. Il a examiné la situation.\n", encoding="utf-8")
    result = run("translate", source, "--src-lang", "fr", "--tgt-lang", "ru")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [EN_RU, EN_RU]        # one line per French sentence
    # Each step is a real model call through its own cache entry: French into fr→en, its English into en→ru.
    assert cache_rows(tmp_path) == {("Le Conseil s’est réuni mardi.", FR_EN), ("Il a examiné la situation.", FR_EN),
                                    (FR_EN, EN_RU)}

    # A full tag names the same pair; fr→en alone is a direct package.
    result = run("translate", source, "--src-lang", "fr-FR", "--tgt-lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [FR_EN, FR_EN]


def test_translate_without_a_route_names_the_pair_and_the_missing_step(installed, tmp_path):
    source = tmp_path / "a.fr.txt"
    source.write_text("Bonjour.\n", encoding="utf-8")
    result = run("translate", source, "--src-lang", "fr", "--tgt-lang", "zh")
    assert result.exit_code == EXIT_MODEL
    [line] = result.output.splitlines()
    assert line.startswith(f"aligner: error: {installed}: no fr→zh translation model installed, and no en→zh to "
                           "pivot through English with the installed fr→en; download the en→zh package "
                           "(translate-en_zh-VERSION.argosmodel")
    assert line.endswith("`aligner models install FILE.argosmodel`")

    # The default pair is still ru→en, and its message is the one it always was.
    result = run("translate", source)
    assert result.exit_code == EXIT_MODEL
    assert f"{installed}: no ru→en translation model installed; download a ru→en .argosmodel file " \
           "(e.g. translate-ru_en-1_9.argosmodel" in result.output

    result = run("translate", source, "--src-lang", "ja")
    assert result.exit_code == 2 and "'ja' is not one of ar, de, en, es, fr, ru, zh" in result.output


# -- gap filling ---------------------------------------------------------------------------------------------

def test_align_fr_ru_fills_the_gap_by_the_pivot(installed, pair, tmp_path):
    fr, ru = pair
    out = tmp_path / "out.tmx"
    result = run("align", fr, ru, "--src-lang", "fr", "--tgt-lang", "ru", *FAST, "-o", out, "--fill")
    assert result.exit_code == 0, result.output
    assert "1 filled by MT" in result.stderr
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    human = etree.parse(str(out), parser).xpath("//tu")
    assert len(human) == 2 and not etree.parse(str(out), parser).xpath("//prop[@type='x-origin']")
    [unit] = etree.parse(str(tmp_path / "out.mt.tmx"), parser).xpath("//tu")
    langs = unit.xpath("tuv/@xml:lang", namespaces={"xml": "http://www.w3.org/XML/1998/namespace"})
    assert langs == ["fr-FR", "ru-RU"]
    assert [s.text for s in unit.iter("seg")] == [GAP, EN_RU]
    assert unit.xpath(".//prop[@type='x-origin']/text()") == ["MT"]
    assert unit.xpath(".//prop[@type='x-mt-engine']/text()") == [PIVOT_ENGINE]
    assert "mt" in unit.xpath("prop[@type='x-flags']/text()")[0].split(",")

    tsv = tmp_path / "out.tsv"
    assert run("align", fr, ru, "--src-lang", "fr", "--tgt-lang", "ru", *FAST, "-o", tsv).exit_code == 0
    header, *rows = tsv.read_text(encoding="utf-8").splitlines()
    col = {name: k for k, name in enumerate(header.split("\t"))}
    cells = [row.split("\t") for row in rows]
    assert [(c[col["src_ids"]], c[col["tgt_ids"]], c[col["origin"]]) for c in cells] == [
        ("0", "0", "human"), ("1", "", "MT"), ("2", "1", "human")]
    assert cells[1][col["tgt"]] == EN_RU and "mt" in cells[1][col["flags"]].split(",")
    # The gap went through both steps of the pivot (the cache of the two runs above).
    assert {(GAP, FR_EN), (FR_EN, EN_RU)} <= cache_rows(tmp_path)


def test_align_with_fill_and_no_route_for_the_pair_is_the_model_error(installed, pair, tmp_path):
    fr, ru = pair
    zh = tmp_path / "doc.zh.txt"
    zh.write_text("部长于2023年12月15日抵达明斯克。\n\n双方讨论了合作。\n", encoding="utf-8")
    result = run("align", fr, zh, "--src-lang", "fr", "--tgt-lang", "zh", *FAST, "-o", tmp_path / "o.tmx", "--fill")
    assert result.exit_code == EXIT_MODEL
    assert "no fr→zh translation model installed, and no en→zh to pivot through English" in result.stderr
    assert not (tmp_path / "o.tmx").exists()


def test_batch_fr_ru_fills_gaps_by_the_pivot(installed, pair, tmp_path):
    fr, ru = pair
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text(f"{fr.name}\t{ru.name}\tdoc\n", encoding="utf-8")
    out = tmp_path / "batch"
    result = run("batch", "--pairs", manifest, "-o", out, "--jobs", "1", "--no-progress", "--src-lang", "fr",
                 "--tgt-lang", "ru", *FAST)
    assert result.exit_code == 0, result.output
    mt_tmx = list((out / "docs").glob("*.mt.tmx"))
    assert len(mt_tmx) == 1, sorted(p.name for p in (out / "docs").iterdir())
    [unit] = etree.parse(str(mt_tmx[0]), etree.XMLParser(resolve_entities=False, no_network=True)).xpath("//tu")
    assert [s.text for s in unit.iter("seg")] == [GAP, EN_RU]
    assert unit.xpath(".//prop[@type='x-mt-engine']/text()") == [PIVOT_ENGINE]
