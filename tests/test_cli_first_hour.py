"""What a new user meets in the first hour (issue 12), each through the CLI: outputs that would destroy an input or
a device, MT kept out of the trusted TMX, the headline as a unit in both input formats, -q, the missing-model
hint, `score --tmx` without `--hyp`, unknown output extensions, the --strict sentence, a TMX that needs no DTD
beside it, and short headings without a length flag."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from aligner.cli import main
from aligner.mt import packages as pk
from argos_fixture import TINY_OUTPUT, isolate_packages
from datapaths import DTD, FIXTURES, UN

ROOT = Path(__file__).resolve().parents[1]
FAST = ["--signals", "length,anchors", "--mt", "none"]
ENV = {"SOURCE_DATE_EPOCH": "1700000000"}

RU = ("Министр иностранных дел России провёл переговоры в Москве.\n\n"
      "Стороны обсудили вопросы двустороннего сотрудничества. Особое внимание было уделено экономике.\n\n"
      "Эта фраза не переведена на английский язык и осталась без пары.\n\n"
      "Следующая встреча состоится в Минске в следующем году.\n")
EN = ("The Russian Foreign Minister held talks in Moscow.\n\n"
      "The parties discussed bilateral cooperation. Particular attention was paid to the economy.\n\n"
      "The next meeting will take place in Minsk next year.\n")


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """No model, no cache, no settings from the machine running the tests."""
    isolate_packages(monkeypatch, tmp_path)
    (tmp_path / "packages").mkdir()


@pytest.fixture
def pair(tmp_path):
    ru, en = tmp_path / "doc.ru.txt", tmp_path / "doc.en.txt"
    ru.write_text(RU, encoding="utf-8")
    en.write_text(EN, encoding="utf-8")
    return ru, en


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env={**ENV, **(env or {})})


def one_line_error(result, code: int, *parts: str) -> str:
    assert result.exit_code == code, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("aligner: error: "), lines
    for part in parts:
        assert part in lines[0], (part, lines[0])
    return lines[0]


def tsv_rows(path: Path) -> list[dict]:
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    names = header.split("\t")
    return [dict(zip(names, row.split("\t"))) for row in rows]


# --- no output may be an input, a device, or fail after the main output is written --------------------------------

@pytest.mark.parametrize("which", ["ru", "en"])
def test_output_that_is_an_input_is_refused_and_the_input_untouched(pair, which):
    ru, en = pair
    target = ru if which == "ru" else en
    before = target.read_bytes()
    one_line_error(run("align", ru, en, "-o", target, "--format", "tmx", *FAST), 3, str(target),
                   "-o names an input of this run", "never overwritten")
    assert target.read_bytes() == before


def test_output_reaching_an_input_through_a_symlink_or_another_spelling_is_refused(pair, tmp_path, monkeypatch):
    ru, en = pair
    link = tmp_path / "link.tmx"
    link.symlink_to(ru)
    before = ru.read_bytes()
    one_line_error(run("align", ru, en, "-o", link, *FAST), 3, str(link), f"({ru})")
    monkeypatch.chdir(tmp_path)
    one_line_error(run("align", ru, en, "-o", f"../{tmp_path.name}/doc.ru.txt", "--format", "tsv", *FAST), 3,
                   "names an input")
    assert ru.read_bytes() == before and link.is_symlink()


def test_review_page_and_mt_companion_may_not_be_inputs_either(pair, tmp_path):
    ru, en = pair
    before = ru.read_bytes()
    out = tmp_path / "out.tmx"
    one_line_error(run("align", ru, en, "-o", out, "--review", ru, *FAST), 3, "--review names an input")
    # An English input named like the companion file of -o: out.mt.tmx would be overwritten with MT units.
    named_like = tmp_path / "out.mt.tmx"
    named_like.write_bytes(en.read_bytes())
    one_line_error(run("align", ru, named_like, "-o", out, *FAST), 3, str(named_like),
                   "the MT file beside -o names an input")
    assert named_like.read_bytes() == en.read_bytes()
    # --mt-inline writes no companion: then the same names are fine.
    assert run("align", ru, named_like, "-o", out, "--mt-inline", *FAST).exit_code == 0
    assert ru.read_bytes() == before and not out.with_suffix(".html").exists()
    one_line_error(run("align", ru, en, "-o", out, "--review", out, *FAST), 3, "-o writes the same file")


def test_review_and_score_outputs_are_checked_against_inputs(pair, tmp_path):
    ru, en = pair
    before = en.read_bytes()
    one_line_error(run("review", ru, en, "-o", en, *FAST), 3, "-o names an input")
    ref = tmp_path / "ref.en"
    ref.write_text("Thank you.\n", encoding="utf-8")
    one_line_error(run("score", "--ref", ref, "--hyp", ref, "-o", ref), 3, "-o names an input")
    assert en.read_bytes() == before and ref.read_text(encoding="utf-8") == "Thank you.\n"


def test_a_device_is_never_replaced_and_dash_writes_stdout(pair):
    ru, en = pair
    null = Path(os.devnull)
    assert stat.S_ISCHR(null.stat().st_mode)
    one_line_error(run("align", ru, en, "-o", os.devnull, "--format", "tsv", *FAST), 3, os.devnull,
                   "not a regular file", "-o - writes to stdout")
    one_line_error(run("align", ru, en, "-o", "out.tmx", "--review", os.devnull, *FAST), 3, "not a regular file")
    assert stat.S_ISCHR(null.stat().st_mode)            # still the device, not a file put in its place
    result = run("align", ru, en, "-o", "-", "--format", "tsv", *FAST)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("doc\tsrc_ids\t")


def test_a_fifo_output_is_refused_without_blocking(pair, tmp_path):
    ru, en = pair
    fifo = tmp_path / "out.tmx"
    os.mkfifo(fifo)
    one_line_error(run("align", ru, en, "-o", fifo, *FAST), 3, "not a regular file")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_review_path_that_cannot_be_written_fails_before_the_main_output(pair, tmp_path):
    ru, en = pair
    out = tmp_path / "out.tmx"
    one_line_error(run("align", ru, en, "-o", out, "--review", tmp_path / "no-such-folder" / "r.html", *FAST), 3,
                   "--review", "folder does not exist")
    folder = tmp_path / "a-folder"
    folder.mkdir()
    one_line_error(run("align", ru, en, "-o", out, "--review", folder, *FAST), 3, "--review", "is a directory")
    assert not out.exists() and not (tmp_path / "out.mt.tmx").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["doc.en.txt", "doc.ru.txt"]


def test_outputs_honour_the_umask(pair, tmp_path):
    ru, en = pair
    script = ("import os, sys; os.umask(0o027); from aligner.cli import main; "
              "sys.argv = ['aligner'] + sys.argv[1:]; main()")
    out, review = tmp_path / "out.tsv", tmp_path / "r.html"
    done = subprocess.run([sys.executable, "-c", script, "align", str(ru), str(en), "-o", str(out),
                           "--review", str(review), *FAST], capture_output=True, text=True,
                          env={**os.environ, **ENV})
    assert done.returncode == 0, done.stderr
    for path in (out, review):
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, oct(path.stat().st_mode)   # 0666 & ~027
    done = subprocess.run([sys.executable, "-c", script.replace("0o027", "0o002"), "align", str(ru), str(en),
                           "-o", str(out), *FAST], capture_output=True, text=True, env={**os.environ, **ENV})
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o664


# --- machine translation stays out of the trusted TMX ----------------------------------------------------------

@pytest.fixture
def model(tiny_argosmodel, tmp_path):
    return pk.install_package(tiny_argosmodel, tmp_path / "packages")


def test_mt_units_go_to_the_companion_file_by_default(model, pair, tmp_path):
    ru, en = pair
    out = tmp_path / "out.tmx"
    result = run("align", ru, en, "-o", out, "--signals", "length,anchors")
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stderr and f"wrote {tmp_path / 'out.mt.tmx'}" in result.stderr
    main_tmx = etree.parse(str(out)).getroot()
    assert TINY_OUTPUT.encode() not in out.read_bytes()
    assert not main_tmx.xpath("//prop[@type='x-origin']")
    assert len(main_tmx.findall(".//tu")) == 4                   # the four human units only (5 + 4 sentences)
    mt_tmx = etree.parse(str(tmp_path / "out.mt.tmx")).getroot()
    (unit,) = mt_tmx.findall(".//tu")
    assert [s.text for s in unit.iter("seg")] == ["Эта фраза не переведена на английский язык и осталась без пары.",
                                                 TINY_OUTPUT]
    assert unit.xpath(".//prop[@type='x-origin']/text()") == ["MT"]

    # --mt-inline: one file, the MT unit marked inside it.
    inline = tmp_path / "inline.tmx"
    assert run("align", ru, en, "-o", inline, "--signals", "length,anchors", "--mt-inline").exit_code == 0
    assert not (tmp_path / "inline.mt.tmx").exists()
    assert len(etree.parse(str(inline)).getroot().xpath("//prop[@type='x-origin' and text()='MT']")) == 1

    # A TMX on stdout has no companion: the MT unit is left out, and the user is told how to get it.
    result = run("align", ru, en, "-o", "-", "--signals", "length,anchors")
    assert result.exit_code == 0, result.output
    assert TINY_OUTPUT not in result.stdout and "<tu " in result.stdout
    assert "1 machine-translated unit left out of the TMX on stdout" in result.stderr


def test_batch_keeps_mt_out_of_the_trusted_tmx_by_default(model, pair, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in pair:
        (corpus / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    result = run("batch", corpus, "-o", out, "-j", "1", "--signals", "length,anchors", "--no-progress")
    assert result.exit_code == 0, result.output
    assert TINY_OUTPUT.encode() not in (out / "docs" / "doc.tmx").read_bytes()
    assert TINY_OUTPUT.encode() in (out / "docs" / "doc.mt.tmx").read_bytes()


# --- the headline is a unit in both input formats ----------------------------------------------------------------

def test_html_headline_is_aligned_as_a_unit_and_the_date_travels_as_a_property(tmp_path):
    ru, en = FIXTURES / "read" / "mfa_ru.html", FIXTURES / "read" / "mfa_en.html"
    out = tmp_path / "page.tsv"
    result = run("align", ru, en, "-o", out, *FAST)
    assert result.exit_code == 0, result.output
    first = tsv_rows(out)[0]
    assert first["src"].startswith("Вступительное слово Министра иностранных дел Российской Федерации С.В.Лаврова")
    assert first["tgt"].startswith("Foreign Minister Sergey Lavrov's opening remarks at a meeting of the Collegiums")
    assert first["type"] == "1-1" and first["src_ids"] == "0" and first["tgt_ids"] == "0"
    tmx = tmp_path / "page.tmx"
    assert run("align", ru, en, "-o", tmx, *FAST).exit_code == 0
    units = etree.parse(str(tmx)).getroot().findall(".//tu")
    assert units[0].findall("tuv")[0].findtext("seg") == first["src"]
    assert {u.findtext("prop[@type='x-date']") for u in units} == {"2023-12-15"}


def test_plain_text_headline_is_aligned_the_same_way(tmp_path):
    # The seed's layout: a header (title, dateline, number) above the text; the Russian side written to match.
    ru = tmp_path / "s.ru.txt"
    ru.write_text("Вступительное слово Министра иностранных дел России С.В.Лаврова на совместном заседании коллегий, "
                  "Москва, 15 декабря 2023 года\n\n15 декабря 2023 12:21\n2545-15-12-2023\n\n"
                  "Уважаемый Сергей Фёдорович,\n\nКоллеги,\n\nРады приветствовать белорусских коллег в Москве.\n",
                  encoding="utf-8")
    en = tmp_path / "s.en.txt"
    en.write_text("Foreign Minister Sergey Lavrov's opening remarks at a joint meeting of the Collegiums, Moscow, "
                  "December 15, 2023\n\n15 December 2023 12:21\n2545-15-12-2023\n\nMr Aleinik,\n\nColleagues,\n\n"
                  "We are delighted to welcome our Belarusian colleagues to Moscow.\n", encoding="utf-8")
    out = tmp_path / "s.tmx"
    result = run("align", ru, en, "-o", out, *FAST)
    assert result.exit_code == 0, result.output
    units = etree.parse(str(out)).getroot().findall(".//tu")
    assert [t.findtext("seg") for t in units[0].findall("tuv")] == [
        "Вступительное слово Министра иностранных дел России С.В.Лаврова на совместном заседании коллегий, Москва, "
        "15 декабря 2023 года",
        "Foreign Minister Sergey Lavrov's opening remarks at a joint meeting of the Collegiums, Moscow, December 15, "
        "2023"]
    assert units[0].get("tuid") == "2545-15-12-2023:0:0"
    assert {u.findtext("prop[@type='x-date']") for u in units} == {"2023-12-15"}
    assert len(units) == 4


# --- quiet, and the missing model said once ------------------------------------------------------------------------

def test_quiet_align_and_batch_print_nothing_but_errors(pair, tmp_path):
    ru, en = pair
    loud = run("align", ru, en, "-o", tmp_path / "a.tmx", "--signals", "length,anchors")
    assert "no ru→en model installed" in loud.stderr and "wrote" in loud.stderr   # there is something to quiet
    assert "has no English" in loud.stderr
    result = run("-q", "align", ru, en, "-o", tmp_path / "q.tmx", "--signals", "length,anchors")
    assert result.exit_code == 0 and result.stderr == "" and result.stdout == ""
    assert (tmp_path / "q.tmx").exists()

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in pair:
        (corpus / path.name).write_bytes(path.read_bytes())
    (corpus / "lonely.ru.txt").write_text(RU, encoding="utf-8")          # unpaired: normally reported
    result = run("-q", "batch", corpus, "-o", tmp_path / "out", "-j", "1", "--signals", "length,anchors")
    assert result.exit_code == 0, result.output
    assert result.stderr == "" and result.stdout == ""
    assert (tmp_path / "out" / "docs" / "doc.tmx").exists()
    # errors still come through
    result = run("-q", "align", ru, tmp_path / "missing.en.txt", "-o", tmp_path / "e.tmx", *FAST)
    assert result.exit_code == 1 and result.stderr.startswith("aligner: error: ")


@pytest.mark.parametrize("verbosity", [[], ["-v"]])
def test_a_missing_model_is_said_once(pair, tmp_path, verbosity):
    ru, en = pair
    result = run(*verbosity, "align", ru, en, "-o", tmp_path / "a.tsv")   # default signals and gap filling
    assert result.exit_code == 0, result.output
    assert result.stderr.count("no ru→en model installed") == 1, result.stderr
    line = next(x for x in result.stderr.splitlines() if "no ru→en model installed" in x)
    assert str(tmp_path / "packages") in line and "no ru→en model" in line and "gap filling is off" in line
    assert "models install" in line
    # --no-fill and --mt none say they do not want it: nothing to warn about
    for opt in (["--no-fill"], ["--mt", "none"]):
        quiet = run("align", ru, en, "-o", tmp_path / "b.tsv", *opt)
        assert quiet.exit_code == 0 and "no ru→en model" not in quiet.stderr


def test_batch_says_the_missing_model_once_for_the_whole_job(pair, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for k in range(3):
        for path, lang in zip(pair, ("ru", "en")):
            (corpus / f"d{k}.{lang}.txt").write_bytes(path.read_bytes())
    result = run("batch", corpus, "-o", tmp_path / "out", "-j", "1", "--signals", "length,anchors")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("no ru→en model installed") == 1, result.stderr


# --- score, output extensions, --strict ----------------------------------------------------------------------------

def test_score_tmx_without_hyp_is_an_error_that_says_what_to_pass(pair, tmp_path):
    ru, en = pair
    tmx = tmp_path / "a.tmx"
    assert run("align", ru, en, "-o", tmx, *FAST).exit_code == 0
    result = run("score", "--tmx", tmx)
    assert result.exit_code == 2 and result.stdout == ""
    assert "--tmx needs --hyp FILE" in result.stderr and "evaluate-mt" in result.stderr
    # naming the other side explicitly is no way round it when it is another language
    assert run("score", "--tmx", tmx, "--hyp-lang", "ru-RU", "--ref-lang", "en-GB").exit_code == 2
    hyp = tmp_path / "hyp.en"
    hyp.write_text("".join(f"{u.findtext('tuv[2]/seg')}\n" for u in etree.parse(str(tmx)).getroot().iter("tu")),
                   encoding="utf-8")
    result = run("score", "--tmx", tmx, "--hyp", hyp, "--metrics", "chrf")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["score"] == 100.0    # the English side itself: a perfect hypothesis


@pytest.mark.parametrize("name", ["x.docx", "x.txt", "noext"])
def test_unknown_output_extension_is_an_error_unless_format_is_given(pair, tmp_path, name):
    ru, en = pair
    out = tmp_path / name
    result = run("align", ru, en, "-o", out, *FAST)
    assert result.exit_code == 2, result.output
    assert "names no output format" in result.stderr and "--format" in result.stderr
    assert not out.exists()
    result = run("align", ru, en, "-o", out, "--format", "tsv", *FAST)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("doc\tsrc_ids\t")


def test_strict_message_reads_as_a_sentence(tmp_path):
    ru_lines = (UN / "UNv1.0.devset.excerpt.ru").read_text(encoding="utf-8").splitlines()
    en_lines = (UN / "UNv1.0.devset.excerpt.en").read_text(encoding="utf-8").splitlines()
    ru, en = tmp_path / "ten.ru.txt", tmp_path / "unrel.en.txt"
    ru.write_text("\n\n".join(ru_lines[:30]) + "\n", encoding="utf-8")
    en.write_text("\n\n".join(en_lines[250:280]) + "\n", encoding="utf-8")
    line = one_line_error(run("align", ru, en, "-o", tmp_path / "o.tmx", "--strict", *FAST), 5)
    assert line == (f"aligner: error: {ru}: low alignment confidence against {en} across the document: the two do "
                    "not look like a translation of each other (--strict)")


# --- a TMX that needs nothing beside it -------------------------------------------------------------------------------

def test_tmx_has_no_doctype_to_resolve_and_validates_against_the_shipped_dtd(pair, tmp_path):
    ru, en = pair
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    out = folder / "a.tmx"
    assert run("align", ru, en, "-o", out, *FAST).exit_code == 0
    assert os.listdir(folder) == ["a.tmx", "a.mt.tmx"] or sorted(os.listdir(folder)) == ["a.mt.tmx", "a.tmx"]
    data = out.read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">')
    # A reader that loads DTDs (as xmllint --valid does) finds nothing to fetch, hence nothing missing.
    tree = etree.parse(str(out), etree.XMLParser(load_dtd=True, no_network=True, resolve_entities=False))
    assert tree.docinfo.doctype == "" and tree.docinfo.system_url is None
    dtd = etree.DTD(str(DTD))
    assert dtd.validate(tree.getroot()), dtd.error_log.filter_from_errors()
    from translate.storage import tmx as tt_tmx
    assert len(tt_tmx.tmxfile.parsestring(data).units) == 4


# --- QA flags ---------------------------------------------------------------------------------------------------------

def test_short_headings_are_not_flagged_for_length(tmp_path):
    ru, en = tmp_path / "h.ru.txt", tmp_path / "h.en.txt"
    ru.write_text("Обмен информацией и опытом\n\nСтороны договорились регулярно обмениваться информацией.\n",
                  encoding="utf-8")
    en.write_text("Exchange of information and experiences\n\nThe parties agreed to exchange information "
                  "regularly.\n", encoding="utf-8")
    out = tmp_path / "h.tsv"
    assert run("align", ru, en, "-o", out, *FAST).exit_code == 0
    rows = tsv_rows(out)
    assert rows[0]["src"] == "Обмен информацией и опытом" and rows[0]["tgt"] == "Exchange of information and experiences"
    assert "length-ratio" not in rows[0]["flags"].split(",")    # 39/26 = 1.50, but a heading
    # the same words as sentences are still checked: the heading is what spares them
    from aligner.quality.flags import length_flags
    assert length_flags(rows[0]["src"] + ".", rows[0]["tgt"] + ".") == ("length-ratio",)
