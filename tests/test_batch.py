"""Corpus jobs: pairing, resume, local workers, Dask, array-job shards and merge, hostile pairs."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.batch import find_pairs, read_manifest, run_batch, select_shard
from aligner.batch.merge import merge_outputs
from aligner.batch.pairing import Pair, document_key, sniff
from aligner.batch.progress import Progress
from aligner.cli import main
from aligner.errors import AlignerError, InputError, ModelError
from aligner.model import Alignment, Bead, Document, Sentence
from aligner.pipeline import AlignOptions
from aligner.write import WriteOptions, render_many, validate_tmx

REPO = Path(__file__).resolve().parents[1]
FAST = AlignOptions(signals=("length", "anchors"), mt="none", fill=False)


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


# -- a stand-in for the pipeline: one sentence per line, the n-th Russian line with the n-th English one --------
# Module level, so that spawned workers and Dask workers can unpickle it.

def _lines_document(path: str, lang: str) -> Document:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    if "BROKEN" in text:
        raise InputError(path, "stub refuses this file")
    if "CRASH" in text:
        raise ZeroDivisionError("a bug the input triggered")
    lines = [line for line in text.splitlines() if line.strip()]
    return Document(path, paragraphs=lines, sentences=[Sentence(t, i, 0) for i, t in enumerate(lines)], lang=lang)


def stub_align(ru: str, en: str, options) -> Alignment:
    src, tgt = _lines_document(ru, "ru"), _lines_document(en, "en")
    n, m = len(src.sentences), len(tgt.sentences)
    beads = [Bead((i,), (i,), 0.5, flags=("numbers",) if "1" in src.sentences[i].text else ())
             for i in range(min(n, m))]
    beads += [Bead((i,), (), 0.1) for i in range(m, n)] + [Bead((), (j,), 0.1) for j in range(n, m)]
    return Alignment(src, tgt, beads, name="ignored", signals=("stub",))


def stub_with_mt(ru: str, en: str, options) -> Alignment:
    """stub_align, with a machine translation filling every untranslated Russian sentence."""
    a = stub_align(ru, en, options)
    a.beads = [b.with_(mt=f"MT of {b.src[0]}", mt_engine="stub 1.0") if b.src and not b.tgt else b
               for b in a.beads]
    return a


def stub_dies(ru: str, en: str, options) -> Alignment:
    if "DIE" in Path(ru).read_text(encoding="utf-8"):
        os._exit(9)   # as if the kernel's OOM killer took the worker
    return stub_align(ru, en, options)


def stub_model_missing(ru: str, en: str, options) -> Alignment:
    raise ModelError(None, "no ru→en model installed")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lines_corpus(root: Path, sizes: dict[str, tuple[int, int]]) -> Path:
    """``name: (ru sentences, en sentences)`` as NAME.ru.txt / NAME.en.txt, one sentence per line."""
    for name, (n, m) in sizes.items():
        write(root / f"{name}.ru.txt", "".join(f"Предложение {name} номер {i}.\n" for i in range(n)))
        write(root / f"{name}.en.txt", "".join(f"Sentence {name} number {i}.\n" for i in range(m)))
    return root


def tree(out: Path, parts=("docs", "merged", "summary.json", "metrics.jsonl")) -> dict[str, bytes]:
    """The files a user keeps, by relative path; seconds (a wall-clock timing) taken out of metrics.jsonl."""
    files = {}
    for part in parts:
        base = out / part
        paths = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in paths:
            data = path.read_bytes()
            if path.name == "metrics.jsonl":
                rows = [json.loads(line) for line in data.decode().splitlines()]
                for row in rows:
                    row.pop("seconds", None)
                data = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()
            files[str(path.relative_to(out))] = data
    return files


# -- pairing ----------------------------------------------------------------------------------------------------

def test_document_key_reads_language_markers_from_names_and_folders():
    assert document_key("g/X.ru.txt") == ("g/X", "ru", "stem")
    assert document_key("g/X_en.html") == ("g/X", "en", "stem")
    assert document_key("g/statement-eng.htm") == ("g/statement", "en", "stem")
    assert document_key("a/ru/b/X.html") == ("a/b/X", "ru", "folder")
    assert document_key("en/X.txt") == ("X", "en", "folder")
    assert document_key("c/ru/X.ru.txt") == ("c/X", "ru", "stem")   # both conventions at once
    assert document_key("green.txt") == (None, None, "none")     # "-en"/".en" needs a separator before it


def test_find_pairs_by_stem_folder_and_number_and_reports_the_rest(tmp_path):
    c = tmp_path / "corpus"
    write(c / "g1/A.ru.txt", "Текст.")
    write(c / "g1/A.en.txt", "Text.")
    write(c / "ru/B.html", "<p>Текст</p>")
    write(c / "en/B.htm", "<p>Text</p>")
    # Unmarked names: paired by the MFA number in the text, language told by the script.
    write(c / "mfa/page1.html", "<h1>Заявление</h1><p>2545-15-12-2023</p><p>Москва приветствует.</p>")
    write(c / "mfa/page2.html", "<h1>Statement</h1><p>2545-15-12-2023</p><p>Moscow welcomes.</p>")
    write(c / "seed/000_536ce.en.txt", "Opening remarks, document 1111-01-02-2023.")   # no Russian anywhere
    write(c / "loose.txt", "Просто текст без номера.")
    write(c / "README.md", "not a document")                                        # not a candidate at all
    write(c / ".hidden.ru.txt", "скрыто")
    write(c / "out/docs/A.ru.txt", "an earlier output inside the corpus")
    pairs, unpaired = find_pairs(str(c), exclude=[str(c / "out")])

    assert pairs == [
        Pair("2545-15-12-2023", str(c / "mfa/page1.html"), str(c / "mfa/page2.html"), "number"),
        Pair("B", str(c / "ru/B.html"), str(c / "en/B.htm"), "folder"),
        Pair("g1/A", str(c / "g1/A.ru.txt"), str(c / "g1/A.en.txt"), "stem"),
    ]
    assert [u.path for u in unpaired] == [str(c / "loose.txt"), str(c / "seed/000_536ce.en.txt")]
    reasons = {Path(u.path).name: u.reason for u in unpaired}
    assert "no English counterpart" in reasons["loose.txt"] and "no MFA document number" in reasons["loose.txt"]
    assert reasons["000_536ce.en.txt"].startswith("no Russian counterpart: no Russian file for 'seed/000_536ce'")
    assert "1111-01-02-2023" in reasons["000_536ce.en.txt"]


def test_duplicates_are_reported_never_guessed(tmp_path):
    c = tmp_path / "c"
    write(c / "X.ru.txt", "Текст.")
    write(c / "X.ru.html", "<p>Текст.</p>")
    write(c / "X.en.txt", "Text.")
    write(c / "p.html", "1-02-03-2024 Один.")
    write(c / "q.html", "1-02-03-2024 Два.")
    write(c / "r.html", "1-02-03-2024 One.")
    write(c / "Y.ru.txt", "Текст.")
    write(c / "Y.en.txt", "Text.")
    pairs, unpaired = find_pairs(str(c))
    assert [p.name for p in pairs] == ["Y"]
    assert len(unpaired) == 6
    by_name = {Path(u.path).name: u.reason for u in unpaired}
    assert by_name["X.en.txt"] == ("duplicate: 2 Russian files (X.ru.html, X.ru.txt) for 'X'; "
                                   "rename or remove all but one")
    assert by_name["p.html"].startswith("duplicate: 2 Russian files (p.html, q.html) for MFA document number "
                                        "1-02-03-2024")


def test_one_sided_stem_files_still_pair_by_document_number(tmp_path):
    c = tmp_path / "c"
    write(c / "lavrov.ru.txt", "Выступление. 2545-15-12-2023")
    write(c / "speech-of-the-minister.en.txt", "Remarks. 2545-15-12-2023")
    pairs, unpaired = find_pairs(str(c))
    assert [(p.name, p.how) for p in pairs] == [("2545-15-12-2023", "number")] and not unpaired


def test_sniff_finds_the_number_and_the_script(tmp_path):
    f = write(tmp_path / "a.html", '<html lang="en"><body><p>Министр 12-01-02-2020 заявил</p></body></html>')
    assert sniff(str(f)) == ("12-01-02-2020", "ru")      # the tags are Latin; the text is not
    g = write(tmp_path / "b.txt", "Dated 31-12-2023, no number 99-99-99-2023 here")
    assert sniff(str(g)) == (None, "en")


def test_corpus_errors_are_one_line_input_errors(tmp_path):
    with pytest.raises(InputError, match="corpus folder not found"):
        find_pairs(str(tmp_path / "nope"))
    f = write(tmp_path / "file.txt", "x")
    with pytest.raises(InputError, match="not a folder"):
        find_pairs(str(f))


def test_manifest_pairs_names_and_duplicates(tmp_path):
    m = write(tmp_path / "list/pairs.tsv",
              "# ru\ten\n\nru/A.html\ten/A.html\nB.ru.txt\tB.en.txt\tbee\n"
              "x/C.ru.txt\tx/C.en.txt\tdup\ny/C.ru.txt\ty/C.en.txt\tdup\n")
    pairs, unpaired = read_manifest(str(m))
    base = str(tmp_path / "list")
    assert pairs == [Pair("A", os.path.join(base, "ru/A.html"), os.path.join(base, "en/A.html"), "manifest"),
                     Pair("bee", os.path.join(base, "B.ru.txt"), os.path.join(base, "B.en.txt"), "manifest")]
    assert [u.reason for u in unpaired] == ["duplicate: 2 manifest rows named 'dup'"] * 2
    bad = write(tmp_path / "bad.tsv", "only-one-column\n")
    with pytest.raises(InputError, match=r"bad.tsv: line 1: expected RU<TAB>EN"):
        read_manifest(str(bad))
    evil = write(tmp_path / "evil.tsv", "a\tb\t../../etc/x\n")
    with pytest.raises(InputError, match="line 1: name '../../etc/x' must be a relative path"):
        read_manifest(str(evil))


def test_shards_partition_the_pairs_round_robin_by_name():
    pairs = [Pair(n, n, n, "stem") for n in "edcba"]
    shards = [[p.name for p in select_shard(pairs, i, 2)] for i in range(2)]
    assert shards == [["a", "c", "e"], ["b", "d"]]
    with pytest.raises(ValueError):
        select_shard(pairs, 2, 2)


# -- one run: the files and what is in them ----------------------------------------------------------------------

def test_run_writes_documents_merged_shards_metrics_and_summary(tmp_path):
    # Units: a 3 (3-3), b 2 (2 Russian, 3 English: 2 units + one 0-1 bead), c 4. Shard size 5: [a] would
    # take 3, adding b makes 5 (fits), adding c would make 9 → second file holds c alone.
    corpus = lines_corpus(tmp_path / "c", {"a": (3, 3), "b": (2, 3), "c": (4, 4)})
    write(corpus / "bad.ru.txt", "BROKEN")
    write(corpus / "bad.en.txt", "fine")
    write(corpus / "orphan.en.txt", "alone")
    pairs, unpaired = find_pairs(str(corpus))
    out = tmp_path / "out"
    result = run_batch(pairs, unpaired, str(out), FAST, jobs=1, shard_size=5, align_fn=stub_align,
                       progress=False)

    assert (result.selected, result.aligned, result.skipped) == (4, 3, 0)
    assert result.exit_code == 1
    assert result.failed == [{"name": "bad", "ru": str(corpus / "bad.ru.txt"), "en": str(corpus / "bad.en.txt"),
                              "error": f"{corpus / 'bad.ru.txt'}: stub refuses this file"}]
    assert sorted(p.name for p in (out / "docs").iterdir()) == ["a.tmx", "b.tmx", "c.tmx"]
    assert result.written == ["merged/corpus-00000.tmx", "merged/corpus-00001.tmx", "metrics.jsonl",
                              "summary.json"]

    first = (out / "merged/corpus-00000.tmx").read_bytes()
    second = (out / "merged/corpus-00001.tmx").read_bytes()
    for data in (first, second):
        validate_tmx(data)
    assert first.count(b"<tu ") == 5 and second.count(b"<tu ") == 4
    assert b'tuid="a:0:0"' in first and b'<prop type="x-document">b</prop>' in first
    assert b'tuid="c:3:3"' in second
    # Spliced bytes equal what the writer renders for the same documents in one go.
    alignments = []
    for name in "ab":
        a = stub_align(str(corpus / f"{name}.ru.txt"), str(corpus / f"{name}.en.txt"), FAST)
        a.name = name
        alignments.append(a)
    # The merged header carries the job's date and the batch's planned signature (summary.json has it too).
    signature = json.loads((out / "summary.json").read_text(encoding="utf-8"))["options"]["signature"]
    assert signature.startswith("aligner|v") and "signals:length+anchors|" in signature
    assert first == render_many(alignments, "tmx", WriteOptions(created=1700000000, signatures=(signature,)))

    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [r["name"] for r in rows] == ["a", "b", "bad", "c"]
    b = rows[1]
    assert b["sentences"] == {"ru": 2, "en": 3} and b["beads"] == 3 and b["units"] == 2
    assert b["bead_kinds"] == {"0-1": 1, "1-1": 2}
    assert b["mean_confidence"] == 0.5              # over the two 1-1 beads, not the 0-1 one
    assert b["flags"] == {"numbers": 1}             # "номер 1" in sentence 1
    assert b["mt_segments"] == 0 and b["seconds"] >= 0
    assert rows[2] == {"name": "bad", "ru": str(corpus / "bad.ru.txt"), "en": str(corpus / "bad.en.txt"),
                       "pairing": "stem", "error": f"{corpus / 'bad.ru.txt'}: stub refuses this file"}

    summary = json.loads((out / "summary.json").read_text())
    assert (summary["pairs"], summary["aligned"], summary["failed"], summary["unpaired"]) == (4, 3, 1, 1)
    assert summary["totals"]["units"] == 9 and summary["totals"]["sentences"] == {"ru": 9, "en": 10}
    assert summary["failed_pairs"][0]["name"] == "bad"
    assert summary["unpaired_files"][0]["path"] == str(corpus / "orphan.en.txt")
    assert "seconds" not in json.dumps(summary)


def test_mt_separate_keeps_machine_translations_in_their_own_files(tmp_path):
    corpus = lines_corpus(tmp_path / "c", {"a": (3, 2), "b": (1, 1)})     # a: 2 human units, 1 filled by MT
    pairs, unpaired = find_pairs(str(corpus))
    out = tmp_path / "out"
    result = run_batch(pairs, unpaired, str(out), FAST, jobs=1, mt_separate=True, align_fn=stub_with_mt,
                       progress=False)
    assert result.written == ["merged/corpus-00000.tmx", "merged/corpus-00000.mt.tmx", "metrics.jsonl",
                              "summary.json"]
    human, mt = (out / "docs/a.tmx").read_bytes(), (out / "docs/a.mt.tmx").read_bytes()
    assert human.count(b"<tu ") == 2 and b"MT of" not in human
    assert mt.count(b"<tu ") == 1 and b"<seg>MT of 2</seg>" in mt and b"x-origin" in mt
    merged_mt = (out / "merged/corpus-00000.mt.tmx").read_bytes()
    validate_tmx(merged_mt)
    assert merged_mt.count(b"<tu ") == 1 and (out / "merged/corpus-00000.tmx").read_bytes().count(b"<tu ") == 3
    assert json.loads((out / "metrics.jsonl").read_text().splitlines()[0])["mt_segments"] == 1
    (out / "docs/a.mt.tmx").unlink()     # a document is done only when all its files are there
    again = run_batch(pairs, unpaired, str(out), FAST, jobs=1, mt_separate=True, align_fn=stub_with_mt,
                      progress=False)
    assert (again.skipped, again.aligned) == (1, 1) and (out / "docs/a.mt.tmx").read_bytes() == mt


def test_a_bug_on_one_pair_fails_that_pair_only_and_a_model_error_stops_the_batch(tmp_path):
    corpus = lines_corpus(tmp_path / "c", {"a": (2, 2)})
    write(corpus / "z.ru.txt", "CRASH")
    write(corpus / "z.en.txt", "x")
    pairs, unpaired = find_pairs(str(corpus))
    result = run_batch(pairs, unpaired, str(tmp_path / "o"), FAST, jobs=1, align_fn=stub_align, progress=False)
    assert result.aligned == 1
    assert result.failed[0]["error"] == (f"{corpus / 'z.ru.txt'}: internal error: ZeroDivisionError: "
                                         "a bug the input triggered")
    with pytest.raises(ModelError, match="no ru→en model installed") as info:
        run_batch(pairs, unpaired, str(tmp_path / "o2"), FAST, jobs=1, align_fn=stub_model_missing,
                  progress=False)
    assert info.value.exit_code == 4


# -- resume ----------------------------------------------------------------------------------------------------

def test_resume_skips_done_pairs_and_redoes_stale_ones(tmp_path):
    corpus = lines_corpus(tmp_path / "c", {"a": (2, 2), "b": (3, 3), "c": (1, 1)})
    pairs, unpaired = find_pairs(str(corpus))
    out = tmp_path / "out"
    run_batch(pairs, unpaired, str(out), FAST, jobs=1, align_fn=stub_align, progress=False)
    clean = tree(out)

    (out / "done/b.json").unlink()                  # as if killed after writing b's TMX, before its marker
    again = run_batch(pairs, unpaired, str(out), FAST, jobs=1, align_fn=stub_align, progress=False)
    assert (again.skipped, again.aligned) == (2, 1)
    assert tree(out) == clean

    write(corpus / "c.en.txt", "Changed.\nAnd longer.\n")     # new input bytes: c's marker is stale
    changed = run_batch(pairs, unpaired, str(out), FAST, jobs=1, align_fn=stub_align, progress=False)
    assert (changed.skipped, changed.aligned) == (2, 1)
    other = AlignOptions(signals=("length",), mt="none", fill=False)  # other options: everything is stale
    assert run_batch(pairs, unpaired, str(out), other, jobs=1, align_fn=stub_align, progress=False).aligned == 3


def test_a_pair_that_fails_after_succeeding_leaves_no_stale_document(tmp_path):
    corpus = lines_corpus(tmp_path / "c", {"a": (2, 2), "b": (2, 2)})
    pairs, unpaired = find_pairs(str(corpus))
    out = tmp_path / "out"
    run_batch(pairs, unpaired, str(out), FAST, jobs=1, align_fn=stub_align, progress=False)
    write(corpus / "b.ru.txt", "BROKEN now")
    result = run_batch(pairs, unpaired, str(out), FAST, jobs=1, align_fn=stub_align, progress=False)
    assert [f["name"] for f in result.failed] == ["b"]
    assert not (out / "docs/b.tmx").exists() and not (out / "done/b.json").exists()
    assert b"b:0:0" not in (out / "merged/corpus-00000.tmx").read_bytes()
    write(corpus / "b.ru.txt", "Исправлено.\nДа.\n")
    fixed = run_batch(pairs, unpaired, str(out), FAST, jobs=1, align_fn=stub_align, progress=False)
    assert fixed.failed == [] and fixed.exit_code == 0 and not (out / "failed/b.json").exists()


# -- parallel, Dask, shards ----------------------------------------------------------------------------------

def test_two_local_workers_write_the_same_bytes_as_one(tmp_path):
    corpus = lines_corpus(tmp_path / "c", {f"d{i}": (i % 4 + 1, i % 3 + 1) for i in range(8)})
    pairs, unpaired = find_pairs(str(corpus))
    one = run_batch(pairs, unpaired, str(tmp_path / "one"), FAST, jobs=1, align_fn=stub_align,
                    shard_size=7, progress=False)
    two = run_batch(pairs, unpaired, str(tmp_path / "two"), FAST, jobs=2, align_fn=stub_align,
                    shard_size=7, progress=False)
    assert two.aligned == 8
    assert len(two.worker_peak_kib) == 2 and os.getpid() not in two.worker_peak_kib   # really two processes
    assert tree(tmp_path / "two") == tree(tmp_path / "one")
    assert len(one.summary["merged"]) > 1


def test_dask_cluster_run_equals_the_local_run(tmp_path):
    distributed = pytest.importorskip("distributed")
    corpus = lines_corpus(tmp_path / "c", {f"d{i}": (i % 3 + 1, i % 2 + 1) for i in range(6)})
    write(corpus / "bad.ru.txt", "BROKEN")
    write(corpus / "bad.en.txt", "x")
    pairs, unpaired = find_pairs(str(corpus))
    run_batch(pairs, unpaired, str(tmp_path / "local"), FAST, jobs=1, align_fn=stub_align, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster:
        result = run_batch(pairs, unpaired, str(tmp_path / "dask"), FAST, dask=cluster.scheduler_address,
                           align_fn=stub_align, progress=False)
    assert result.aligned == 6 and len(result.failed) == 1
    assert len(result.worker_peak_kib) == 2                        # both workers took tasks
    assert tree(tmp_path / "dask") == tree(tmp_path / "local")


def test_shards_then_merge_equal_one_run(tmp_path):
    corpus = lines_corpus(tmp_path / "c", {f"d{i}": (i % 4 + 1, i % 4 + 1) for i in range(7)})
    write(corpus / "bad.ru.txt", "BROKEN")
    write(corpus / "bad.en.txt", "x")
    write(corpus / "lonely.ru.txt", "Один.")
    pairs, unpaired = find_pairs(str(corpus))
    run_batch(pairs, unpaired, str(tmp_path / "one"), FAST, jobs=1, align_fn=stub_align, shard_size=6,
              progress=False)
    for i in range(3):   # all shards into one folder, as Slurm array tasks on a shared file system would
        part = run_batch(pairs, unpaired, str(tmp_path / "same"), FAST, jobs=1, align_fn=stub_align,
                         shard_index=i, num_shards=3, shard_size=6, progress=False)
        assert part.summary is None and not (tmp_path / "same/summary.json").exists()
        run_batch(pairs, unpaired, str(tmp_path / f"sep{i}"), FAST, jobs=1, align_fn=stub_align,
                  shard_index=i, num_shards=3, shard_size=6, progress=False)
    merge_outputs([str(tmp_path / "same")])
    merge_outputs([str(tmp_path / f"sep{i}") for i in range(3)], str(tmp_path / "merged"))
    assert tree(tmp_path / "same") == tree(tmp_path / "one")
    assert tree(tmp_path / "merged") == tree(tmp_path / "one")


def test_merge_refuses_missing_shards(tmp_path):
    corpus = lines_corpus(tmp_path / "c", {"a": (1, 1), "b": (1, 1)})
    pairs, unpaired = find_pairs(str(corpus))
    run_batch(pairs, unpaired, str(tmp_path / "o"), FAST, jobs=1, align_fn=stub_align, shard_index=1,
              num_shards=2, progress=False)
    with pytest.raises(InputError, match="shards missing: 0 of 0..1"):
        merge_outputs([str(tmp_path / "o")])
    with pytest.raises(InputError, match="no shard records"):
        merge_outputs([str(tmp_path / "c")])


def test_a_worker_that_dies_stops_the_batch_with_one_line(tmp_path):
    corpus = lines_corpus(tmp_path / "c", {"a": (1, 1), "b": (1, 1)})
    write(corpus / "b.ru.txt", "DIE")
    pairs, unpaired = find_pairs(str(corpus))
    with pytest.raises(AlignerError, match="a worker process died") as info:
        run_batch(pairs, unpaired, str(tmp_path / "o"), FAST, jobs=2, align_fn=stub_dies, progress=False)
    assert info.value.exit_code == 1 and "\n" not in info.value.message


# -- progress --------------------------------------------------------------------------------------------------

class _Tty:
    def __init__(self, tty: bool):
        self.tty, self.text = tty, ""

    def isatty(self):
        return self.tty

    def write(self, s):
        self.text += s

    def flush(self):
        pass


def test_progress_bar_only_on_a_terminal():
    quiet = _Tty(False)
    bar = Progress(4, stream=quiet)
    for _ in range(4):
        bar.advance()
    bar.close()
    assert quiet.text == ""
    tty = _Tty(True)
    bar = Progress(4, already=1, stream=tty)
    for failed in (False, True, False):
        bar.advance(failed)
    bar.close()
    last = tty.text.rstrip("\n").split("\r")[-1]
    assert last.startswith("[" + "#" * 28 + "] 4/4 documents, 1 failed") and "ETA 0s" in last


# -- the command line, on the real pipeline ------------------------------------------------------------------

RU_TEXTS = [
    "Министр иностранных дел России провёл переговоры в Москве. Стороны обсудили вопросы безопасности.\n\n"
    "Встреча продолжалась три часа. Следующий раунд пройдёт в мае 2024 года.\n",
    "Россия выступает за мирное урегулирование. Мы готовы к диалогу.\n\n"
    "Заявление опубликовано 15 декабря 2023 года.\n",
]
EN_TEXTS = [
    "The Russian Foreign Minister held talks in Moscow. The parties discussed security issues.\n\n"
    "The meeting lasted three hours. The next round will take place in May 2024.\n",
    "Russia stands for a peaceful settlement. We are ready for dialogue.\n\n"
    "The statement was published on 15 December 2023.\n",
]
CLI_FAST = ["--signals", "length,anchors", "--mt", "none", "--no-fill"]


def real_corpus(root: Path, n: int) -> Path:
    for i in range(n):
        write(root / f"g{i % 2}" / f"doc{i:02d}.ru.txt", RU_TEXTS[i % 2].replace("три", f"{i + 3}"))
        write(root / f"g{i % 2}" / f"doc{i:02d}.en.txt", EN_TEXTS[i % 2].replace("three", f"{i + 3}"))
    write(root / "seed" / "000_536ce80840e49457.en.txt", "Opening remarks by Sergey Lavrov. 2545-15-12-2023\n")
    return root


def test_cli_batch_aligns_the_corpus_and_reports_the_seed_as_unpaired(tmp_path):
    corpus = real_corpus(tmp_path / "corpora", 3)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(corpus), "-o", str(out), "--jobs", "1", *CLI_FAST])
    assert result.exit_code == 0, result.output
    assert f"unpaired: {corpus / 'seed/000_536ce80840e49457.en.txt'}: no Russian counterpart" in result.output
    assert "3 pairs: 3 aligned, 0 failed, 1 unpaired files" in result.output
    assert f"wrote {out / 'merged/corpus-00000.tmx'}" in result.output
    # MT-filled units never go into the trusted TMX: each document has its NAME.mt.tmx (issue 12)
    assert sorted(str(p.relative_to(out)) for p in (out / "docs").rglob("*.tmx")) == [
        "docs/g0/doc00.mt.tmx", "docs/g0/doc00.tmx", "docs/g0/doc02.mt.tmx", "docs/g0/doc02.tmx",
        "docs/g1/doc01.mt.tmx", "docs/g1/doc01.tmx"]
    merged = (out / "merged/corpus-00000.tmx").read_bytes()
    validate_tmx(merged)
    # doc00: 4 + 4 sentences that translate one another one by one → 4 units, 1-1, in order.
    assert merged.count(b'tuid="g0/doc00:') == 4
    assert b"<seg>The meeting lasted 3 hours.</seg>" in merged
    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [r["name"] for r in rows] == ["g0/doc00", "g0/doc02", "g1/doc01"]
    assert rows[0]["sentences"] == {"ru": 4, "en": 4} and rows[0]["bead_kinds"] == {"1-1": 4}
    assert rows[2]["sentences"] == {"ru": 3, "en": 3}


def test_cli_batch_with_broken_pairs_finishes_lists_them_and_exits_1(tmp_path):
    from aligner.pipeline import align_files

    corpus = real_corpus(tmp_path / "c", 2)
    write(corpus / "bad/empty.ru.txt", "")
    write(corpus / "bad/empty.en.txt", EN_TEXTS[0])
    (corpus / "bad/binary.ru.txt").write_bytes(b"\x00\x01\x02\xff\xfe" * 200)
    write(corpus / "bad/binary.en.txt", EN_TEXTS[1])
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(corpus), "-o", str(out), "--jobs", "1", *CLI_FAST])
    assert result.exit_code == 1, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["aligned"], summary["failed"]) == (2, 2)
    failed = {f["name"]: f["error"] for f in summary["failed_pairs"]}
    assert sorted(failed) == ["bad/binary", "bad/empty"]
    for name in failed:   # exactly the one line `aligner align` would print for the pair
        with pytest.raises(AlignerError) as info:
            align_files(str(corpus / f"{name}.ru.txt"), str(corpus / f"{name}.en.txt"), FAST)
        assert failed[name] == info.value.message and "\n" not in failed[name]
        assert failed[name].startswith(str(corpus / f"{name}.ru.txt"))
        assert f"failed: {name}: {failed[name]}" in result.output
    assert not (out / "docs/bad").exists()


def test_cli_reads_the_slurm_array_task_and_merge_completes_it(tmp_path):
    corpus = real_corpus(tmp_path / "c", 3)
    out = tmp_path / "out"
    runner = CliRunner()
    for task in (1, 2):   # --array=1-2
        env = {"SLURM_ARRAY_TASK_ID": str(task), "SLURM_ARRAY_TASK_COUNT": "2", "SLURM_ARRAY_TASK_MIN": "1"}
        result = runner.invoke(main, ["batch", str(corpus), "-o", str(out), "--jobs", "1", *CLI_FAST], env=env)
        assert result.exit_code == 0, result.output
        assert f"(shard {task - 1} of 2)" in result.output
    assert sorted(p.name for p in (out / "shards").iterdir()) == ["shard-00000-of-00002.json",
                                                                  "shard-00001-of-00002.json"]
    # Round robin over g0/doc00, g0/doc02, g1/doc01: shard 0 has two of them, shard 1 one.
    assert [len(json.loads(p.read_text())["pairs"]) for p in sorted((out / "shards").iterdir())] == [2, 1]
    assert not (out / "summary.json").exists()
    merged = runner.invoke(main, ["merge", str(out)])
    assert merged.exit_code == 0, merged.output
    one = tmp_path / "one"
    assert runner.invoke(main, ["batch", str(corpus), "-o", str(one), "--jobs", "1", *CLI_FAST]).exit_code == 0
    assert tree(out) == tree(one)


def test_cli_usage_errors(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["batch", "-o", str(tmp_path / "o")]).exit_code == 2
    r = runner.invoke(main, ["batch", str(tmp_path), "-o", str(tmp_path / "o"), "--shard-index", "2",
                             "--num-shards", "2"])
    assert r.exit_code == 2 and "is not below --num-shards 2" in r.output
    r = runner.invoke(main, ["batch", str(tmp_path / "missing"), "-o", str(tmp_path / "o")])
    assert r.exit_code == 1 and "corpus folder not found" in r.output


def test_rerun_removes_what_a_killed_writer_left(tmp_path):
    """kill -9 during a write leaves the writer's temporary file: the rerun that redoes the document removes it,
    and leaves other files that merely look alike."""
    corpus = real_corpus(tmp_path / "c", 3)
    out = tmp_path / "out"
    (out / "docs" / "g0").mkdir(parents=True)
    (out / "done" / "g1").mkdir(parents=True)
    leftovers = [out / "docs" / "g0" / ".doc00.tmx.k1ll3d_x.tmp", out / "done" / "g1" / ".doc01.json.a8c_q2zz.tmp"]
    for path in leftovers:
        path.write_bytes(b"<?xml version=")                  # cut short
    mine = out / "docs" / "g0" / ".notes.txt.k1ll3d_x.tmp"   # not a temporary file of any document of this run
    mine.write_bytes(b"keep")
    result = CliRunner().invoke(main, ["batch", str(corpus), "-o", str(out), "--jobs", "1", *CLI_FAST])
    assert result.exit_code == 0, result.output
    assert [p for p in leftovers if p.exists()] == []
    assert mine.read_bytes() == b"keep"


def test_killed_run_resumes_to_the_same_bytes_as_a_clean_run(tmp_path):
    corpus = real_corpus(tmp_path / "c", 20)
    command = [sys.executable, "-m", "aligner", "batch", str(corpus), "--jobs", "2", *CLI_FAST]
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    clean = tmp_path / "clean"
    subprocess.run(command + ["-o", str(clean)], env=env, check=True, capture_output=True, cwd=REPO)

    out = tmp_path / "out"
    process = subprocess.Popen(command + ["-o", str(out)], env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(out.glob("done/**/*.json")):
        assert process.poll() is None and time.monotonic() < deadline, "the run ended before it could be killed"
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)        # the driver only: its workers must die with it (no orphans)
    process.wait()
    done_at_kill = len(list((out / "done").rglob("*.json")))
    assert 1 <= done_at_kill < 20 and not (out / "summary.json").exists()
    time.sleep(0.5)
    assert len(list((out / "done").rglob("*.json"))) <= done_at_kill + 2   # at most the tasks in flight

    again = subprocess.run(command + ["-o", str(out)], env=env, capture_output=True, text=True, cwd=REPO)
    assert again.returncode == 0, again.stderr
    assert "already done" in again.stderr
    assert tree(out) == tree(clean)
    assert [p.name for p in (out / "docs").rglob("*") if p.name.startswith(".")] == []   # no temporary files
