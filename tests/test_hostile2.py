"""Hostile and careless use, round two (issue #14), through the CLI: secondary inputs guarded like the main ones,
one-line errors whatever the file is called, hostile model metadata, batch corpora that point outside themselves,
shard records that lie, encodings that used to come out as mojibake, HTML that used to lose text, and inputs
shaped to exhaust time or memory.
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from aligner.cli import main

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
RU_SENTENCES = ["Министр иностранных дел России провёл переговоры в Москве.",
                "Стороны обсудили вопросы двустороннего сотрудничества.", "Особое внимание было уделено экономике.",
                "Министр подчеркнул важность диалога.", "Следующая встреча состоится в Минске."]
EN_SENTENCES = ["The Russian Foreign Minister held talks in Moscow.", "The parties discussed bilateral cooperation.",
                "Special attention was paid to the economy.", "The Minister stressed the importance of dialogue.",
                "The next meeting will take place in Minsk."]


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env={**ENV, **(env or {})})


def one_error_line(result, code: int) -> str:
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("aligner: error: "), lines[0]
    assert "Traceback" not in result.output
    return lines[0]


def assert_error(result, code: int, path, *words: str) -> str:
    line = one_error_line(result, code)
    assert line.startswith(f"aligner: error: {path}: "), line
    for word in words:
        assert word.lower() in line.lower(), (word, line)
    return line


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail instead of hanging: the thing under test must not block (a FIFO) or read forever (/dev/zero)."""
    def expired(signum, frame):
        raise AssertionError(f"still running after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def tmx_segments(path: Path) -> list[tuple[str, ...]]:
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    return [tuple(seg.text or "" for seg in tu.iter("seg")) for tu in root.iter("tu")]


@pytest.fixture
def pair(tmp_path):
    ru, en = tmp_path / "pair.ru.txt", tmp_path / "pair.en.txt"
    ru.write_text(RU, encoding="utf-8")
    en.write_text(EN, encoding="utf-8")
    return ru, en


# --- one line, whatever the file is called ------------------------------------------------------------------

def test_a_newline_in_a_file_name_does_not_break_the_one_line_error(tmp_path, pair):
    _, en = pair
    bad = tmp_path / "two\nlines\x1b[31m.ru.txt"
    bad.write_bytes(b"")
    result = run("align", bad, en, "-o", tmp_path / "out.tmx", *FAST)
    line = one_error_line(result, 1)
    assert line == f"aligner: error: {tmp_path}/two\\nlines\\x1b[31m.ru.txt: empty file"


# --- model archives -----------------------------------------------------------------------------------------

def test_deeply_nested_metadata_json_is_the_model_error_not_a_recursion_error(tiny_argosmodel, tmp_path):
    from argos_fixture import rewrite_archive

    packages = tmp_path / "packages"
    bad = rewrite_archive(tiny_argosmodel, tmp_path / "deep.argosmodel", metadata=b"[" * 100_000 + b"]" * 100_000)
    result = CliRunner().invoke(main, ["models", "install", str(bad)], env={"ARGOS_PACKAGES_DIR": str(packages)})
    assert_error(result, 4, bad, "metadata.json is not valid JSON")
    assert not packages.exists() or list(packages.iterdir()) == []


# --- every path the tool reads: regular files only, bounded, never blocking ----------------------------------

def _fifo(p: Path) -> Path:
    os.mkfifo(p)
    return p


SECONDARY = {
    # name: (command line with {bad}, {ru}, {en}, {ok} placeholders)
    "align --mt FILE": ["align", "{ru}", "{en}", "-o", "{out}", "--signals", "length,anchors,mt", "--mt", "{bad}"],
    "batch --pairs": ["batch", "--pairs", "{bad}", "-o", "{outdir}", *FAST, "--jobs", "1", "--no-progress"],
    "score --ref": ["score", "--ref", "{bad}", "--hyp", "{ok}"],
    "score --hyp": ["score", "--ref", "{ok}", "--hyp", "{bad}"],
    "score --tmx": ["score", "--tmx", "{bad}"],
    "evaluate gold": ["evaluate", "{bad}", "{okbeads}"],
    "evaluate test": ["evaluate", "{okbeads}", "{bad}"],
}


def _secondary_args(command: str, tmp_path: Path, pair, bad) -> list[str]:
    ru, en = pair
    ok = tmp_path / "ok.en"
    ok.write_text("One line.\nTwo lines.\n", encoding="utf-8")
    okbeads = tmp_path / "ok.beads"
    okbeads.write_text("[0]:[0]\n", encoding="utf-8")
    values = {"bad": bad, "ru": ru, "en": en, "ok": ok, "okbeads": okbeads, "out": tmp_path / "out.tmx",
              "outdir": tmp_path / "outdir"}
    return [a.format(**{k: str(v) for k, v in values.items()}) for a in SECONDARY[command]]


@pytest.mark.parametrize("command", sorted(SECONDARY))
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "too-large"])
def test_secondary_inputs_have_the_main_inputs_guards(command, kind, tmp_path, pair):
    if kind == "fifo":
        bad = _fifo(tmp_path / "bad.fifo")
        problem = "not a regular file"
    elif kind == "dev-zero":
        bad = Path("/dev/zero")
        problem = "not a regular file"
    else:
        bad = tmp_path / "big.txt"
        with open(bad, "wb") as handle:        # sparse: 300 MB claimed, nothing written
            handle.truncate(300 * 1024 * 1024)
        problem = "too large"
    with deadline(20):
        result = run(*_secondary_args(command, tmp_path, pair, bad))
    assert_error(result, 1, bad, problem)
    assert not (tmp_path / "out.tmx").exists()


# --- encodings that used to come out as mojibake with exit 0 -------------------------------------------------

# Every Russian letter, capitals included, and "я"/"ё"/"Ш", which the code pages put in the most different places.
RU_ALPHABET = ("Съешь же ещё этих мягких французских булок, да выпей чаю. Широкая электрификация южных губерний "
               "даст мощный толчок подъёму сельского хозяйства. ЗАЯВЛЕНИЕ МИД России.")


@pytest.mark.parametrize("codec", ["iso8859-5", "mac-cyrillic", "koi8-r", "cp1251"])
def test_russian_in_every_cyrillic_code_page_is_decoded_right(codec, tmp_path, pair):
    _, en = pair
    ru = tmp_path / f"{codec}.ru.txt"
    ru.write_bytes((RU + "\n" + RU_ALPHABET + "\n").encode(codec))
    result = run("split", ru, "--lang", "ru")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line]
    assert lines[:5] == RU_SENTENCES
    assert lines[5] == "Съешь же ещё этих мягких французских булок, да выпей чаю."
    assert lines[-1] == "ЗАЯВЛЕНИЕ МИД России."


def test_cp1251_with_one_stray_byte_is_decoded_with_a_warning(tmp_path, pair):
    _, en = pair
    data = RU.encode("cp1251")
    cut = data.index("Стороны".encode("cp1251"))
    ru = tmp_path / "stray.ru.txt"
    ru.write_bytes(data[:cut] + b"\x98" + data[cut:])          # 0x98 is the one byte cp1251 leaves undefined
    out = tmp_path / "o.tmx"
    result = run("align", ru, en, "-o", out, *FAST)
    assert result.exit_code == 0, result.output
    assert [seg[0] for seg in tmx_segments(out)] == RU_SENTENCES
    assert f"{ru}: 1 byte(s) undefined in cp1251 dropped (first at offset {cut})" in result.stderr


def test_cp1252_english_is_decoded_right(tmp_path, pair):
    ru, _ = pair
    text = EN.replace("bilateral cooperation", "“bilateral cooperation”").replace(
        "the economy", "the economy – and to the café talks’ outcome")
    en = tmp_path / "cp1252.en.txt"
    en.write_bytes(text.encode("cp1252"))
    result = run("split", en, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "The parties discussed “bilateral cooperation”." in result.stdout.splitlines()
    assert "Special attention was paid to the economy – and to the café talks’ outcome." in result.stdout


@pytest.mark.parametrize("data", [
    "Déclaration du ministère. Les négociations ont été très fructueuses.\n".encode("latin-1"),
    b"hello \x98 world, nothing Russian here at all\n",
    # cp1251 with many undefined bytes is not "one stray byte"
    RU.encode("cp1251").replace(" ".encode(), b"\x98"),
], ids=["latin1-french", "lone-undefined-byte", "many-undefined-bytes"])
def test_other_8bit_text_is_refused_clearly(data, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(data)
    result = run("split", bad, "--lang", "ru")
    assert_error(result, 1, bad, "cannot decode", "save the file as UTF-8")


# --- HTML that used to lose text without a word ----------------------------------------------------------------

def test_html_nested_deeper_than_libxml2s_limit_keeps_every_sentence(tmp_path):
    # A legacy page that never closes <font>: 400 levels, past libxml2's default 256 (127 of 400 sentences).
    sentences = [f"Предложение номер {i} сохранено." for i in range(400)]
    page = tmp_path / "deep.html"
    page.write_text("<html><body><div class='text'>" + "".join(f"<font color=red>{s} " for s in sentences)
                    + "</div></body></html>", encoding="utf-8")
    result = run("split", page, "--lang", "ru")
    assert result.exit_code == 0, result.output
    assert [line for line in result.stdout.splitlines() if line] == sentences


def test_html_too_deep_even_without_inline_tags_is_refused_not_cut(tmp_path):
    page = tmp_path / "divs.html"
    page.write_text("<html><body>" + "".join(f"<div>Предложение номер {i}. " for i in range(3000))
                    + "</body></html>", encoding="utf-8")
    result = run("split", page, "--lang", "ru")
    assert_error(result, 1, page, "nested deeper than 2048 levels")


def test_lead_paragraph_outside_the_main_block_is_kept(tmp_path):
    lead = "Министр провёл переговоры с белорусским коллегой и обсудил широкий круг вопросов."
    page = tmp_path / "lead.html"
    page.write_text(f"""<html><body><nav class="menu"><a href="/">Главная</a></nav>
<article class="news">
  <h1>Переговоры в Москве</h1>
  <div class="date">15 декабря 2023 года</div>
  <div class="news__lead"><p>{lead}</p></div>
  <div class="text">
    <p>{RU_SENTENCES[1]} {RU_SENTENCES[2]} Стороны договорились продолжить обсуждение на следующей неделе.</p>
    <p>{RU_SENTENCES[3]} Следующая встреча состоится в Минске в начале будущего года по приглашению.</p>
  </div>
  <div class="share">Поделиться</div>
</article></body></html>""", encoding="utf-8")
    result = run("split", page, "--lang", "ru")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line]
    assert lines[0] == "Переговоры в Москве"     # the headline is a unit of its own (issue 12)
    assert lines[1] == lead
    assert lines[2] == RU_SENTENCES[1]
    assert lines.count("Переговоры в Москве") == 1 and "Поделиться" not in lines and "Главная" not in lines


# --- batch: nothing let out, nothing stale, one run per folder ------------------------------------------------

BATCH = ["--jobs", "1", "--no-progress", "--signals", "length,anchors", "--mt", "none", "--no-fill"]
SECRET = "Совершенно секретный текст, которому нечего делать в памяти переводов."


def corpus_of(root: Path, names=("a", "b")) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name in names:
        (root / f"{name}.ru.txt").write_text(RU, encoding="utf-8")
        (root / f"{name}.en.txt").write_text(EN, encoding="utf-8")
    return root


def merged_text(out: Path) -> str:
    data = b"".join(p.read_bytes() for p in sorted((out / "merged").glob("*.tmx")))
    for path in sorted((out / "merged").glob("*.tmx")):
        etree.parse(str(path))                              # well-formed, every one
    return data.decode("utf-8")


def test_batch_refuses_symlinks_out_of_the_corpus_and_lists_them(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.ru.txt").write_text(SECRET, encoding="utf-8")
    corpus = corpus_of(tmp_path / "corpus")
    (corpus / "leak.ru.txt").symlink_to(outside / "secret.ru.txt")
    (corpus / "leak.en.txt").write_text("A text that pairs with the leak.", encoding="utf-8")
    (corpus / "inside.ru.txt").symlink_to(corpus / "a.ru.txt")          # a link inside the corpus is fine
    (corpus / "inside.en.txt").write_text(EN, encoding="utf-8")
    os.mkfifo(corpus / "pipe.ru.txt")
    (corpus / "pipe.en.txt").write_text(EN, encoding="utf-8")
    out = tmp_path / "out"
    with deadline(60):
        result = run("batch", corpus, "-o", out, *BATCH)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    reasons = {Path(u["path"]).name: u["reason"] for u in summary["unpaired_files"]}
    assert "outside the corpus" in reasons["leak.ru.txt"]
    assert "not a regular file" in reasons["pipe.ru.txt"]
    assert summary["aligned"] == 3                              # a, b and inside
    assert SECRET not in merged_text(out)


def _sharded(tmp_path: Path) -> Path:
    corpus = corpus_of(tmp_path / "corpus", names=("a", "b", "c"))
    out = tmp_path / "out"
    for index in (0, 1):
        result = run("batch", corpus, "-o", out, "--num-shards", "2", "--shard-index", index, *BATCH)
        assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("name", ["../../escaped", "/tmp/absolute", "a/../../x", "new\nline", "nul\x00"])
def test_merge_validates_pair_names_from_shard_records(name, tmp_path):
    out = _sharded(tmp_path)
    record_path = sorted((out / "shards").glob("*.json"))[0]
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record["pairs"][0][0] = name
    record_path.write_text(json.dumps(record), encoding="utf-8")
    result = run("merge", out, "-o", tmp_path / "merged-out")
    assert_error(result, 1, record_path, "tampered shard record", "pair name")
    assert not (tmp_path / "escaped.tmx").exists() and not (tmp_path / "merged-out").exists()


def test_merge_refuses_a_truncated_shard_record(tmp_path):
    out = _sharded(tmp_path)
    record_path = sorted((out / "shards").glob("*.json"))[0]
    record_path.write_bytes(record_path.read_bytes()[:40])
    result = run("merge", out)
    assert_error(result, 1, record_path, "truncated or damaged")


@pytest.mark.parametrize("damage", ["truncate", "edit"])
def test_merge_refuses_a_truncated_or_edited_document(damage, tmp_path):
    out = _sharded(tmp_path)
    doc = out / "docs" / "b.tmx"
    data = doc.read_bytes()
    doc.write_bytes(data[: len(data) // 2] if damage == "truncate" else data.replace(b"Moscow", b"Mordor"))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = run("merge", out)
    assert_error(result, 1, doc, "refusing to merge document 'b'", "rerun the batch")
    assert not (out / "merged").exists() and not (out / "summary.json").exists()
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("damage", ["truncate", "delete", "replace-with-symlink"])
def test_batch_resume_realigns_a_truncated_or_missing_document(damage, tmp_path):
    corpus = corpus_of(tmp_path / "corpus")
    out = tmp_path / "out"
    assert run("batch", corpus, "-o", out, *BATCH).exit_code == 0
    doc = out / "docs" / "a.tmx"
    good = doc.read_bytes()
    if damage == "truncate":
        doc.write_bytes(good[:-30])
    else:
        doc.unlink()
        if damage == "replace-with-symlink":      # the same bytes, but a link to a file outside the output
            (tmp_path / "elsewhere.tmx").write_bytes(good)
            doc.symlink_to(tmp_path / "elsewhere.tmx")
    result = run("batch", corpus, "-o", out, *BATCH)
    assert result.exit_code == 0, result.output
    assert "1 aligned, 1 already done" in result.output
    assert doc.read_bytes() == good and not doc.is_symlink()
    assert merged_text(out).count("<tu ") == 2 * len(RU_SENTENCES)


def test_pairs_x_and_x_mt_do_not_share_the_mt_separate_file(tmp_path):
    corpus = corpus_of(tmp_path / "corpus", names=("x", "x.mt"))
    out = tmp_path / "out"
    result = run("batch", corpus, "-o", out, "--mt-separate", *BATCH)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["aligned"] == 1
    reasons = {Path(u["path"]).name: u["reason"] for u in summary["unpaired_files"]}
    assert "--mt-separate file of pair 'x'" in reasons["x.mt.ru.txt"]
    assert "--mt-separate file of pair 'x'" in result.stderr


def test_one_batch_per_output_folder_and_a_killed_run_leaves_no_lock(tmp_path):
    import fcntl

    corpus = corpus_of(tmp_path / "corpus")
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".aligner.lock", "w") as held:               # another run holds the folder
        fcntl.flock(held, fcntl.LOCK_EX)
        result = run("batch", corpus, "-o", out, *BATCH)
        assert_error(result, 3, out, "another aligner batch or merge is running")
        assert not (out / "docs").exists()
    # A run killed with SIGKILL while holding the lock: the kernel releases it.
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom aligner.batch import output_lock\n"
                               f"with output_lock({str(out)!r}):\n    print('locked', flush=True)\n"
                               "    time.sleep(60)\n"], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert holder.stdout.readline().strip() == "locked"
    assert_error(run("batch", corpus, "-o", out, *BATCH), 3, out, "another aligner batch")
    holder.kill()
    holder.wait()
    result = run("batch", corpus, "-o", out, *BATCH)
    assert result.exit_code == 0, result.output


def test_shards_of_one_array_job_may_run_at_once_but_not_the_same_shard_twice(tmp_path):
    from aligner.batch import output_lock
    from aligner.errors import OutputError

    out = tmp_path / "out"
    with output_lock(str(out), 0, 2):
        with output_lock(str(out), 1, 2):
            pass
        with pytest.raises(OutputError, match="this shard"):
            with output_lock(str(out), 0, 2):
                pass
        with pytest.raises(OutputError, match="this output folder"):
            with output_lock(str(out)):
                pass


# --- bounded time and memory whatever the input's shape ----------------------------------------------------

def test_a_6_million_character_sentence_is_cut_and_the_tmx_reads_back_everywhere(tmp_path):
    words = ("переговоры", "министр", "Москва", "сотрудничество", "безопасность")
    line = " ".join(words[i % 5] for i in range(500_000))            # 6.1 million characters, no full stop
    ru, en = tmp_path / "long.ru.txt", tmp_path / "long.en.txt"
    ru.write_text(line + "\n", encoding="utf-8")
    en.write_text("The Minister held talks in Moscow on security and cooperation.\n", encoding="utf-8")
    out = tmp_path / "o.tmx"
    result = run("align", ru, en, "-o", out, *FAST)
    assert result.exit_code == 0, result.output
    assert "1 sentence longer than 5,000 characters cut at word boundaries into" in result.stderr
    # lxml's default parser (no huge_tree) and translate-toolkit both read it back
    root = etree.parse(str(out), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    from translate.storage.tmx import tmxfile
    with open(out, "rb") as handle:
        units = tmxfile(handle).units
    assert units
    # every word is still there, in order, in pieces of at most 5,000 characters; the pieces not matched
    # to the one English sentence are 1-0 beads, listed in the TSV
    tsv = tmp_path / "o.tsv"
    assert run("align", ru, en, "-o", tsv, *FAST).exit_code == 0
    rows = [row.split("\t") for row in tsv.read_text(encoding="utf-8").splitlines()]
    src = rows[0].index("src")
    ids = rows[0].index("src_ids")
    pieces = [row[src] for row in rows[1:] if row[src]]
    assert all(len(row[src]) <= 5001 * len(row[ids].split(",")) for row in rows[1:] if row[src])  # a bead: k pieces
    assert len(pieces) > 1000
    assert " ".join(pieces) == line
    assert root is not None


def test_more_sentences_than_one_document_holds_is_refused_quickly(tmp_path):
    ru, en = tmp_path / "many.ru.txt", tmp_path / "many.en.txt"
    ru.write_text("".join(f"Пункт {i}.\n" for i in range(200_001)), encoding="utf-8")
    en.write_text("".join(f"Item {i}.\n" for i in range(200_001)), encoding="utf-8")
    started = time.monotonic()
    result = run("align", ru, en, "-o", tmp_path / "o.tmx", *FAST)
    assert_error(result, 1, ru, "200,001 paragraphs", "the limit is 200,000", "split it into smaller files")
    assert time.monotonic() - started < 60
    assert not (tmp_path / "o.tmx").exists()
    result = run("align", ru, en, "-o", tmp_path / "o.tmx", "--input-format", "lines", *FAST)
    assert_error(result, 1, ru, "200,001 sentences")


def test_a_huge_pair_is_aligned_without_the_costly_signals_or_refused_when_they_are_asked_for(tmp_path,
                                                                                                monkeypatch):
    import aligner.read.limits as limits
    monkeypatch.setattr(limits, "EMBED_MAX_CHARS", 100)       # RU is about 270 characters
    import aligner.align.signals.embeddings as embeddings

    def no_model():
        raise AssertionError("the embedder must not be loaded for a pair over the budget")
    monkeypatch.setattr(embeddings, "_model", no_model)
    ru, en = tmp_path / "p.ru.txt", tmp_path / "p.en.txt"
    ru.write_text(RU, encoding="utf-8")
    en.write_text(EN, encoding="utf-8")
    out = tmp_path / "o.tmx"
    result = run("align", ru, en, "-o", out, "--mt", "none")
    assert result.exit_code == 0, result.output
    assert "more than the costly signals handle in reasonable time (the limit is 100 a side); aligning with " \
           "length, anchors only" in result.stderr
    assert [seg[0] for seg in tmx_segments(out) if seg[0] in RU_SENTENCES] == RU_SENTENCES
    refused = run("align", ru, en, "-o", tmp_path / "r.tmx", "--signals", "length,embeddings", "--mt", "none")
    assert_error(refused, 1, en, "asks for embeddings", "--signals length,anchors")   # the longer side


STUCK_IN_C = """
import ctypes, sys
import aligner.align.signals.embeddings as embeddings

class Stuck:   # a C call that never looks at signals, like the embedder on a batch of long texts
    def query(self, texts):
        print("embedding", file=sys.stderr, flush=True)
        ctypes.CDLL(None).sleep(60)
        raise SystemExit("the C call was waited for")

embeddings._model = lambda: Stuck()
from aligner.cli import main
main(sys.argv[1:])
"""


@pytest.mark.parametrize("sig,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_run_within_two_seconds_even_inside_a_long_c_call(sig, code, tmp_path, pair):
    ru, en = pair
    out = tmp_path / "o.tmx"
    env = {**os.environ, **ENV, "ALIGNER_EMBEDDINGS_CACHE": ""}
    env.pop("ALIGNER_EMBEDDINGS_CACHE")
    proc = subprocess.Popen([sys.executable, "-c", STUCK_IN_C, "align", str(ru), str(en), "-o", str(out),
                             "--signals", "length,anchors,embeddings", "--mt", "none"],
                            cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))   # see test_hostile
    try:
        assert proc.stderr.readline().strip() == "embedding"
        time.sleep(0.3)
        sent = time.monotonic()
        proc.send_signal(sig)
        proc.wait(timeout=10)
        elapsed = time.monotonic() - sent
    finally:
        proc.kill()
    assert proc.returncode == code, proc.stderr.read()
    assert elapsed < 2, elapsed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pair.en.txt", "pair.ru.txt"]
