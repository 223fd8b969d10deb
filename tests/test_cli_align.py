"""`aligner align` and `aligner split` end to end, as a user runs them."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from aligner.cli import main
from aligner.model import parse_bead

ROOT = Path(__file__).resolve().parents[1]
DTD = ROOT / "aligner" / "data" / "tmx14.dtd"      # the official TMX 1.4 DTD, shipped with the package
FAST = ["--signals", "length,anchors", "--mt", "none"]


@pytest.fixture(scope="module")
def udhr(tmp_path_factory):
    """The UDHR as plain text, one paragraph per numbered segment of the source TSV: corpora/udhr, copied."""
    folder = tmp_path_factory.mktemp("udhr")
    ru, en = folder / "udhr.ru.txt", folder / "udhr.en.txt"
    ru.write_bytes((ROOT / "corpora" / "udhr" / "udhr.ru.txt").read_bytes())
    en.write_bytes((ROOT / "corpora" / "udhr" / "udhr.en.txt").read_bytes())
    return ru, en


def run(*args, env=None):
    result = CliRunner().invoke(main, [str(a) for a in args], env=env or {"SOURCE_DATE_EPOCH": "1700000000"})
    return result


def test_udhr_tmx_validates_reads_back_and_keeps_the_extra_preamble_segment(udhr, tmp_path):
    ru, en = udhr
    tmx_path, tsv_path, beads_path = tmp_path / "u.tmx", tmp_path / "u.tsv", tmp_path / "u.beads"
    for out in (tmx_path, tsv_path, beads_path):
        result = run("align", ru, en, "-o", out, *FAST)
        assert result.exit_code == 0, result.output

    data = tmx_path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    dtd = etree.DTD(str(DTD))
    assert dtd.validate(etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))), \
        dtd.error_log.filter_from_errors()

    # The TSV lists every bead; the TMX must hold exactly the ones with both sides, same text, same order.
    rows = [line.split("\t") for line in tsv_path.read_text(encoding="utf-8").splitlines()[1:]]
    header = tsv_path.read_text(encoding="utf-8").splitlines()[0].split("\t")
    col = {name: k for k, name in enumerate(header)}
    paired = [(r[col["src"]], r[col["tgt"]]) for r in rows if r[col["src_ids"]] and r[col["tgt_ids"]]]

    from translate.storage import tmx
    store = tmx.tmxfile.parsestring(data)
    units = [(u.source, u.target) for u in store.units if u.source]
    assert units == paired
    assert len(units) >= 90

    # "Now, therefore," has no Russian counterpart: a 0-1 bead, not glued to a neighbour.
    now = [r for r in rows if r[col["tgt"]] == "Now, therefore,"]
    assert len(now) == 1 and now[0][col["src_ids"]] == "" and now[0][col["type"]] == "0-1"

    beads = [parse_bead(line) for line in beads_path.read_text().splitlines()]
    src = [i for s, _ in beads for i in s]
    tgt = [j for _, t in beads for j in t]
    assert src == list(range(len(src))) and tgt == list(range(len(tgt)))
    n_ru = run("split", ru, "--lang", "ru").output.replace("\n\n", "\n").strip().count("\n") + 1
    assert len(src) == n_ru


def test_same_input_same_options_gives_identical_bytes(udhr, tmp_path):
    ru, en = udhr
    outputs = []
    for k in range(2):
        out = tmp_path / f"run{k}.tmx"
        assert run("align", ru, en, "-o", out, *FAST).exit_code == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b'creationdate="20231114T221320Z"' in outputs[0]


def test_stdout_output_and_format_option(udhr):
    ru, en = udhr
    result = run("align", ru, en, "-o", "-", "--format", "beads", *FAST)
    assert result.exit_code == 0
    lines = [l for l in result.stdout.splitlines() if l.strip()]
    assert lines[0].startswith("[0") and all(":" in l for l in lines)


def test_lines_input_counts_sentences_only(tmp_path):
    ru = tmp_path / "a.ru"
    en = tmp_path / "a.en"
    ru.write_text("Первое предложение о НАТО.\nВторое предложение о 2023 годе.\n\nТретье, в новом абзаце.\n",
                  encoding="utf-8")
    en.write_text("The first sentence about NATO.\nThe second sentence about 2023.\n\nThe third, in a new paragraph.\n",
                  encoding="utf-8")
    result = run("align", ru, en, "-o", "-", "--format", "beads", "--input-format", "lines", *FAST)
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["[0]:[0]", "[1]:[1]", "[2]:[2]"]


@pytest.mark.parametrize("case, problem", [
    ("missing", "no such file"),
    ("directory", "directory"),
    ("empty", "empty"),
    ("whitespace", "whitespace"),
    ("binary", "binary"),
])
def test_bad_input_is_one_line_naming_the_file_with_no_output(tmp_path, case, problem):
    good = tmp_path / "good.en.txt"
    good.write_text("A sentence. Another one.\n", encoding="utf-8")
    bad = tmp_path / "bad.ru.txt"
    if case == "directory":
        bad.mkdir()
    elif case == "empty":
        bad.write_bytes(b"")
    elif case == "whitespace":
        bad.write_text("  \n\t\n", encoding="utf-8")
    elif case == "binary":
        bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    out = tmp_path / "out.tmx"
    result = run("align", bad, good, "-o", out, *FAST)
    assert result.exit_code == 1
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and str(bad) in lines[0] and problem in lines[0].lower(), result.stderr
    assert "Traceback" not in result.output
    expected = {"good.en.txt"} | ({"bad.ru.txt"} if case != "missing" else set())
    assert {p.name for p in tmp_path.iterdir()} == expected      # no output, no temporary file


def test_undecodable_bytes(tmp_path):
    good = tmp_path / "good.en.txt"
    good.write_text("A sentence.\n", encoding="utf-8")
    bad = tmp_path / "bad.ru.txt"
    bad.write_bytes("Текст".encode("utf-8") + b"\xff\xfe\xfd" + "ещё текст, и ещё.".encode("utf-8"))
    result = run("align", bad, good, "-o", tmp_path / "o.tmx", *FAST)
    assert result.exit_code == 1 and str(bad) in result.stderr
    assert not (tmp_path / "o.tmx").exists()


def test_unwritable_output_path(udhr, tmp_path):
    ru, en = udhr
    out = tmp_path / "missing-folder" / "out.tmx"
    result = run("align", ru, en, "-o", out, *FAST)
    assert result.exit_code == 3
    assert str(out) in result.stderr and "Traceback" not in result.output
    assert not out.parent.exists()


def test_swapped_files_are_refused(udhr, tmp_path):
    ru, en = udhr
    result = run("align", en, ru, "-o", tmp_path / "o.tmx", *FAST)
    assert result.exit_code == 5
    assert "swapped" in result.stderr
    assert not (tmp_path / "o.tmx").exists()


def test_split_prints_one_sentence_per_line(tmp_path):
    doc = tmp_path / "s.ru.txt"
    doc.write_text("С.В.Лавров прибыл в Москву 15 декабря 2023 г. Переговоры прошли успешно.\n\nВторой абзац.\n",
                   encoding="utf-8")
    result = run("split", doc, "--lang", "ru")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["С.В.Лавров прибыл в Москву 15 декабря 2023 г.",
                                          "Переговоры прошли успешно.", "", "Второй абзац."]


def test_help_shows_examples():
    for command in ("align", "split"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Example" in result.output
