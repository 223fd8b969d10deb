"""Output writers: TMX 1.4 (DTD-valid, read back by translate-toolkit), TSV, JSONL, bead files, atomic writes."""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
from lxml import etree
from translate.storage import tmx as tt_tmx

from aligner.errors import AlignerError, InputError, OutputError
from aligner.model import Alignment, Bead, Document, Sentence
from aligner.write import (FORMATS, WriteOptions, mt_path, read_beads, render, render_many, validate_tmx,
                           write_alignment)

REPO = Path(__file__).resolve().parents[1]
SHIPPED_DTD = REPO / "aligner" / "data" / "tmx14.dtd"
# sha256 of the official TMX 1.4 DTD as published (mgrbyte/python-tmx @ 88ae390, tmx14.dtd; ../shared/data/tmx)
OFFICIAL_DTD_SHA256 = "08449181cabc3ee37e2ced6958c4a58d3f708d087843e254fc413a2018e2e980"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# MT-filled units in the main TMX, marked as MT (--mt-inline); the default keeps them out (see test_default_...).
INLINE = WriteOptions(mt_separate=False)
MT_NOTE = ("Machine translation (argos translate-ru_en 1.9); no human translation in the source document. "
           "Check before use.")


def document(path: str, texts: list[str], lang: str) -> Document:
    return Document(path=path, paragraphs=[" ".join(texts)],
                    sentences=[Sentence(text, i, 0) for i, text in enumerate(texts)], lang=lang)


def make_alignment(name: str = "2545-15-12-2023") -> Alignment:
    """A 2-1, a 1-1, a 1-0 filled by MT, a 1-0 left empty and a 0-1."""
    ru = document("statement.ru.txt", [
        "Уважаемый господин Алейник!",          # 0 ┐ 2-1
        "Коллеги!",                               # 1 ┘
        "Рады приветствовать вас в Москве.",      # 2   1-1
        "Это заседание — уже девятое.",           # 3   1-0, filled by MT
        "Спасибо за внимание.",                   # 4   1-0, no English, no MT
    ], "ru")
    en = document("statement.en.txt", [
        "Mr Aleinik, colleagues,",                # 0
        "We are glad to welcome you to Moscow.",  # 1
        "Thank you.",                             # 2   0-1: an English addition
    ], "en")
    beads = [
        Bead((0, 1), (0,), 0.91234, flags=("numbers", "length-ratio")),
        Bead((2,), (1,), 0.87656),
        Bead((3,), (), 0.0, mt="This is already the ninth meeting.", mt_engine="argos translate-ru_en 1.9"),
        Bead((4,), (), 0.0),
        Bead((), (2,), 0.0),
    ]
    return Alignment(src=ru, tgt=en, beads=beads, name=name, signals=("length",))


@pytest.fixture(autouse=True)
def fixed_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))


def tt_pairs(data: bytes) -> list[tuple[str, str]]:
    store = tt_tmx.tmxfile.parsestring(data)
    return [(unit.source, unit.target) for unit in store.units]


# -- TMX -------------------------------------------------------------------------------------------------------

def test_shipped_dtd_is_the_official_one():
    import hashlib
    assert hashlib.sha256(SHIPPED_DTD.read_bytes()).hexdigest() == OFFICIAL_DTD_SHA256
    notice = (REPO / "aligner" / "data" / "NOTICE-tmx14-dtd.txt").read_text(encoding="utf-8")
    assert "CC BY 3.0" in notice and "LISA OSCAR" in notice


def test_tmx_is_valid_against_the_official_dtd_and_validate_tmx_accepts_it():
    data = render(make_alignment(), "tmx", WriteOptions())
    dtd = etree.DTD(str(SHIPPED_DTD))
    root = parse(data)
    assert dtd.validate(root), dtd.error_log
    validate_tmx(data)  # the shipped copy, loaded from the package


def test_tmx_prolog_and_header():
    data = render(make_alignment(), "tmx", WriteOptions(src_lang="ru-RU", tgt_lang="en-US", created=1700000000))
    # No DOCTYPE: nothing for a reader to fetch beside the file (validate against the shipped DTD instead).
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx ')
    assert not data.startswith(b"\xef\xbb\xbf")
    root = parse(data)
    assert root.get("version") == "1.4"
    header = root.find("header")
    assert dict(header.attrib) == {
        "creationtool": "aligner", "creationtoolversion": "0.1.0", "segtype": "sentence", "o-tmf": "aligner",
        "adminlang": "en-US", "srclang": "ru-RU", "datatype": "plaintext", "creationdate": "20231114T221320Z",
    }
    langs = {tuv.get(XML_LANG) for tuv in root.iter("tuv")}
    assert langs == {"ru-RU", "en-US"}


def test_translate_toolkit_reads_exactly_the_expected_pairs():
    data = render(make_alignment(), "tmx", INLINE)
    assert tt_pairs(data) == [
        ("Уважаемый господин Алейник! Коллеги!", "Mr Aleinik, colleagues,"),
        ("Рады приветствовать вас в Москве.", "We are glad to welcome you to Moscow."),
        ("Это заседание — уже девятое.", "This is already the ninth meeting."),
    ]
    store = tt_tmx.tmxfile.parsestring(data)
    assert [unit.getid() for unit in store.units] == ["2545-15-12-2023:0-1:0", "2545-15-12-2023:2:1",
                                                      "2545-15-12-2023:3:"]


def test_unit_props():
    root = parse(render(make_alignment(), "tmx", INLINE))
    units = root.findall("body/tu")
    props = [[(p.get("type"), p.text) for p in tu.findall("prop")] for tu in units]
    assert props[0] == [("x-align-type", "2-1"), ("x-align-score", "0.9123"), ("x-document", "2545-15-12-2023"),
                        ("x-flags", "numbers,length-ratio")]
    assert props[1] == [("x-align-type", "1-1"), ("x-align-score", "0.8766"), ("x-document", "2545-15-12-2023")]
    assert props[2][0] == ("x-align-type", "1-0")


def test_mt_unit_is_marked_on_its_english_variant():
    root = parse(render(make_alignment(), "tmx", INLINE))
    mt_unit = root.findall("body/tu")[2]
    ru_tuv, en_tuv = mt_unit.findall("tuv")
    assert ru_tuv.find("prop") is None and ru_tuv.find("note") is None
    assert [child.tag for child in en_tuv] == ["note", "prop", "prop", "seg"]  # the DTD's order
    assert en_tuv.find("note").text == MT_NOTE
    assert [(p.get("type"), p.text) for p in en_tuv.findall("prop")] == [
        ("x-origin", "MT"), ("x-mt-engine", "argos translate-ru_en 1.9")]
    # Human units carry no MT marker anywhere.
    for tu in root.findall("body/tu")[:2]:
        assert not [p for p in tu.iter("prop") if p.get("type") in ("x-origin", "x-mt-engine")]
        assert tu.find(".//note") is None


def test_null_beads_are_not_units():
    root = parse(render(make_alignment(), "tmx", INLINE))
    text = etree.tostring(root, encoding="unicode")
    assert "Спасибо за внимание." not in text and "Thank you." not in text
    assert len(root.findall("body/tu")) == 3


def test_default_options_keep_machine_translation_out_of_the_main_tmx():
    assert WriteOptions().mt_separate is True
    data = render(make_alignment(), "tmx", WriteOptions())
    assert [source for source, _ in tt_pairs(data)] == ["Уважаемый господин Алейник! Коллеги!",
                                                        "Рады приветствовать вас в Москве."]
    assert b"x-origin" not in data and b"This is already the ninth meeting." not in data


def test_the_creation_date_is_an_option_and_the_same_options_give_identical_bytes():
    first = render(make_alignment(), "tmx", WriteOptions(created=1700000000))
    assert first == render(make_alignment(), "tmx", WriteOptions(created=1700000000))
    assert b'creationdate="20231114T221320Z"' in first
    assert b'creationdate="19700101T000000Z"' in render(make_alignment(), "tmx", WriteOptions(created=0))
    # 23:59:59 on the first day
    assert b'creationdate="19700101T235959Z"' in render(make_alignment(), "tmx", WriteOptions(created=86399))
    # The writer reads no clock and no environment: without a date it writes none (the attribute is optional).
    assert b"creationdate" not in render(make_alignment(), "tmx", WriteOptions())


def test_source_date_epoch_is_read_at_the_edge(monkeypatch):
    from aligner.resources import run_epoch
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86399")
    assert run_epoch() == 86399
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(os, "environ", dict(os.environ, SOURCE_DATE_EPOCH="0"))  # the writer never looks
    assert b'creationdate="20231114T221320Z"' in render(make_alignment(), "tmx", WriteOptions(created=1700000000))


def test_without_source_date_epoch_one_run_has_one_timestamp(monkeypatch):
    import time
    import aligner.resources as resources_module

    clock = iter([1709200805.5, 1709200805.5 + 3600, 1709200805.5 + 7200])  # moves an hour on every call
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    monkeypatch.setattr(time, "time", lambda: next(clock))
    monkeypatch.setattr(resources_module, "_run_epoch", None)
    first = render(make_alignment(), "tmx", WriteOptions(created=resources_module.run_epoch()))
    second = render(make_alignment("other"), "tmx", WriteOptions(created=resources_module.run_epoch()))
    assert parse(first).find("header").get("creationdate") == "20240229T100005Z"
    assert parse(second).find("header").get("creationdate") == "20240229T100005Z"


@pytest.mark.parametrize("value", ["yesterday", "-5", "1.5", "1e9", "99999999999999999999"])
def test_invalid_source_date_epoch_is_a_clear_error(monkeypatch, value):
    from aligner.resources import run_epoch
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(AlignerError) as info:
        run_epoch()
    assert "SOURCE_DATE_EPOCH" in info.value.message and value in info.value.message


def test_forbidden_characters_are_removed_from_segs_and_props():
    alignment = make_alignment(name="doc\x02name")
    alignment.src.sentences[2] = Sentence("Рады\x01 приветствовать\x0b вас\ufffe в Москве\ud800.", 2, 0)
    alignment.tgt.sentences[1] = Sentence("We are glad\x1f to welcome\uffff you\x00 to Moscow.", 1, 0)
    alignment.beads[0] = alignment.beads[0].with_(flags=("num\x07bers",))
    data = render(alignment, "tmx", WriteOptions())
    validate_tmx(data)
    assert tt_pairs(data)[1] == ("Рады приветствовать вас в Москве.", "We are glad to welcome you to Moscow.")
    root = parse(data)
    first = root.find("body/tu")
    assert first.get("tuid") == "docname:0-1:0"
    assert [p.text for p in first.findall("prop")][2:] == ["docname", "numbers"]
    # Tab, newline and CR are allowed by XML 1.0 and kept.
    alignment.tgt.sentences[1] = Sentence("We are glad\tto welcome you.", 1, 0)
    assert tt_pairs(render(alignment, "tmx", WriteOptions()))[1][1] == "We are glad\tto welcome you."


def test_no_empty_seg():
    alignment = make_alignment()
    alignment.tgt.sentences[1] = Sentence(" \x01 ", 1, 0)   # nothing left once cleaned
    alignment.beads[2] = alignment.beads[2].with_(mt="")       # MT that produced nothing
    data = render(alignment, "tmx", WriteOptions())
    root = parse(data)
    segs = list(root.iter("seg"))
    assert segs and all(seg.text and seg.text.strip() for seg in segs)
    assert [tu.get("tuid") for tu in root.iter("tu")] == ["2545-15-12-2023:0-1:0"]


def test_xml_special_characters_round_trip():
    alignment = make_alignment()
    alignment.src.sentences[2] = Sentence('Статья 5 <b> & "кавычки" \'апостроф\' ]]>', 2, 0)
    data = render(alignment, "tmx", WriteOptions())
    validate_tmx(data)
    assert tt_pairs(data)[1][0] == 'Статья 5 <b> & "кавычки" \'апостроф\' ]]>'


def test_render_many_merges_documents_with_stable_tuids():
    one = make_alignment("DOC-A")
    two = make_alignment("DOC-B")
    alone = parse(render(one, "tmx", INLINE))
    merged_data = render_many([one, two], "tmx", INLINE)
    validate_tmx(merged_data)
    merged = parse(merged_data)
    ids = [tu.get("tuid") for tu in merged.iter("tu")]
    assert ids == ["DOC-A:0-1:0", "DOC-A:2:1", "DOC-A:3:", "DOC-B:0-1:0", "DOC-B:2:1", "DOC-B:3:"]
    assert [tu.get("tuid") for tu in alone.iter("tu")] == ids[:3]
    assert [p.text for p in merged.iter("prop") if p.get("type") == "x-document"] == ["DOC-A"] * 3 + ["DOC-B"] * 3
    tsv = render_many([one, two], "tsv", WriteOptions()).decode("utf-8").splitlines()
    assert len(tsv) == 1 + 10 and tsv[0].startswith("doc\t")
    assert len(render_many([one, two], "jsonl", WriteOptions()).splitlines()) == 10
    with pytest.raises(ValueError):
        render_many([one, two], "beads", WriteOptions())


def test_unnamed_alignment_falls_back_to_the_russian_file_name():
    data = render(make_alignment(name=""), "tmx", WriteOptions())
    assert parse(data).find("body/tu").get("tuid") == "statement.ru.txt:0-1:0"


def test_validate_tmx_rejects_invalid_documents():
    data = render(make_alignment(), "tmx", WriteOptions())
    broken = data.replace(b' xml:lang="en-GB"', b"", 1)   # xml:lang is #REQUIRED on <tuv>
    with pytest.raises(ValueError, match="lang"):
        validate_tmx(broken)
    with pytest.raises(ValueError, match="DTD"):
        validate_tmx(data.replace(b"<seg>Mr Aleinik, colleagues,</seg>", b""))  # a tuv needs a seg
    with pytest.raises(ValueError, match="well-formed"):
        validate_tmx(data[:200])
    with pytest.raises(ValueError, match="root element"):
        validate_tmx(b"<body/>")


# -- TSV, JSONL, beads -----------------------------------------------------------------------------------------

def test_tsv_has_every_bead():
    lines = render(make_alignment(), "tsv", WriteOptions()).decode("utf-8").split("\n")
    assert lines == [
        "doc\tsrc_ids\ttgt_ids\ttype\tscore\torigin\tflags\tsrc\ttgt",
        "2545-15-12-2023\t0,1\t0\t2-1\t0.9123\thuman\tnumbers,length-ratio\t"
        "Уважаемый господин Алейник! Коллеги!\tMr Aleinik, colleagues,",
        "2545-15-12-2023\t2\t1\t1-1\t0.8766\thuman\t\tРады приветствовать вас в Москве.\t"
        "We are glad to welcome you to Moscow.",
        "2545-15-12-2023\t3\t\t1-0\t0.0000\tMT\t\tЭто заседание — уже девятое.\tThis is already the ninth meeting.",
        "2545-15-12-2023\t4\t\t1-0\t0.0000\thuman\t\tСпасибо за внимание.\t",
        "2545-15-12-2023\t\t2\t0-1\t0.0000\thuman\t\t\tThank you.",
        "",
    ]


def test_tsv_replaces_tabs_and_newlines():
    alignment = make_alignment()
    alignment.src.sentences[2] = Sentence("Рады\tприветствовать\nвас\r\nв Москве.", 2, 0)
    rows = render(alignment, "tsv", WriteOptions()).decode("utf-8").split("\n")
    assert len(rows) == 7
    assert rows[2].split("\t")[7] == "Рады приветствовать вас  в Москве."
    assert all(len(row.split("\t")) == 9 for row in rows[:-1])


def test_jsonl_has_every_bead_in_a_fixed_key_order():
    data = render(make_alignment(), "jsonl", WriteOptions())
    assert "Уважаемый".encode("utf-8") in data  # ensure_ascii=False: the Cyrillic is written as is
    lines = data.decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 5
    assert list(records[0]) == ["doc", "src_ids", "tgt_ids", "type", "score", "origin", "flags", "src", "tgt"]
    assert records[0] == {"doc": "2545-15-12-2023", "src_ids": [0, 1], "tgt_ids": [0], "type": "2-1",
                          "score": 0.9123, "origin": "human", "flags": ["numbers", "length-ratio"],
                          "src": "Уважаемый господин Алейник! Коллеги!", "tgt": "Mr Aleinik, colleagues,"}
    assert records[2]["origin"] == "MT" and records[2]["tgt"] == "This is already the ninth meeting."
    assert records[3]["tgt_ids"] == [] and records[3]["tgt"] == ""
    assert records[4]["src_ids"] == [] and records[4]["src"] == "" and records[4]["tgt"] == "Thank you."


def test_beads_format_and_read_back(tmp_path):
    data = render(make_alignment(), "beads", WriteOptions())
    assert data == b"[0, 1]:[0]\n[2]:[1]\n[3]:[]\n[4]:[]\n[]:[2]\n"
    path = tmp_path / "gold.beads"
    path.write_bytes(data + b"\n")  # a trailing blank line is not a bead
    assert read_beads(str(path)) == [((0, 1), (0,)), ((2,), (1,)), ((3,), ()), ((4,), ()), ((), (2,))]


@pytest.mark.parametrize("bad", ["[0, 1][0]", "[0]:[x]", "0:[1]", "[0]:[1]:[2]", "[-1]:[0]"])
def test_read_beads_names_file_and_line(tmp_path, bad):
    path = tmp_path / "bad.beads"
    path.write_text(f"[0]:[0]\n\n{bad}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_beads(str(path))
    assert info.value.message.startswith(f"{path}: line 3:")
    assert "\n" not in info.value.message


def test_read_beads_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_beads(str(tmp_path / "missing.beads"))


def test_unknown_format_is_refused():
    assert FORMATS == ("tmx", "tsv", "jsonl", "beads")
    with pytest.raises(ValueError, match="xlsx"):
        render(make_alignment(), "xlsx", WriteOptions())


# -- writing files ---------------------------------------------------------------------------------------------

def test_write_alignment_writes_atomically_and_logs_nulls(tmp_path, caplog):
    out = tmp_path / "out.tmx"
    with caplog.at_level(logging.WARNING, logger="aligner"):
        written = write_alignment(make_alignment(), str(out), "tmx", INLINE)
    assert written == [str(out)]
    assert out.read_bytes() == render(make_alignment(), "tmx", INLINE)
    assert sorted(os.listdir(tmp_path)) == ["out.tmx"]  # no temporary file left behind
    assert caplog.messages == [
        "2545-15-12-2023: Russian sentence 5 has no English ([4]:[]): Спасибо за внимание.",
        "2545-15-12-2023: English sentence 3 has no Russian source ([]:[2]): Thank you.",
        "2545-15-12-2023: 2 beads with an empty side not written to the TMX",
    ]


def test_mt_separate_puts_mt_units_in_their_own_file(tmp_path):
    out = tmp_path / "out.tmx"
    written = write_alignment(make_alignment(), str(out), "tmx", WriteOptions(mt_separate=True))
    assert written == [str(out), str(tmp_path / "out.mt.tmx")]
    assert sorted(os.listdir(tmp_path)) == ["out.mt.tmx", "out.tmx"]
    main, extra = out.read_bytes(), (tmp_path / "out.mt.tmx").read_bytes()
    validate_tmx(main)
    validate_tmx(extra)
    assert [source for source, _ in tt_pairs(main)] == ["Уважаемый господин Алейник! Коллеги!",
                                                        "Рады приветствовать вас в Москве."]
    assert tt_pairs(extra) == [("Это заседание — уже девятое.", "This is already the ninth meeting.")]
    assert b"x-origin" not in main and b"Machine translation" not in main
    assert parse(extra).find("header").get("creationdate") == parse(main).find("header").get("creationdate")
    # Only the TMX is split: the TSV keeps every bead, MT included.
    tsv = tmp_path / "out.tsv"
    assert write_alignment(make_alignment(), str(tsv), "tsv", WriteOptions(mt_separate=True)) == [str(tsv)]
    assert "\tMT\t" in tsv.read_text(encoding="utf-8")


def test_mt_path():
    assert mt_path("out.tmx") == "out.mt.tmx"
    assert mt_path("dir/Out.TMX") == "dir/Out.mt.tmx"
    assert mt_path("out") == "out.mt.tmx"


def test_missing_folder_is_an_output_error_and_leaves_nothing(tmp_path):
    out = tmp_path / "missing" / "out.tmx"
    with pytest.raises(OutputError) as info:
        write_alignment(make_alignment(), str(out), "tmx", WriteOptions())
    assert info.value.exit_code == 3 and str(out) in info.value.message
    assert os.listdir(tmp_path) == []


def test_failure_on_the_mt_file_leaves_neither_file(tmp_path):
    (tmp_path / "out.mt.tmx").mkdir()  # the MT file cannot be written: a folder has its name
    with pytest.raises(OutputError, match="is a directory"):
        write_alignment(make_alignment(), str(tmp_path / "out.tmx"), "tmx", WriteOptions(mt_separate=True))
    assert os.listdir(tmp_path) == ["out.mt.tmx"]


def test_failure_while_writing_keeps_the_old_file(tmp_path, monkeypatch):
    out = tmp_path / "out.tsv"
    out.write_text("old\n", encoding="utf-8")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OutputError, match="disk full"):
        write_alignment(make_alignment(), str(out), "tsv", WriteOptions())
    assert out.read_text(encoding="utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["out.tsv"]


def test_stdout(capsysbinary, caplog):
    assert write_alignment(make_alignment(), "-", "beads", WriteOptions()) == ["-"]
    assert capsysbinary.readouterr().out == b"[0, 1]:[0]\n[2]:[1]\n[3]:[]\n[4]:[]\n[]:[2]\n"
    write_alignment(make_alignment(), "-", "tmx", INLINE)
    assert len(tt_pairs(capsysbinary.readouterr().out)) == 3
    # Separate (the default) on stdout: there is no companion file, so the MT unit is left out, with a warning.
    with caplog.at_level(logging.WARNING, logger="aligner"):
        assert write_alignment(make_alignment(), "-", "tmx", WriteOptions()) == ["-"]
    assert tt_pairs(capsysbinary.readouterr().out)[0] == ("Уважаемый господин Алейник! Коллеги!",
                                                          "Mr Aleinik, colleagues,")
    assert "2545-15-12-2023: 1 machine-translated unit left out of the TMX on stdout" in caplog.text


# -- through the command line ----------------------------------------------------------------------------------

@pytest.fixture
def fake_pipeline(monkeypatch):
    """`aligner align` with the hand-made alignment in place of reading and aligning (other tests cover those)."""
    calls = []

    def align_files(ru, en, options, resources=None):
        calls.append(options)
        return make_alignment()
    monkeypatch.setattr("aligner.pipeline.align_files", align_files)
    return calls


def test_cli_align_tmx_with_mt_separate(tmp_path, fake_pipeline):
    from click.testing import CliRunner
    from aligner.cli import main

    out = tmp_path / "statement.tmx"
    result = CliRunner().invoke(main, ["align", "ru.txt", "en.txt", "-o", str(out), "--mt-separate",
                                       "--src-lang", "ru", "--tgt-lang", "en-US"])
    assert result.exit_code == 0, result.output
    assert f"aligner: wrote {out}\n" in result.stderr
    assert f"aligner: wrote {tmp_path / 'statement.mt.tmx'}\n" in result.stderr
    main_tmx = out.read_bytes()
    validate_tmx(main_tmx)
    # a bare --src-lang code gets its region (ru → ru-RU), as CAT tools want full tags
    assert {tuv.get(XML_LANG) for tuv in parse(main_tmx).iter("tuv")} == {"ru-RU", "en-US"}
    assert parse(main_tmx).find("header").get("srclang") == "ru-RU"
    assert tt_pairs((tmp_path / "statement.mt.tmx").read_bytes()) == [
        ("Это заседание — уже девятое.", "This is already the ninth meeting.")]


def test_cli_align_to_stdout_and_into_a_missing_folder(tmp_path, fake_pipeline):
    from click.testing import CliRunner
    from aligner.cli import main

    result = CliRunner().invoke(main, ["align", "ru.txt", "en.txt", "-o", "-", "--format", "tsv"])
    assert result.exit_code == 0, result.output
    assert result.stdout == render(make_alignment(), "tsv", WriteOptions()).decode("utf-8")
    missing = tmp_path / "nowhere" / "out.jsonl"
    result = CliRunner().invoke(main, ["align", "ru.txt", "en.txt", "-o", str(missing)])
    assert result.exit_code == 3
    assert result.stderr == f"aligner: error: {missing}: cannot write -o: folder does not exist\n"
    assert os.listdir(tmp_path) == []


# -- any text at all -------------------------------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

# Every code point, lone surrogates included, with the troublemakers drawn often.
_ANY_TEXT = st.text(st.characters(exclude_categories=()) | st.sampled_from(
    list("\x00\x01\x0b\t\n\r\ufffe\uffff\ud800<&]> ")), max_size=30)


def xml_allowed(text: str) -> str:
    """By the XML 1.0 Char production: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000 and up."""
    return "".join(c for c in text if c in "\t\n\r" or 0x20 <= ord(c) <= 0xD7FF or 0xE000 <= ord(c) <= 0xFFFD
                   or ord(c) >= 0x10000)


@settings(max_examples=60, deadline=None)
@given(src=_ANY_TEXT, tgt=_ANY_TEXT, flag=_ANY_TEXT)
def test_any_text_gives_a_valid_tmx_that_reads_back(src, tgt, flag):
    alignment = make_alignment()
    alignment.src.sentences[2] = Sentence(src, 2, 0)
    alignment.tgt.sentences[1] = Sentence(tgt, 1, 0)
    alignment.beads[1] = alignment.beads[1].with_(flags=(flag,))
    data = render(alignment, "tmx", WriteOptions())
    validate_tmx(data)
    expected_src, expected_tgt = xml_allowed(src).strip(), xml_allowed(tgt).strip()
    segs = {tu.get("tuid"): [tuv.findtext("seg") for tuv in tu.findall("tuv")] for tu in parse(data).iter("tu")}
    if expected_src and expected_tgt:
        assert segs["2545-15-12-2023:2:1"] == [expected_src, expected_tgt]
    else:
        assert "2545-15-12-2023:2:1" not in segs
    tsv_rows = render(alignment, "tsv", WriteOptions()).decode("utf-8").split("\n")
    assert len(tsv_rows) == 7 and all(len(row.split("\t")) == 9 for row in tsv_rows[:-1])
    # str.splitlines breaks on NEL, U+2028 … too: a record must survive the most eager line splitter.
    records = [json.loads(line) for line in render(alignment, "jsonl", WriteOptions()).decode("utf-8").splitlines()]
    assert len(records) == 5
    assert (records[1]["src"], records[1]["tgt"], records[1]["flags"]) == (xml_allowed(src), xml_allowed(tgt),
                                                                          [xml_allowed(flag)])
