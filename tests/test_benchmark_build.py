"""The benchmark builder (benchmarks/build.py) and runner: gold that covers every sentence once, in order; event
counts that match the seed; a deterministic build; Text+Berg MT lines mapped onto the right documents."""
from __future__ import annotations

import collections
import random
from pathlib import Path

import pytest

from aligner.model import parse_bead
from benchmarks import build
from benchmarks.build import Doc, build_dev, build_textberg, perturb

from datapaths import SHARED as _SHARED, needs_shared

SHARED = _SHARED / "data"   # the builder reads the benchmark data: tests that need it are marked needs_shared


class Scripted(random.Random):
    """A generator that returns the draws a test chose, in order."""

    def __init__(self, draws: list[float]):
        super().__init__(0)
        self.draws = list(draws)

    def random(self) -> float:
        return self.draws.pop(0)


def test_perturb_by_hand():
    doc = Doc("hand",
              src=[["a0", "a1", "a2"], ["b0", "b1"], ["c0", "c1"], ["d0", "d1", "d2"]],
              tgt=[["A0", "A1", "A2"], ["B0", "B1"], ["C0", "C1"], ["D0", "D1", "D2"]],
              mt=[["m-a0", "m-a1", "m-a2"], ["m-b0", "m-b1"], ["m-c0", "m-c1"], ["m-d0", "m-d1", "m-d2"]])
    # Four paragraph draws first: only paragraph 1 falls under PARAGRAPH_DROP (0.04), so its English goes.
    # Then one draw per unit (RATE 0.05: merge-en < .05 ≤ merge-ru < .10 ≤ drop-en < .15 ≤ drop-ru < .20):
    #   a0 .01 → a0+a1 against "A0 A1"          gold [0, 1]:[0]
    #   a2 .07 → a merge, but a2 ends its paragraph: kept 1-1   [2]:[1]
    #   b0 .99, b1 .50 → paragraph 1 dropped    [3]:[]  [4]:[]
    #   c0 .07 → "c0 c1" against C0, C1         [5]:[2, 3]
    #   d0 .12 → English dropped                [6]:[]
    #   d1 .17 → Russian dropped                []:[4]
    #   d2 .50 → kept                           [7]:[5]
    rng = Scripted([0.5, 0.01, 0.5, 0.5, 0.01, 0.07, 0.99, 0.5, 0.07, 0.12, 0.17, 0.5])
    built = perturb(doc, rng)
    assert rng.draws == []
    assert built.gold == [([0, 1], [0]), ([2], [1]), ([3], []), ([4], []), ([5], [2, 3]), ([6], []), ([], [4]),
                          ([7], [5])]
    assert built.ru == [["a0", "a1", "a2"], ["b0", "b1"], ["c0 c1"], ["d0", "d2"]]
    assert built.en == [["A0 A1", "A2"], ["C0", "C1"], ["D1", "D2"]]
    assert built.mt == ["m-a0", "m-a1", "m-a2", "m-b0", "m-b1", "m-c0 m-c1", "m-d0", "m-d2"]
    assert built.events == {"merge_en": 1, "merge_ru": 1, "drop_en": 1, "drop_ru": 1, "drop_paragraph": 1,
                            "paragraph_sentences": 2}


def test_written_files_by_hand(tmp_path):
    doc = Doc("w", src=[["r0", "r1"], ["r2"]], tgt=[["e0", "e1"], ["e2"]], mt=[["t0", "t1"], ["t2"]])
    # No paragraph draws (fewer than 3 paragraphs). r0 .50 kept [0]:[0]; r1 .17 Russian dropped, its English e1
    # stays: []:[1]; r2 .50 kept [1]:[2]. The Russian paragraph 0 keeps r0 only; MT follows the Russian lines.
    built = perturb(doc, Scripted([0.5, 0.17, 0.5]))
    build.write_doc(tmp_path, "w", built)
    assert (tmp_path / "w.ru").read_text() == "r0\n\nr2\n"
    assert (tmp_path / "w.en").read_text() == "e0\ne1\n\ne2\n"
    assert (tmp_path / "w.gold").read_text() == "[0]:[0]\n[]:[1]\n[1]:[2]\n"
    assert (tmp_path / "w.mt").read_text() == "t0\nt2\n"


def test_check_gold_refuses_gaps_and_disorder():
    build.check_gold([([0], [0]), ([1], [1])], 2, 2)
    with pytest.raises(ValueError):
        build.check_gold([([0], [0])], 2, 1)              # sentence 1 not covered
    with pytest.raises(ValueError):
        build.check_gold([([1], [0]), ([0], [1])], 2, 2)  # out of order
    with pytest.raises(ValueError):
        build.check_gold([([0], [0]), ([], [])], 1, 1)    # an empty bead


def _read_folder(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _sentences(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


@needs_shared
def test_dev_build_gold_events_and_determinism(tmp_path):
    totals = build_dev(tmp_path / "a")
    assert totals["documents"] == 227 + build.UN_DOCS
    kinds: collections.Counter = collections.Counter()
    for gold_path in sorted((tmp_path / "a").glob("*.gold")):
        name = gold_path.name[:-5]
        gold = [parse_bead(line) for line in gold_path.read_text().splitlines()]
        n_ru, n_en = _sentences(tmp_path / "a" / f"{name}.ru"), _sentences(tmp_path / "a" / f"{name}.en")
        # every sentence exactly once, in order, on both sides
        assert [i for s, _ in gold for i in s] == list(range(n_ru)), name
        assert [j for _, t in gold for j in t] == list(range(n_en)), name
        if name.startswith("wmt-"):
            assert _sentences(tmp_path / "a" / f"{name}.mt") == n_ru, name
        else:
            assert not (tmp_path / "a" / f"{name}.mt").exists()
        kinds.update(f"{len(s)}-{len(t)}" for s, t in gold)
    # the event counts the seed produced are the beads the gold holds
    assert kinds["2-1"] == totals["merge_en"] and kinds["1-2"] == totals["merge_ru"]
    assert kinds["0-1"] == totals["drop_ru"]
    assert kinds["1-0"] == totals["drop_en"] + totals["paragraph_sentences"]
    assert set(kinds) == {"1-1", "2-1", "1-2", "1-0", "0-1"}
    # about RATE per sentence for each single-sentence event (3,273 source pairs: a wide band, not a tuned value)
    units = kinds["1-1"] + 2 * kinds["2-1"] + 2 * kinds["1-2"] + kinds["1-0"] + kinds["0-1"]
    for event in ("drop_en", "drop_ru"):
        assert 0.03 < totals[event] / units < 0.07, (event, totals[event], units)
    assert totals["drop_paragraph"] > 0 and totals["paragraph_sentences"] >= totals["drop_paragraph"]

    # the same seed builds the same bytes; another seed builds other documents
    assert build_dev(tmp_path / "b") == totals
    assert _read_folder(tmp_path / "a") == _read_folder(tmp_path / "b")
    other = build_dev(tmp_path / "c", seed=7)
    assert other != totals
    assert _read_folder(tmp_path / "a") != _read_folder(tmp_path / "c")


@needs_shared
def test_un_documents_are_rebuilt_from_the_dev_set():
    ru = (SHARED / "un-devset" / "UNv1.0.devset.ru").read_text(encoding="utf-8").splitlines()
    en = (SHARED / "un-devset" / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()
    rows = set(zip((s.strip() for s in ru), (s.strip() for s in en)))
    docs = build.un_docs()
    assert len(docs) == build.UN_DOCS
    seen = set()
    for doc in docs:
        pairs = [(s, t) for ps, pt in zip(doc.src, doc.tgt) for s, t in zip(ps, pt)]
        assert build.UN_MIN <= len(pairs) <= build.UN_MAX
        assert all(p in rows for p in pairs)      # real dev-set rows, Russian still beside its English
        assert not seen & set(pairs)              # no sentence in two documents
        seen |= set(pairs)
        assert len(doc.src) > 1 and all(doc.src) and [len(p) for p in doc.src] == [len(p) for p in doc.tgt]


@needs_shared
def test_un_sentences_follow_their_document_positions():
    # the first UN document starts with the first symbol of the .ids file, at its lowest English position
    ids = (SHARED / "un-devset" / "UNv1.0.devset.ids").read_text(encoding="utf-8").splitlines()
    en = (SHARED / "un-devset" / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()
    symbol = ids[0].split()[0]
    rows = []
    for k, line in enumerate(ids):
        fields = line.split()
        if fields[0] == symbol:
            pos = dict(f.split(":", 1) for f in fields[1:])["en"]
            rows.append((tuple(int(x) for x in pos.split(":")), k))
    first = min(rows)[1]
    assert build.un_docs(1)[0].tgt[0][0] == en[first].strip()


@needs_shared
def test_textberg_build_maps_eval1989_onto_test_documents(tmp_path):
    build_textberg(tmp_path)
    base = SHARED / "textberg-defr"
    google = (base / "bleualign_eval" / "eval1989.google.fr").read_text(encoding="utf-8").splitlines()
    eoa = [k for k, line in enumerate((base / "bleualign_eval" / "eval1989.de").read_text().splitlines())
           if line.strip() == ".EOA"]
    assert len(eoa) == 6
    start = 0
    for k in range(7):
        de = (base / f"test{k}.de").read_text(encoding="utf-8").splitlines()
        mt = (tmp_path / f"test{k}.mt").read_text(encoding="utf-8").splitlines()
        assert len(mt) == len(de) == _sentences(tmp_path / f"test{k}.de")
        # article k of eval1989 starts after k .EOA lines
        assert mt[0] == google[start].strip() and mt[-1] == google[start + len(de) - 1].strip()
        start += len(de) + 1
        published = {parse_bead(line) for line in (base / f"test{k}.defr").read_text().splitlines() if line.strip()}
        ours = [parse_bead(line) for line in (tmp_path / f"test{k}.gold").read_text().splitlines()]
        assert set(ours) == published and len(ours) == len(published)
    assert start == len(google) + 1


@needs_shared
def test_cli_and_library_paths_agree(tmp_path, monkeypatch):
    from aligner.evaluate import score_beads
    from aligner.write import read_beads
    from benchmarks import run as bench

    monkeypatch.setattr(bench, "OUT", tmp_path)
    build_textberg(tmp_path / "textberg")
    for extra in ("test0", "test1", "test2", "test3", "test5", "test6"):   # keep the smallest document only
        for suffix in (".gold", ".de", ".fr", ".mt"):
            (tmp_path / "textberg" / f"{extra}{suffix}").unlink()
    folder, names = bench.documents("textberg")
    assert names == ["test4"]
    library = bench.worker("textberg", "length,anchors", str(tmp_path / "lib"), quick=False)
    cli = bench.worker("textberg", "length,anchors", str(tmp_path / "cli"), quick=False, cli=True)
    assert library["peak_mb"] > 0 and cli["peak_mb"] > 0
    test = read_beads(str(tmp_path / "cli" / "test4.beads"))
    assert test == read_beads(str(tmp_path / "lib" / "test4.beads"))
    # a real alignment: most of the 36 German sentences land where the gold puts them
    score = score_beads([read_beads(str(folder / "test4.gold"))], [test])
    assert score["f1_lax"] > 0.7


@needs_shared
def test_speed_pairs_keep_the_gold_in_step(tmp_path, monkeypatch):
    from aligner.read.lines import read_lines
    from benchmarks import run as bench

    monkeypatch.setattr(bench, "OUT", tmp_path)
    build_dev(tmp_path / "dev")
    src, tgt, gold = bench.long_pair(300, tmp_path / "speed")
    _, ru = read_lines(src.read_text(encoding="utf-8"))
    _, en = read_lines(tgt.read_text(encoding="utf-8"))
    assert len(ru) >= 300
    assert [i for s, _ in gold for i in s] == list(range(len(ru)))
    assert [j for _, t in gold for j in t] == list(range(len(en)))
    # the concatenation keeps each document's own beads, shifted: the first document's gold comes first unchanged
    first = sorted(p.name[:-5] for p in (tmp_path / "dev").glob("*.gold"))[0]
    own = [parse_bead(line) for line in (tmp_path / "dev" / f"{first}.gold").read_text().splitlines()]
    assert gold[:len(own)] == own
    assert ru[0].text == (tmp_path / "dev" / f"{first}.ru").read_text(encoding="utf-8").splitlines()[0]
