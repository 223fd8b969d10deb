"""Property-based tests (hypothesis) over generated document pairs: nothing lost, nothing duplicated, beads in
order, a TMX that validates and reads back, the same bytes every run.

Documents mix Russian or English words with characters from every Unicode script, control characters, invisible
and odd space characters, empty paragraphs, one-character and very long sentences. The oracle is independent of
the readers: a sentence's *skeleton* (NFC, without whitespace, control, format and XML-forbidden characters) must
survive reading, aligning and writing unchanged, in order, exactly once.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from aligner.cli import main
from aligner.write import validate_tmx

ROOT = Path(__file__).resolve().parents[1]
SHARED_DTD = ROOT / "aligner" / "data" / "tmx14.dtd"   # the official TMX 1.4 DTD, shipped with the package
FAST = ["--signals", "length,anchors", "--mt", "none"]
ENV = {"SOURCE_DATE_EPOCH": "1700000000"}

RU_WORDS = ("Москва", "министр", "заявил", "переговоры", "договор", "сотрудничество", "Россия", "мир", "и", "в",
            "безопасность", "ООН", "встреча", "государств", "Лавров", "экономика", "вопрос", "ёж")
EN_WORDS = ("Moscow", "minister", "stated", "talks", "treaty", "cooperation", "Russia", "peace", "and", "in",
            "security", "UN", "meeting", "states", "Lavrov", "economy", "question", "naïve")

# Line and paragraph breaks are the file's structure, not sentence content (see aligner/read/normalize.py).
# NUL is left out too: one NUL byte makes a file binary (refused, exit 1: see docs/errors.md).
_BREAKS = set("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x00")


LATIN_LETTERS = "".join(chr(c) for c in range(0x250) if chr(c).isalpha() and (c < 0x80 or c >= 0xC0))
CYRILLIC = "".join(chr(c) for c in range(0x400, 0x500))


def noise(foreign: str) -> st.SearchStrategy[str]:
    """Any code point a file can hold (no surrogates), except line breaks and letters of the other language:
    the sides must still look Russian and English to the language check."""
    return st.characters(exclude_categories=("Cs",), exclude_characters="".join(_BREAKS) + foreign)


def sentence(words, foreign) -> st.SearchStrategy[str]:
    word = st.sampled_from(words)
    ordinary = st.lists(word, min_size=2, max_size=12).map(" ".join).map(lambda s: s + ".")
    noisy = st.tuples(st.lists(word, min_size=2, max_size=6), st.text(noise(foreign), min_size=1, max_size=6),
                      st.lists(word, min_size=1, max_size=4)).map(
        lambda t: " ".join(t[0]) + t[1] + " ".join(t[2]) + "!")
    controls = st.tuples(st.lists(word, min_size=2, max_size=5),
                         st.sampled_from(["\x01", "\x07", "\x1b", "\x7f", "\x9f", "\t", "\u00a0", "\u200b",
                                          "\u00ad", "\ufeff", "\u202e", "\ufffe", "\uffff"])).map(
        lambda t: f" {t[1]} ".join(t[0]) + "?")
    tiny = st.sampled_from(words).map(lambda w: w[:1])
    huge = st.lists(word, min_size=300, max_size=600).map(" ".join)
    return st.one_of(ordinary, ordinary, noisy, controls, tiny, huge)


def document(words, foreign) -> st.SearchStrategy[list[list[str]]]:
    """Paragraphs of sentences, at least one sentence; some paragraphs are empty (several blank lines in a row)."""
    paragraph = st.lists(sentence(words, foreign), min_size=0, max_size=5)
    return st.tuples(st.lists(paragraph, max_size=3), st.lists(sentence(words, foreign), min_size=1, max_size=5),
                     st.lists(paragraph, max_size=3)).map(lambda t: t[0] + [t[1]] + t[2])


def skeleton(text: str) -> str:
    """What must survive: NFC text without whitespace, controls, format characters and XML-forbidden code points."""
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text
                   if not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
                   and ch not in "\ufffe\uffff")


def as_lines(paragraphs: list[list[str]]) -> str:
    return "\n\n".join("\n".join(p) for p in paragraphs) + "\n"


def as_text(paragraphs: list[list[str]]) -> str:
    return "\n\n".join(" ".join(p) for p in paragraphs) + "\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], env=ENV)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("properties")


def align_pair(folder: Path, ru_text: str, en_text: str, input_format: str) -> tuple[list[dict], bytes]:
    ru, en = folder / "doc.ru.txt", folder / "doc.en.txt"
    ru.write_text(ru_text, encoding="utf-8")
    en.write_text(en_text, encoding="utf-8")
    jsonl, tmx = folder / "out.jsonl", folder / "out.tmx"
    common = ["--input-format", input_format, *FAST]
    result = run("align", ru, en, "-o", jsonl, *common)
    assert result.exit_code == 0, result.output
    result = run("align", ru, en, "-o", tmx, *common)
    assert result.exit_code == 0, result.output
    first = tmx.read_bytes()
    result = run("align", ru, en, "-o", tmx, *common)
    assert result.exit_code == 0, result.output
    assert tmx.read_bytes() == first, "the same input gave different output"
    beads = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    return beads, first


def check_beads(beads: list[dict]) -> None:
    """Every sentence index of each side exactly once, in increasing order, no bead empty on both sides."""
    for side in ("src_ids", "tgt_ids"):
        ids = [i for bead in beads for i in bead[side]]
        assert ids == list(range(len(ids))), (side, ids)
    assert all(bead["src_ids"] or bead["tgt_ids"] for bead in beads)


def check_tmx(data: bytes, beads: list[dict]) -> None:
    validate_tmx(data)
    dtd = etree.DTD(str(SHARED_DTD))
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    assert dtd.validate(root), dtd.error_log
    # translate-toolkit, as a CAT tool would read it: one unit per bead with both sides, same text, same order.
    from translate.storage import tmx as tt_tmx
    units = [(u.source, u.target) for u in tt_tmx.tmxfile.parsestring(data).units]
    paired = [(b["src"], b["tgt"]) for b in beads if b["src_ids"] and b["tgt_ids"]]
    assert [(skeleton(s), skeleton(t)) for s, t in units] == [(skeleton(s), skeleton(t)) for s, t in paired]


def check_nothing_lost(beads: list[dict], ru: list[list[str]], en: list[list[str]], per_bead: bool) -> None:
    for ids, key, doc in (("src_ids", "src", ru), ("tgt_ids", "tgt", en)):
        sentences = [s for paragraph in doc for s in paragraph]
        # In order and exactly once: the bead texts, joined, are the document's text.
        assert skeleton("".join(b[key] for b in beads if b[ids])) == skeleton("".join(sentences))
        if per_bead:
            # Pre-split input is never re-split or merged: each bead holds exactly the lines its indices name.
            for b in beads:
                assert skeleton(b[key]) == skeleton("".join(sentences[i] for i in b[ids])), b


PROPERTY_SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                             suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                    HealthCheck.function_scoped_fixture])

RU_DOC = document(RU_WORDS, LATIN_LETTERS)
EN_DOC = document(EN_WORDS, CYRILLIC)


@PROPERTY_SETTINGS
@given(ru=RU_DOC, en=EN_DOC)
def test_lines_input_keeps_every_sentence_once_in_order(folder, ru, en):
    beads, tmx = align_pair(folder, as_lines(ru), as_lines(en), "lines")
    check_beads(beads)
    # One sentence per line: as many sentence indices as lines (every generated line has visible text).
    assert len([i for b in beads for i in b["src_ids"]]) == sum(map(len, ru))
    assert len([i for b in beads for i in b["tgt_ids"]]) == sum(map(len, en))
    check_nothing_lost(beads, ru, en, per_bead=True)
    check_tmx(tmx, beads)


@PROPERTY_SETTINGS
@given(ru=RU_DOC, en=EN_DOC)
def test_text_input_keeps_all_text_once_in_order(folder, ru, en):
    beads, tmx = align_pair(folder, as_text(ru), as_text(en), "text")
    check_beads(beads)
    check_nothing_lost(beads, ru, en, per_bead=False)
    check_tmx(tmx, beads)
