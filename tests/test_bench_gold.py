"""`python -m benchmarks run --gold-jsonl FILE`: a held-out human-aligned translation of the user's own, in the
book's JSONL layout, measured as one more real-translation track, without ../shared."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.build import build_gold_jsonl, gold_jsonl_languages

ROOT = Path(__file__).resolve().parents[1]

# (English sentences, Russian units) per gold bead, as CroCoAlign packages a book: English "sources"
BEADS = [
    (["In 2017 the ministry held 12 meetings."], ["В 2017 году министерство провело 12 встреч."]),
    (["In 2018 there were 31 meetings.", "In 2019 there were 44."],
     ["В 2018 году прошла 31 встреча, а в 2019 году — 44."]),
    ([], ["Неофициальный перевод."]),
    (["The 2020 report lists 57 countries."], ["В докладе за 2020 год перечислены 57 стран."]),
    (["Source: 1999 edition."], []),
    (["In 2021 the figure rose to 68 countries and 73 organisations."],
     ["В 2021 году их число выросло до 68 стран и 73 организаций."]),
]


def write_gold(path: Path, beads=BEADS) -> Path:
    rows = [{"sources": {"ids": [], "text": en}, "targets": {"ids": [], "text": ru}} for en, ru in beads]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_languages_come_from_the_name():
    assert gold_jsonl_languages(Path("book.en-ru.jsonl")) == ("book", "en", "ru")
    assert gold_jsonl_languages(Path("/x/vol.2.de-fr.jsonl")) == ("vol.2", "de", "fr")
    for bad in ("book.jsonl", "book.en-en.jsonl", "book.en_ru.jsonl", "book.en-ru.json"):
        with pytest.raises(ValueError, match="NAME.XX-YY.jsonl"):
            gold_jsonl_languages(Path(bad))


def test_build_writes_the_targets_as_source_side_with_gold_by_hand(tmp_path):
    out = tmp_path / "built"
    build_gold_jsonl(write_gold(tmp_path / "book.en-ru.jsonl"), out)
    ru = (out / "all.ru").read_text(encoding="utf-8").splitlines()
    en = (out / "all.en").read_text(encoding="utf-8").splitlines()
    assert ru == ["В 2017 году министерство провело 12 встреч.", "В 2018 году прошла 31 встреча, а в 2019 году — 44.",
                  "Неофициальный перевод.", "В докладе за 2020 год перечислены 57 стран.",
                  "В 2021 году их число выросло до 68 стран и 73 организаций."]
    assert en[1:3] == ["In 2018 there were 31 meetings.", "In 2019 there were 44."]
    assert (out / "all.gold").read_text().splitlines() == [
        "[0]:[0]", "[1]:[1, 2]", "[2]:[]", "[3]:[3]", "[]:[4]", "[4]:[5]"]


def test_bad_lines_are_named_with_their_number(tmp_path):
    path = write_gold(tmp_path / "book.en-ru.jsonl")
    path.write_text(path.read_text(encoding="utf-8") + '{"sources": {"text": "one string"}, "targets": {"text": []}}\n',
                    encoding="utf-8")
    with pytest.raises(ValueError, match=r"book.en-ru.jsonl:7: not a gold bead"):
        build_gold_jsonl(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()          # nothing half-written
    one_sided = write_gold(tmp_path / "one.en-ru.jsonl", [(["Only English."], [])])
    with pytest.raises(ValueError, match="no sentences on one side"):
        build_gold_jsonl(one_sided, tmp_path / "out")


def _bench(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    # An empty ALIGNER_SHARED: the user's own track must not need ../shared.
    empty = tmp_path / "no-shared"
    empty.mkdir(exist_ok=True)
    env = dict(os.environ, ALIGNER_BENCH_OUT=str(tmp_path / "bench-out"), ALIGNER_SHARED=str(empty))
    return subprocess.run([sys.executable, "-m", "benchmarks", "run", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_run_scores_a_gold_file_without_shared(tmp_path):
    from aligner.evaluate import score_beads
    from aligner.write import read_beads

    gold = write_gold(tmp_path / "statements.en-ru.jsonl")
    proc = _bench(tmp_path, "--gold-jsonl", str(gold), "--config", "length+anchors")
    assert proc.returncode == 0, proc.stderr
    row_line = [line for line in proc.stdout.splitlines() if "gold:statements" in line]
    assert len(row_line) == 1 and "length+anchors" in row_line[0]
    assert "F1 by gold bead type" in proc.stdout
    rows = json.loads((tmp_path / "bench-out" / "results.json").read_text())
    assert [r["dataset"] for r in rows] == ["gold:statements"]
    # The figure is the scorer's on the beads the run wrote; every number pins each bead here, so all are right.
    out = tmp_path / "bench-out"
    test = read_beads(str(out / "runs" / "gold:statements.length+anchors" / "all.beads"))
    expected = read_beads(str(out / "gold" / "statements" / "all.gold"))
    assert rows[0]["f1_strict"] == score_beads([expected], [test])["f1_strict"]
    assert test == expected
    assert rows[0]["f1_strict"] == 1.0


def test_run_refuses_a_badly_named_file_in_one_line(tmp_path):
    gold = write_gold(tmp_path / "statements.jsonl")
    proc = _bench(tmp_path, "--gold-jsonl", str(gold), "--config", "length+anchors")
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines() == [
        f"error: {gold}: name a gold JSONL file NAME.XX-YY.jsonl, XX the language of its \"sources\" and YY of its "
        "\"targets\" (e.g. book.en-ru.jsonl)"]
    assert not (tmp_path / "bench-out" / "results.json").exists()
