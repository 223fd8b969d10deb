"""The multilingual tracks of the benchmark, built from ../shared/data with fixed seeds.

Alignment track (``un-XX-YY``): the UN dev set has the same 4,000 lines in Arabic, Chinese, English, French,
Russian and Spanish; its ``.ids`` give each line's document symbol and paragraph/sentence position. Lines are
regrouped by document, in English order, into documents of 60–150 lines as the ru-en track does
(benchmarks.build.un_docs), then perturbed the same way (benchmarks.build.perturb, seeded "SEED:PAIR:NAME"): merges,
drops, a dropped target paragraph now and then. Each document is NAME.XX / NAME.YY in `lines` format and NAME.gold.

Splitting track: for each language, each UN document's lines of one paragraph (in that language's own
positions) are joined with a space into running text, split by ``aligner.split.split_text`` and scored as
sentence-boundary precision, recall and F1 against the original lines (a line ending in ";" or ":" is a lead-in,
not a sentence end). A line that does not end like a sentence
(a heading such as "Sixty-ninth session", a list item cut short) ends its paragraph: in running text it would be a
paragraph of its own, and no splitter can see a boundary that has no punctuation. German comes from Text+Berg
(test0–6 and dev ``*.de``), whose lines are tokenised ("Tagesanbruch ."): the spaces the tokeniser put before
punctuation are removed first, then consecutive lines are joined the same way. Boundaries are counted on the text
without spaces, so joining and the splitter's stripping cannot move them; the end of a paragraph is not counted.
Quotation marks (« » " “ ” „ ‹ › ‚ ‘ ’ ' and < >, which Text+Berg's scans have for « ») are left out of the count
too, in the gold and in the splitter's output alike: Text+Berg's lines sometimes start with the closing » of the
sentence before ("… älter als der Himalaya ." then "» Das Arun-Tal …"), where a correct split ends the sentence
after the », so a boundary is the same whichever side of a quotation mark it falls on. Two boundaries with only
quotation marks between them would fall on one offset, so boundaries are counted as a multiset: a sentence that is
nothing but quotation marks still counts as a boundary of its own (a false one in the splitter's output), and no
boundary is merged into another (no gold line is only quotation marks).
"""
from __future__ import annotations

import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from benchmarks.build import SHARED, Doc, _beads, _lines, check_gold, check_readback, perturb
from benchmarks.build import un_docs as _build_un_docs

LANGS = ("ar", "en", "es", "fr", "ru", "zh")
PAIRS = (("ru", "fr"), ("ru", "es"), ("ru", "zh"), ("ru", "ar"), ("en", "fr"))
TAGS = {"ar": "ar", "de": "de-DE", "en": "en-GB", "es": "es-ES", "fr": "fr-FR", "ru": "ru-RU", "zh": "zh-CN"}
UN_DOCS = 20
SEED = 20231215
SPLIT_LANGS = ("ar", "de", "en", "es", "fr", "ru", "zh")

# A line that ends like a sentence: terminal punctuation, then closing quotes or brackets.
_ENDS = re.compile(r"[.!?…。！？؟;:](?:[\s\"'”’»)\]）」』>]*)$")


def _un_lines() -> tuple[dict[str, list[str]], list[tuple[str, dict[str, tuple[int, int]]]]]:
    base = SHARED / "un-devset"
    text = {lang: (base / f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines() for lang in LANGS}
    ids = []
    for line in (base / "UNv1.0.devset.ids").read_text(encoding="utf-8").splitlines():
        fields = line.split()
        pos = {}
        for f in fields[1:]:
            lang, par, sent = f.split(":")
            pos[lang] = (int(par), int(sent))
        ids.append((fields[0], pos))
    return text, ids


# --- alignment track --------------------------------------------------------------------------------------------

def un_docs(src: str, tgt: str, limit: int = UN_DOCS) -> list[Doc]:
    """benchmarks.build.un_docs for any two of the six languages."""
    return _build_un_docs(limit, src, tgt)


def dataset_name(src: str, tgt: str) -> str:
    return f"un-{src}-{tgt}"


def build_pair(out: Path, src: str, tgt: str, seed: int = SEED) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    totals = {"documents": 0, "src_sentences": 0}
    for doc in un_docs(src, tgt):
        built = perturb(doc, random.Random(f"{seed}:{src}-{tgt}:{doc.name}"))
        n_src, n_tgt = sum(map(len, built.ru)), sum(map(len, built.en))
        check_gold(built.gold, n_src, n_tgt)
        (out / f"{doc.name}.{src}").write_text(_lines(built.ru), encoding="utf-8")
        (out / f"{doc.name}.{tgt}").write_text(_lines(built.en), encoding="utf-8")
        (out / f"{doc.name}.gold").write_text(_beads(built.gold), encoding="utf-8")
        check_readback(out / f"{doc.name}.{src}", n_src)
        check_readback(out / f"{doc.name}.{tgt}", n_tgt)
        totals["documents"] += 1
        totals["src_sentences"] += n_src
    return totals


def register(datasets: dict, dataset_type) -> None:
    """Add the multilingual alignment datasets to benchmarks.run.DATASETS."""
    for src, tgt in PAIRS:
        name = dataset_name(src, tgt)
        datasets[name] = dataset_type(name, src, tgt, TAGS[src], TAGS[tgt])


def build(out: Path) -> None:
    for src, tgt in PAIRS:
        print(f"{dataset_name(src, tgt)}:", build_pair(out / dataset_name(src, tgt), src, tgt), file=sys.stderr)


# --- splitting track --------------------------------------------------------------------------------------------

def un_paragraphs(lang: str) -> list[list[str]]:
    """Each UN document's lines of one paragraph, in order, cut after every line that does not end a sentence."""
    text, ids = _un_lines()
    groups: defaultdict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for k, (symbol, pos) in enumerate(ids):
        par, sent = pos[lang]
        groups[(symbol, par)].append((sent, k))
    paragraphs = []
    for key in sorted(groups):
        lines = [text[lang][k].strip() for _, k in sorted(groups[key])]
        paragraphs.extend(_cut_at_headings([line for line in lines if line]))
    return paragraphs


_TOKENISED_SPACE = re.compile(r" +(?=[.,;:!?)»\]])|(?<=[(«\[]) +")


def textberg_paragraphs() -> list[list[str]]:
    base = SHARED / "textberg-defr"
    paragraphs = []
    for path in sorted(base.glob("*.de")):
        lines = [_TOKENISED_SPACE.sub("", line.strip()) for line in path.read_text(encoding="utf-8").splitlines()]
        paragraphs.extend(_cut_at_headings([line for line in lines if line]))
    return paragraphs


def _cut_at_headings(lines: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for line in lines:
        out[-1].append(line)
        if not _ENDS.search(line):
            out.append([])
    return [p for p in out if p]


_LEAD_IN = re.compile(r"[;:；：،][\s\"'”’»)\]]*$")
# Not counted in boundary offsets: spaces, and quotation marks (see the module docstring).
_UNCOUNTED = re.compile(r"[\s«»\"“”„‹›‚‘’'<>]")


def _ends(sentences: list[str], gold: bool = False) -> Counter[int]:
    """Boundary offsets in the text without spaces and quotation marks, as a multiset (two sentence ends with only
    quotation marks between them are two boundaries at one offset), the paragraph's own end left out. In the gold,
    a line that ends in ";" or ":" is not a sentence end: Text+Berg's lines (and some UN ones) cut there, the
    splitter keeps a lead-in with what follows by design (aligner/split/rules.py)."""
    ends: Counter[int] = Counter()
    n = 0
    for k, s in enumerate(sentences):
        n += len(_UNCOUNTED.sub("", s))
        if k < len(sentences) - 1 and not (gold and _LEAD_IN.search(s)):
            ends[n] += 1
    return ends


def _counts(gold: Counter[int], test: Counter[int]) -> tuple[int, int, int]:
    """True positives, false positives, false negatives of one paragraph."""
    return sum((gold & test).values()), sum((test - gold).values()), sum((gold - test).values())


def score_split(lang: str, paragraphs: list[list[str]], errors: int = 0) -> dict:
    from aligner.split import split_text

    tp = fp = fn = 0
    shown = []
    start = time.perf_counter()
    joiner = "" if lang == "zh" else " "
    for lines in paragraphs:
        gold = _ends(lines, gold=True)
        test = _ends(split_text(joiner.join(lines), lang))
        counts = _counts(gold, test)
        tp, fp, fn = tp + counts[0], fp + counts[1], fn + counts[2]
        if errors and gold != test and len(shown) < errors:
            shown.append(lines)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    row = {"lang": lang, "paragraphs": len(paragraphs), "boundaries": tp + fn, "precision": round(p, 4),
           "recall": round(r, 4), "f1": round(f, 4), "seconds": round(time.perf_counter() - start, 1)}
    if errors:
        row["errors"] = shown
    return row


def split_track(langs=SPLIT_LANGS, errors: int = 0) -> list[dict]:
    rows = []
    print(f"{'split':<6} {'lang':<4} {'paras':>6} {'bounds':>6}  {'P':>6} {'R':>6} {'F1':>6}  {'seconds':>7}")
    for lang in langs:
        paragraphs = textberg_paragraphs() if lang == "de" else un_paragraphs(lang)
        row = score_split(lang, paragraphs, errors)
        rows.append(row)
        print(f"{'split':<6} {lang:<4} {row['paragraphs']:>6} {row['boundaries']:>6}  {row['precision']:>6.3f}"
              f" {row['recall']:>6.3f} {row['f1']:>6.3f}  {row['seconds']:>7.1f}", flush=True)
        for lines in row.get("errors", []):
            from aligner.split import split_text
            print("  gold:", json.dumps(lines, ensure_ascii=False))
            print("  test:", json.dumps(split_text(("" if lang == "zh" else " ").join(lines), lang),
                                        ensure_ascii=False))
    return rows


if __name__ == "__main__":
    split_track(sys.argv[1:] or SPLIT_LANGS, errors=int(__import__("os").environ.get("ERRORS", "0")))
