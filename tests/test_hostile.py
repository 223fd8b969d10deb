"""Hostile and broken input (issue #7): every case of the bad-input matrix in docs/errors.md, driven through the CLI.

Each case checks the exit code, that stderr is one line naming the file and the problem (no traceback), and that no
output or temporary file is left behind. The XML cases prove that a crafted file can make the tool neither read a
local file (a canary whose text must appear nowhere) nor open a socket (a loopback listener that must see no
connection, and Python's socket functions patched to record any attempt).
"""
from __future__ import annotations

import ast
import errno
import io
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from aligner.cli import main

from datapaths import DTD, UN

ROOT = Path(__file__).resolve().parents[1]
FAST = ["--signals", "length,anchors", "--mt", "none"]
ENV = {"SOURCE_DATE_EPOCH": "1700000000"}

RU = """Министр иностранных дел России провёл переговоры в Москве.

Стороны обсудили вопросы двустороннего сотрудничества. Особое внимание было уделено экономике.

Министр подчеркнул важность диалога. Следующая встреча состоится в Минске.
"""
EN = """The Russian Foreign Minister held talks in Moscow.

The parties discussed bilateral cooperation. Special attention was paid to the economy.

The Minister stressed the importance of dialogue. The next meeting will take place in Minsk.
"""
# Sentences of RU and EN above, as the splitter must find them: what every successful case must write.
RU_SENTENCES = ["Министр иностранных дел России провёл переговоры в Москве.",
                "Стороны обсудили вопросы двустороннего сотрудничества.", "Особое внимание было уделено экономике.",
                "Министр подчеркнул важность диалога.", "Следующая встреча состоится в Минске."]


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env={**ENV, **(env or {})})


def assert_error(result, code: int, path, *words: str) -> str:
    """Exit ``code``; stderr is exactly one line "aligner: error: PATH: ..." holding ``words``; no traceback."""
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"aligner: error: {path}: "), lines[0]
    for word in words:
        assert word.lower() in lines[0].lower(), (word, lines[0])
    assert "Traceback" not in result.output
    return lines[0]


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.fixture
def pair(tmp_path):
    ru, en = tmp_path / "pair.ru.txt", tmp_path / "pair.en.txt"
    ru.write_text(RU, encoding="utf-8")
    en.write_text(EN, encoding="utf-8")
    return ru, en


def tmx_segments(path: Path) -> list[tuple[str, str]]:
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    return [tuple(seg.text or "" for seg in tu.iter("seg")) for tu in root.iter("tu")]


# --- the input file itself ------------------------------------------------------------------------------------

def _missing(p: Path) -> None:
    pass


def _directory(p: Path) -> None:
    p.mkdir()


def _empty(p: Path) -> None:
    p.write_bytes(b"")


def _whitespace(p: Path) -> None:
    p.write_bytes(b" \t\n\r\n\xc2\xa0\n   \n")      # NBSP is whitespace too


def _binary(p: Path) -> None:
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16)


def _binary_without_nul(p: Path) -> None:
    # No NUL byte to give it away, but mostly control bytes: still not text.
    p.write_bytes(bytes(b for b in range(1, 32) if b not in (9, 10, 13)) * 200)


def _truncated_utf8(p: Path) -> None:
    data = RU.rstrip().rstrip(".").encode("utf-8")
    p.write_bytes(data[:-1])                          # the last "е" of "Минске" loses its second byte


def _latin1(p: Path) -> None:
    p.write_bytes("Déclaration du ministère. Les négociations ont été très fructueuses.\n".encode("latin-1"))


def _fifo(p: Path) -> None:
    os.mkfifo(p)                                      # reading it would block forever


def _too_large(p: Path) -> None:
    with open(p, "wb") as handle:                     # sparse: no 51 MB actually written
        handle.truncate(51 * 1024 * 1024)


INPUT_CASES = {
    "missing": (_missing, "no such file"),
    "directory": (_directory, "is a directory"),
    "empty": (_empty, "empty file"),
    "whitespace-only": (_whitespace, "only whitespace"),
    "binary": (_binary, "binary file"),
    "binary-no-nul": (_binary_without_nul, "binary file"),
    "truncated-utf8": (_truncated_utf8, "truncated UTF-8"),
    "not-utf8-nor-cp1251": (_latin1, "cannot decode"),
    "fifo": (_fifo, "not a regular file"),
    "too-large": (_too_large, "too large"),
}


@pytest.mark.parametrize("case", sorted(INPUT_CASES))
@pytest.mark.parametrize("side", ["ru", "en"])
def test_unusable_input_file_is_exit_1_one_line_and_no_output(case, side, tmp_path, pair):
    ru, en = pair
    make, problem = INPUT_CASES[case]
    bad = tmp_path / f"bad.{side}.txt"
    make(bad)
    args = (bad, en) if side == "ru" else (ru, bad)
    before = files_in(tmp_path)
    result = run("align", *args, "-o", tmp_path / "out.tmx", *FAST)
    assert_error(result, 1, bad, problem)
    assert files_in(tmp_path) == before              # no output, no temporary file


def test_debug_shows_the_traceback_and_nothing_else_does(tmp_path, pair):
    ru, _ = pair
    missing = tmp_path / "missing.en.txt"
    plain = run("align", ru, missing, "-o", tmp_path / "o.tmx", *FAST)
    assert_error(plain, 1, missing, "no such file")
    debug = run("--debug", "align", ru, missing, "-o", tmp_path / "o.tmx", *FAST)
    from aligner.errors import InputError
    assert isinstance(debug.exception, InputError)   # propagates: click would print its traceback
    assert debug.exit_code != 0


def test_a_bug_is_one_line_exit_70_without_debug(tmp_path, pair, monkeypatch):
    import aligner.pipeline
    ru, en = pair

    def broken(*args, **kwargs):
        raise ZeroDivisionError("simulated bug")
    monkeypatch.setattr(aligner.pipeline, "align_documents", broken)
    result = run("align", ru, en, "-o", tmp_path / "o.tmx", *FAST)
    assert result.exit_code == 70
    assert result.stderr.strip().splitlines() == [
        "aligner: internal error: ZeroDivisionError: simulated bug (rerun with --debug for details)"]
    assert not (tmp_path / "o.tmx").exists()


# --- encodings ------------------------------------------------------------------------------------------------

def test_utf16_without_bom_is_decoded(tmp_path, pair):
    _, en = pair
    for codec in ("utf-16-le", "utf-16-be"):
        ru = tmp_path / f"{codec}.ru.txt"
        ru.write_bytes(RU.encode(codec))
        assert not ru.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))
        out = tmp_path / f"{codec}.tmx"
        result = run("align", ru, en, "-o", out, *FAST)
        assert result.exit_code == 0, result.output
        assert [ru_seg for ru_seg, _ in tmx_segments(out)] == RU_SENTENCES


def test_declared_encoding_that_lies_is_ignored_for_the_bytes(tmp_path, pair):
    """A page saying windows-1251 but holding UTF-8 (and the reverse) is decoded by what the bytes are."""
    _, en = pair
    body = "".join(f"<p>{p}</p>" for p in RU.strip().split("\n\n"))
    cases = {
        "says-1251-is-utf8.html": (f'<html><head><meta charset="windows-1251"></head><body>{body}</body></html>',
                                   "utf-8"),
        "says-utf8-is-1251.html": (f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>',
                                   "cp1251"),
    }
    for name, (page, codec) in cases.items():
        ru = tmp_path / name
        ru.write_bytes(page.encode(codec))
        out = tmp_path / (name + ".tmx")
        result = run("align", ru, en, "-o", out, *FAST)
        assert result.exit_code == 0, (name, result.output)
        assert [ru_seg for ru_seg, _ in tmx_segments(out)] == RU_SENTENCES, name


def test_xhtml_declaration_with_tag_soup_is_read(tmp_path, pair):
    _, en = pair
    body = "".join(f"<p>{p}</p>" for p in RU.strip().split("\n\n"))
    ru = tmp_path / "soup.xhtml"
    # Declared ISO-8859-1 although UTF-8, and not well-formed (an unclosed <br>, a bare &): common on the web.
    ru.write_bytes(('<?xml version="1.0" encoding="ISO-8859-1"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
                    f'<body>{body}<br> R&D</body></html>').encode("utf-8"))
    out = tmp_path / "o.tmx"
    result = run("align", ru, en, "-o", out, *FAST)
    assert result.exit_code == 0, result.output
    assert [ru_seg for ru_seg, _ in tmx_segments(out)][:5] == RU_SENTENCES


def test_koi8r_is_not_silently_read_as_windows_1251(tmp_path, pair):
    _, en = pair
    ru = tmp_path / "koi8.ru.txt"
    ru.write_bytes(RU.encode("koi8-r"))
    out = tmp_path / "o.tmx"
    result = run("align", ru, en, "-o", out, *FAST)
    if result.exit_code == 0:
        assert [ru_seg for ru_seg, _ in tmx_segments(out)] == RU_SENTENCES
    else:
        assert_error(result, 1, ru, "koi8")


def test_one_stray_nul_is_not_read_as_utf16(tmp_path, pair):
    ru, _ = pair
    en = tmp_path / "nul.en.txt"
    en.write_bytes(b"talks \x00 Moscow?\n")            # 18 bytes: found by test_properties
    out = tmp_path / "o.jsonl"
    result = run("align", ru, en, "-o", out, *FAST)
    if result.exit_code == 0:
        assert "Moscow" in out.read_text(encoding="utf-8")
    else:
        assert_error(result, 1, en, "binary")


# --- sizes ----------------------------------------------------------------------------------------------------

def test_a_50_mb_line_without_punctuation_is_cut_into_pieces_and_nothing_is_lost(tmp_path):
    """Just under the 50 MB limit, no full stop anywhere: cut at word boundaries into sentences of at most 5,000
    characters (issue 14: one such sentence made a TMX segment lxml and translate-toolkit refuse to read); every
    piece is in the output, in order."""
    words = ("переговоры", "министр", "Москва", "сотрудничество", "безопасность")
    line = " ".join(words[i % 5] for i in range(2_520_000))          # 49.5 MiB of UTF-8
    ru, en = tmp_path / "long.ru.txt", tmp_path / "long.en.txt"
    ru.write_text(line + "\n", encoding="utf-8")
    assert 49 * 1024 * 1024 < ru.stat().st_size <= 50 * 1024 * 1024
    en.write_text("The Minister held talks in Moscow on security and cooperation.\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    result = run("align", ru, en, "-o", out, *FAST)
    assert result.exit_code == 0, result.output
    assert "1 sentence longer than 5,000 characters cut at word boundaries" in result.stderr
    beads = [json.loads(row) for row in out.read_text(encoding="utf-8").splitlines()]
    assert " ".join(b["src"] for b in beads if b["src"]) == line
    assert all(len(b["src"]) <= 5001 * len(b["src_ids"]) for b in beads)
    assert [b["tgt"] for b in beads if b["tgt"]] == ["The Minister held talks in Moscow on security and cooperation."]


def test_200000_short_lines_align_one_to_one(tmp_path):
    ru, en = tmp_path / "many.ru.txt", tmp_path / "many.en.txt"
    ru.write_text("".join(f"Пункт {i}.\n" for i in range(200_000)), encoding="utf-8")
    en.write_text("".join(f"Item {i}.\n" for i in range(200_000)), encoding="utf-8")
    out = tmp_path / "o.beads"
    result = run("align", ru, en, "-o", out, "--format", "beads", *FAST)
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    # Numbered lines: every Russian line pairs with the English line of the same number.
    assert lines == [f"[{i}]:[{i}]" for i in range(200_000)]


# --- the wrong documents --------------------------------------------------------------------------------------

def test_english_given_as_russian_and_the_reverse_are_refused(tmp_path, pair):
    ru, en = pair
    out = tmp_path / "o.tmx"
    assert_error(run("align", en, en, "-o", out, *FAST), 5, en, "expected Russian", "looks English")
    assert_error(run("align", ru, ru, "-o", out, *FAST), 5, ru, "expected English", "looks Russian")
    assert_error(run("align", en, ru, "-o", out, *FAST), 5, en, "swapped")
    assert not out.exists()


def test_unrelated_documents_warn_but_still_write(tmp_path):
    ru_lines = (UN / "UNv1.0.devset.excerpt.ru").read_text(encoding="utf-8").splitlines()
    en_lines = (UN / "UNv1.0.devset.excerpt.en").read_text(encoding="utf-8").splitlines()
    ru, en = tmp_path / "a.ru.txt", tmp_path / "b.en.txt"
    ru.write_text("\n\n".join(ru_lines[:30]) + "\n", encoding="utf-8")
    en.write_text("\n\n".join(en_lines[250:280]) + "\n", encoding="utf-8")   # other sentences entirely
    out = tmp_path / "o.tmx"
    result = run("align", ru, en, "-o", out, *FAST)
    assert result.exit_code == 0, result.output
    assert f"{ru} and {en}: low alignment confidence across the document" in result.stderr
    assert out.exists()

    # --strict: the same pair is an error (exit 5) and nothing is written.
    strict_out = tmp_path / "strict.tmx"
    assert_error(run("align", ru, en, "-o", strict_out, "--strict", *FAST), 5, ru,
                 f"low alignment confidence against {en} across the document: the two do not look like")
    assert not strict_out.exists()

    related = tmp_path / "c.en.txt"
    related.write_text("\n\n".join(en_lines[:30]) + "\n", encoding="utf-8")
    result = run("align", ru, related, "-o", out, "--strict", *FAST)
    assert result.exit_code == 0 and "low alignment confidence" not in result.stderr


def test_html_with_scripts_and_broken_tags(tmp_path, pair):
    _, en = pair
    paragraphs = RU.strip().split("\n\n")
    page = (
        "<html><head><title>МИД России</title><script>var s = 'Скрипт не текст.';</script>"
        "<style>p { color: red } /* Стиль не текст. */</style></head><body>"
        "<nav><a href=/>Главная</a> <a href=/news>Новости</a></nav>"
        "<div class=article><p>" + paragraphs[0] +          # <p> never closed
        "<p>" + paragraphs[1] + "<script>document.write('<p>Вставка скриптом.</p>')</script></b></i></p>"
        "<p>" + paragraphs[2] + "<noscript>Включите JavaScript.</noscript>"
        "</div></span></td><!-- unterminated comment"
    )
    ru = tmp_path / "page.ru.html"
    ru.write_text(page, encoding="utf-8")
    out = tmp_path / "o.tmx"
    result = run("align", ru, en, "-o", out, *FAST)
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    for foreign in ("Скрипт", "Стиль", "Вставка", "JavaScript", "Главная", "document.write"):
        assert foreign not in written
    assert [ru_seg for ru_seg, _ in tmx_segments(out)] == RU_SENTENCES


# --- crafted XML: no local file read, no socket opened -------------------------------------------------------

CANARY = "CANARY-7f3c1e-DO-NOT-LEAK"


@pytest.fixture
def trap(tmp_path, monkeypatch):
    """A canary file, a DTD that would pull it in, a loopback listener, and Python's socket calls recorded."""
    canary = tmp_path / "canary.txt"
    canary.write_text(CANARY + "\n", encoding="utf-8")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY leak SYSTEM "{canary.as_uri()}">\n<!ENTITY leak2 "{CANARY}">\n', encoding="utf-8")
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    attempts: list[tuple] = []
    real_connect, real_create = socket.socket.connect, socket.create_connection

    def connect(self, address, *a):
        attempts.append(("connect", address))
        return real_connect(self, address, *a)

    def create_connection(address, *a, **k):
        attempts.append(("create_connection", address))
        return real_create(address, *a, **k)
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", create_connection)

    class Trap:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        canary_uri = canary.as_uri()
        dtd_uri = dtd.as_uri()

        def check(self, *outputs: str) -> None:
            for text in outputs:
                assert CANARY not in text
            readable, _, _ = select.select([listener], [], [], 0.2)
            assert not readable, "something connected to the loopback listener"
            assert attempts == []
    yield Trap()
    listener.close()


def hostile_doctype(trap, root: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<!DOCTYPE {root} SYSTEM "{trap.url}ext.dtd" [\n'
            f'  <!ENTITY file SYSTEM "{trap.canary_uri}">\n'
            f'  <!ENTITY net SYSTEM "{trap.url}entity">\n'
            f'  <!ENTITY % remote SYSTEM "{trap.url}param.dtd">\n'
            f'  <!ENTITY % local SYSTEM "{trap.dtd_uri}">\n'
            f'  %remote; %local;\n'
            f']>\n')


@pytest.mark.parametrize("with_declaration", [True, False])
def test_html_with_external_entities_reads_no_file_and_opens_no_socket(trap, tmp_path, pair, with_declaration):
    _, en = pair
    p = RU.strip().split("\n\n")
    head = hostile_doctype(trap, "html")
    if not with_declaration:
        head = head.split("\n", 1)[1]               # DOCTYPE alone: the HTML path must be just as blind
    page = (head + '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:xi="http://www.w3.org/2001/XInclude"><head>'
            f'<link rel="stylesheet" href="{trap.url}css"/><script src="{trap.url}js"></script></head><body>'
            f'<p>{p[0]}&file;&net;&leak;&leak2;</p><p>{p[1]}<img src="{trap.url}img"/></p>'
            f'<xi:include href="{trap.canary_uri}" parse="text"/><iframe src="{trap.canary_uri}"></iframe>'
            f'<p>{p[2]}</p></body></html>')
    ru = tmp_path / "xxe.ru.html"
    ru.write_text(page, encoding="utf-8")
    out = tmp_path / "o.tmx"
    result = run("align", ru, en, "-o", out, *FAST)
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    trap.check(written, result.output)
    assert [ru_seg for ru_seg, _ in tmx_segments(out)] == RU_SENTENCES


def test_tmx_with_external_entities_reads_no_file_and_opens_no_socket(trap, tmp_path):
    tmx = tmp_path / "xxe.tmx"
    tmx.write_text(
        hostile_doctype(trap, "tmx") +
        '<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" '
        'adminlang="en" srclang="ru" datatype="plaintext"/><body>'
        '<tu><tuv xml:lang="ru"><seg>Москва заявила сегодня.</seg></tuv>'
        '<tuv xml:lang="en"><seg>Moscow said &file;&net;&leak;&leak2; today.</seg></tuv></tu>'
        '</body></tmx>', encoding="utf-8")
    hyp = tmp_path / "hyp.en"
    hyp.write_text("Moscow said today.\n", encoding="utf-8")
    result = run("score", "--tmx", tmx, "--hyp", hyp, "--metrics", "bleu", "--format", "json")
    assert result.exit_code == 0, result.output
    # Had any entity been expanded, the reference would hold more words than the hypothesis: BLEU below 100.
    assert json.loads(result.stdout)[0]["score"] == 100.0
    trap.check(result.output)

    from aligner.quality.tmx import read_tmx_pairs
    assert [(p.src, p.tgt) for p in read_tmx_pairs(str(tmx))] == [("Москва заявила сегодня.", "Moscow said  today.")]


LOL = ('<!DOCTYPE {root} [\n <!ENTITY lol "lol">\n' +
       "".join(f' <!ENTITY lol{k} "{("&lol%s;" % (k - 1 if k > 1 else "")) * 10}">\n' for k in range(1, 10)) +
       "]>\n")


def test_entity_bomb_in_html_is_refused_quickly(tmp_path, pair):
    _, en = pair
    ru = tmp_path / "bomb.ru.html"
    ru.write_text('<?xml version="1.0"?>\n' + LOL.format(root="html") +
                  "<html><body><p>Москва заявила. &lol9;</p></body></html>", encoding="utf-8")
    start = time.monotonic()
    result = run("align", ru, en, "-o", tmp_path / "o.tmx", *FAST)
    assert time.monotonic() - start < 10
    assert_error(result, 1, ru, "entity-expansion bomb")
    assert not (tmp_path / "o.tmx").exists()


def test_entity_bomb_in_tmx_is_refused_quickly(tmp_path):
    tmx = tmp_path / "bomb.tmx"
    tmx.write_text('<?xml version="1.0"?>\n' + LOL.format(root="tmx") +
                   '<tmx version="1.4"><header/><body><tu><tuv xml:lang="ru"><seg>&lol9;</seg></tuv>'
                   '<tuv xml:lang="en"><seg>&lol9;</seg></tuv></tu></body></tmx>', encoding="utf-8")
    start = time.monotonic()
    result = run("score", "--tmx", tmx)
    assert time.monotonic() - start < 10
    assert_error(result, 1, tmx, "entity")


# --- .argosmodel archives -------------------------------------------------------------------------------------

@pytest.mark.parametrize("case,problem", [
    ("zip-bomb", "looks like a zip bomb"),
    ("dot-dot", "points outside the package folder"),
    ("absolute", "absolute path"),
    ("symlink", "symbolic link"),
])
def test_hostile_argosmodel_is_refused_and_writes_nothing(case, problem, tiny_argosmodel, tmp_path, monkeypatch):
    from argos_fixture import rewrite_archive

    packages = tmp_path / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    with zipfile.ZipFile(tiny_argosmodel) as zf:
        top = zf.namelist()[0].split("/")[0]
    bad = tmp_path / f"{case}.argosmodel"
    escaped = tmp_path / "escaped.txt"
    if case == "zip-bomb":
        rewrite_archive(tiny_argosmodel, bad, extra={f"{top}/model/pad.bin": bytes(16 * 1024 ** 2)})
    elif case == "dot-dot":
        rewrite_archive(tiny_argosmodel, bad, extra={f"{top}/../../escaped.txt": b"escaped"})
    elif case == "absolute":
        rewrite_archive(tiny_argosmodel, bad, extra={str(escaped): b"escaped"})
    else:
        rewrite_archive(tiny_argosmodel, bad)
        with zipfile.ZipFile(bad, "a") as zf:
            link = zipfile.ZipInfo(f"{top}/model/link")
            link.external_attr = (0o120777 << 16)
            zf.writestr(link, str(escaped))
    result = CliRunner().invoke(main, ["models", "install", str(bad)], env={"ARGOS_PACKAGES_DIR": str(packages)})
    assert_error(result, 4, bad, problem)
    assert not escaped.exists()
    assert not packages.exists() or list(packages.iterdir()) == []


# --- output -----------------------------------------------------------------------------------------------------

def _unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot create files in. chmod 0o500 stops an ordinary user but not root; root gets a
    folder on sysfs, which refuses new files to everyone (EACCES, or EROFS where /sys is mounted read-only)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    probe = folder / "probe"
    try:
        probe.write_bytes(b"")
    except OSError:
        return folder
    probe.unlink()
    folder.chmod(0o700)
    sysfs = Path("/sys/kernel")
    if not sysfs.is_dir():
        pytest.skip("running as root without /sys: no folder root cannot write to")
    return sysfs


def test_output_in_a_missing_folder_a_read_only_folder_or_on_a_directory(tmp_path, pair):
    ru, en = pair
    missing = tmp_path / "no-such-folder" / "out.tmx"
    assert_error(run("align", ru, en, "-o", missing, *FAST), 3, missing, "folder does not exist")
    assert not missing.parent.exists()

    under_a_file = ru / "out.tmx"                     # a file where a folder is expected
    assert_error(run("align", ru, en, "-o", under_a_file, *FAST), 3, under_a_file, "cannot write")

    folder = _unwritable_folder(tmp_path)
    before = sorted(os.listdir(folder))
    read_only = folder / "aligner-test-out.tmx"
    assert_error(run("align", ru, en, "-o", read_only, *FAST), 3, read_only, "cannot write")
    assert sorted(os.listdir(folder)) == before

    a_directory = tmp_path / "a-directory"
    a_directory.mkdir()
    assert_error(run("align", ru, en, "-o", a_directory, *FAST), 3, a_directory, "is a directory")


class _FailingFile(io.RawIOBase):
    """Stands in for the temporary file: accepts ``budget`` bytes, then fails like a full disk (or is interrupted)."""

    def __init__(self, real, budget: int, exc: BaseException):
        self.real, self.budget, self.exc = real, budget, exc

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if len(data) > self.budget:
            self.real.write(bytes(data[:self.budget]))
            self.real.flush()
            self.budget = 0
            raise self.exc
        self.budget -= len(data)
        return self.real.write(data)

    def fileno(self) -> int:
        return self.real.fileno()

    def close(self) -> None:
        self.real.close()
        super().close()


def _fail_writes_after(monkeypatch, budget: int, exc: BaseException) -> None:
    import aligner.fsutil
    real_fdopen = os.fdopen

    def fdopen(fd, mode="r", *args, **kwargs):
        handle = real_fdopen(fd, mode, *args, **kwargs)
        return _FailingFile(handle, budget, exc) if "w" in mode and "b" in mode else handle
    monkeypatch.setattr(aligner.fsutil.os, "fdopen", fdopen)


@pytest.mark.parametrize("fmt", ["tmx", "tsv", "jsonl"])
def test_full_disk_is_exit_3_and_keeps_the_old_file(fmt, tmp_path, pair, monkeypatch):
    ru, en = pair
    out = tmp_path / f"out.{fmt}"
    out.write_bytes(b"the previous run's output\n")
    before = files_in(tmp_path)
    _fail_writes_after(monkeypatch, 100, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    result = run("align", ru, en, "-o", out, *FAST)
    assert_error(result, 3, out, "disk full")
    assert out.read_bytes() == b"the previous run's output\n"
    assert files_in(tmp_path) == before               # the partial temporary file is gone


def test_full_disk_on_a_new_file_leaves_no_file(tmp_path, pair, monkeypatch):
    ru, en = pair
    out = tmp_path / "new.tmx"
    _fail_writes_after(monkeypatch, 0, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    assert_error(run("align", ru, en, "-o", out, *FAST), 3, out, "disk full")
    assert not out.exists() and files_in(tmp_path) == {"pair.ru.txt", "pair.en.txt"}


def test_full_disk_at_fsync_is_exit_3(tmp_path, pair, monkeypatch):
    import aligner.fsutil
    ru, en = pair
    out = tmp_path / "o.tmx"

    def fsync(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(aligner.fsutil.os, "fsync", fsync)
    assert_error(run("align", ru, en, "-o", out, *FAST), 3, out, "disk full")
    assert files_in(tmp_path) == {"pair.ru.txt", "pair.en.txt"}


def test_ctrl_c_during_a_write_is_exit_130_and_keeps_the_old_file(tmp_path, pair, monkeypatch):
    ru, en = pair
    out = tmp_path / "out.tmx"
    out.write_bytes(b"old\n")
    _fail_writes_after(monkeypatch, 50, KeyboardInterrupt())
    result = run("align", ru, en, "-o", out, *FAST)
    assert result.exit_code == 130
    assert result.stderr.strip() == "aligner: interrupted"
    assert out.read_bytes() == b"old\n"
    assert files_in(tmp_path) == {"pair.ru.txt", "pair.en.txt", "out.tmx"}


def _big_pair(folder: Path, sentences: int) -> tuple[Path, Path]:
    """A long but ordinary document pair, so the output takes a while to render and write."""
    # The 300-line UN excerpt, repeated: long enough to take a while, still an ordinary 1-1 translation.
    ru_lines = (UN / "UNv1.0.devset.excerpt.ru").read_text(encoding="utf-8").splitlines()
    en_lines = (UN / "UNv1.0.devset.excerpt.en").read_text(encoding="utf-8").splitlines()
    repeats = -(-sentences // len(ru_lines))
    ru_lines, en_lines = ru_lines * repeats, en_lines * repeats
    ru, en = folder / "big.ru.txt", folder / "big.en.txt"
    ru.write_text("\n".join(ru_lines[:sentences]) + "\n", encoding="utf-8")
    en.write_text("\n".join(en_lines[:sentences]) + "\n", encoding="utf-8")
    return ru, en




def _hear_sigint() -> None:
    # A shell starts background jobs with SIGINT ignored, and Python keeps an inherited SIG_IGN (no
    # KeyboardInterrupt): a suite run from `cmd &` would see the child ignore the test's Ctrl-C. The child gets
    # the default back, as a process started from a terminal has.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_real_interrupt_leaves_the_old_or_the_complete_new_file(sig, tmp_path):
    """A real process, interrupted at the moment its temporary file appears: the output path then holds the old
    content or a complete, valid TMX, and no temporary file is left."""
    ru, en = _big_pair(tmp_path, 4000)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "big.tmx"
    old = b"old content\n"
    outcomes = set()
    for attempt in range(3):
        out.write_bytes(old)
        proc = subprocess.Popen([sys.executable, "-m", "aligner", "align", str(ru), str(en), "-o", str(out),
                                 "--format", "tmx", "--input-format", "lines", *FAST],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env={**os.environ, **ENV, "OPENBLAS_NUM_THREADS": "1"}, preexec_fn=_hear_sigint)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if any(name.endswith(".tmp") for name in os.listdir(out_dir)):
                break
            time.sleep(0.0005)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=120)
        stderr = stderr.decode("utf-8", "replace")
        assert "Traceback" not in stderr, stderr
        names = sorted(os.listdir(out_dir))
        assert not [n for n in names if n.endswith(".tmp")], names    # no temporary file left
        data = out.read_bytes()
        # all or nothing: the old file alone, or the new TMX with its (here empty) OUT.mt.tmx companion
        assert names == (["big.tmx"] if data == old else ["big.mt.tmx", "big.tmx"]), names
        if data == old:
            code, said = (130, "interrupted") if sig == signal.SIGINT else (128 + signal.SIGTERM, "terminated")
            assert proc.returncode == code, (proc.returncode, stderr)
            assert stderr.strip().splitlines()[-1] == f"aligner: {said}", stderr
            outcomes.add("old")
        else:
            from aligner.write import validate_tmx
            validate_tmx(data)                         # complete: the run finished just before the signal
            outcomes.add("new")
        if "old" in outcomes:
            break
    assert "old" in outcomes, "the signal never landed before the rename; the test proved nothing"


# --- every writer goes through fsutil ---------------------------------------------------------------------------

# Places allowed to write a file without fsutil.atomic_open, and why.
ALLOWED_DIRECT_WRITES = {
    "aligner/fsutil.py": "the atomic writer itself",
    "aligner/mt/packages.py": "extracts into a hidden staging folder that is renamed into place as a whole",
    "aligner/mt/testing.py": "builds the tiny test model in a fresh temporary folder",
    "aligner/batch/__init__.py": "batch.json: written to a temporary file and link()ed into place (atomic)",
}


def _direct_writes(source: str) -> list[int]:
    """Line numbers of open(..., 'w'/'a'/'x'...), Path.write_text/write_bytes and os.open(..., O_WRONLY/O_CREAT)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in ("write_text", "write_bytes") and isinstance(func, ast.Attribute):
            if not (isinstance(func.value, ast.Name) and func.value.id == "fsutil"):
                lines.append(node.lineno)
        elif name in ("open", "fdopen"):
            mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"),
                                                                 None)
            if isinstance(mode, ast.Constant) and isinstance(mode.value, str) and set(mode.value) & set("wax+"):
                lines.append(node.lineno)
            if isinstance(mode, (ast.Attribute, ast.BinOp)) and "O_" in ast.unparse(mode) and (
                    "WRONLY" in ast.unparse(mode) or "CREAT" in ast.unparse(mode)):
                lines.append(node.lineno)
    return lines


def test_every_file_written_goes_through_a_temporary_file_and_a_rename():
    offenders = []
    for path in sorted((ROOT / "aligner").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in ALLOWED_DIRECT_WRITES:
            continue
        for line in _direct_writes(path.read_text(encoding="utf-8")):
            offenders.append(f"{rel}:{line}")
    # Writing to os.devnull (the broken-pipe handler) is not a file the user keeps.
    offenders = [o for o in offenders if not o.startswith("aligner/cli/__init__.py")]
    assert offenders == [], "write through aligner.fsutil.atomic_open/write_text/write_bytes instead"
