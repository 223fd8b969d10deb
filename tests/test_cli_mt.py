"""`aligner align` with machine translation: a real (tiny) argos model installed, --mt FILE, gap filling in every
output format. The tiny model translates every sentence to argos_fixture.TINY_OUTPUT."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from aligner.cli import main
from aligner.mt import packages as pk
from argos_fixture import TINY_OUTPUT, isolate_packages

DTD = Path(__file__).resolve().parents[1] / "aligner" / "data" / "tmx14.dtd"   # the official DTD, shipped
RU = ("Министр С.В.Лавров прибыл в Минск 15 декабря 2023 г.\n\n"
      "Эта фраза не переведена на английский язык и осталась без пары.\n\n"
      "Стороны обсудили сотрудничество в рамках ОДКБ и СНГ.\n")
EN = ("Minister Sergey Lavrov arrived in Minsk on December 15, 2023.\n\n"
      "The parties discussed cooperation within the CSTO and the CIS.\n")


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    isolate_packages(monkeypatch, tmp_path)


@pytest.fixture
def pair(tmp_path):
    ru, en = tmp_path / "doc.ru.txt", tmp_path / "doc.en.txt"
    ru.write_text(RU, encoding="utf-8")
    en.write_text(EN, encoding="utf-8")
    return ru, en


@pytest.fixture
def model(tiny_argosmodel, tmp_path):
    return pk.install_package(tiny_argosmodel, tmp_path / "packages")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], env={"SOURCE_DATE_EPOCH": "1700000000"})


def test_gap_filled_with_mt_in_every_format(model, pair, tmp_path):
    ru, en = pair
    for fmt in ("tmx", "tsv", "jsonl"):
        result = run("align", ru, en, "-o", tmp_path / f"out.{fmt}", "--signals", "length,anchors", "--mt-inline")
        assert result.exit_code == 0, result.output
        assert "1 filled by MT" in result.stderr
    tmx = (tmp_path / "out.tmx").read_bytes()
    tree = etree.fromstring(tmx, etree.XMLParser(resolve_entities=False, no_network=True))
    assert etree.DTD(str(DTD)).validate(tree)
    mt_units = [tu for tu in tree.iter("tu") if tu.xpath(".//prop[@type='x-origin' and text()='MT']")]
    assert len(mt_units) == 1
    segs = [s.text for s in mt_units[0].iter("seg")]
    assert segs == ["Эта фраза не переведена на английский язык и осталась без пары.", TINY_OUTPUT]
    assert "argostranslate translate-ru_en" in "".join(mt_units[0].xpath(".//prop[@type='x-mt-engine']/text()"))
    assert mt_units[0].xpath(".//note")
    assert len(list(tree.iter("tu"))) == 3           # two human units and the MT one

    header, *rows = (tmp_path / "out.tsv").read_text(encoding="utf-8").splitlines()
    col = {name: k for k, name in enumerate(header.split("\t"))}
    origins = [r.split("\t")[col["origin"]] for r in rows]
    assert origins.count("MT") == 1
    mt_row = rows[origins.index("MT")].split("\t")
    assert mt_row[col["tgt"]] == TINY_OUTPUT and mt_row[col["tgt_ids"]] == ""

    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["origin"] for r in records].count("MT") == 1


def test_mt_separate_and_no_fill(model, pair, tmp_path):
    ru, en = pair
    assert run("align", ru, en, "-o", tmp_path / "a.tmx", "--signals", "length,anchors", "--mt-separate").exit_code == 0
    main_units = etree.parse(str(tmp_path / "a.tmx")).xpath("//tu")
    mt_units = etree.parse(str(tmp_path / "a.mt.tmx")).xpath("//tu")
    assert len(main_units) == 2 and len(mt_units) == 1
    assert run("align", ru, en, "-o", tmp_path / "b.tmx", "--signals", "length,anchors", "--no-fill").exit_code == 0
    assert b"x-origin" not in (tmp_path / "b.tmx").read_bytes()
    assert run("align", ru, en, "-o", tmp_path / "c.tmx", "--signals", "length,anchors", "--mt", "none").exit_code == 0
    assert b"x-origin" not in (tmp_path / "c.tmx").read_bytes()


def test_mt_signal_from_the_installed_model(model, pair, tmp_path):
    ru, en = pair
    result = run("align", ru, en, "-o", tmp_path / "o.beads", "--signals", "length,anchors,mt")
    assert result.exit_code == 0, result.output
    assert "signals: length, anchors, mt" in result.stderr
    assert (tmp_path / "o.beads").read_text().split() == ["[0]:[0]", "[1]:[]", "[2]:[1]"]


def test_mt_file_is_a_signal_and_needs_one_line_per_sentence(pair, tmp_path):
    ru, en = pair
    mt = tmp_path / "doc.mt"
    mt.write_text("Minister S.V. Lavrov arrived in Minsk on 15 December 2023.\n"
                  "This phrase is not translated into English and remained without a pair.\n"
                  "The parties discussed cooperation within the CSTO and the CIS.\n", encoding="utf-8")
    result = run("align", ru, en, "-o", tmp_path / "o.beads", "--mt", mt)
    assert result.exit_code == 0, result.output
    assert ", mt" in result.stderr
    assert (tmp_path / "o.beads").read_text().split() == ["[0]:[0]", "[1]:[]", "[2]:[1]"]

    mt.write_text("Only one line.\n", encoding="utf-8")
    result = run("align", ru, en, "-o", tmp_path / "p.beads", "--mt", mt)
    assert result.exit_code == 1 and str(mt) in result.stderr and "3 sentences" in result.stderr
    assert not (tmp_path / "p.beads").exists()


def test_asking_for_mt_without_a_model_says_how_to_get_one(pair, tmp_path):
    ru, en = pair
    result = run("align", ru, en, "-o", tmp_path / "o.tmx", "--signals", "length,anchors,mt")
    assert result.exit_code == 4
    assert "aligner models install" in result.stderr
    assert not (tmp_path / "o.tmx").exists()


def test_evaluate_mt_scores_the_installed_model_against_the_english(model, pair, tmp_path):
    ru, en = pair
    assert run("align", ru, en, "-o", tmp_path / "a.tmx", "--signals", "length,anchors", "--no-fill").exit_code == 0
    saved = tmp_path / "mt.txt"
    result = run("evaluate-mt", tmp_path / "a.tmx", "--save-mt", saved)
    assert result.exit_code == 0, result.output
    scores = {s["name"]: s for s in json.loads(result.stdout)}
    assert {"BLEU", "chrF2", "TER"} <= set(scores)
    assert all(s["signature"] for s in scores.values())
    # two human units, each translated by the tiny model to the same sentence
    assert saved.read_text(encoding="utf-8").splitlines() == [TINY_OUTPUT, TINY_OUTPUT]
    assert scores["BLEU"]["score"] < 20        # "Peace and cooperation." is not the official translation
