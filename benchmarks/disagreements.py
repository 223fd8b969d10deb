"""python -m benchmarks disagreements TRACK: the places where the last ``benchmarks run`` and the gold disagree, with
their sentences, for a person to judge which one is right.

A strict F1 takes the gold as the truth. On a gold made by hand but aligned by a tool and checked only in part, that
is not so: this prints a seeded random sample of the disagreements (``aligner.evaluate.disagreements``) so that the
share where the gold itself is wrong can be counted by hand and the figure read for what it is
(docs/benchmark.md, "How right is the book's gold?"). It only reads: the track as ``benchmarks run`` built it and the
beads that run wrote.
"""
from __future__ import annotations

import random
from pathlib import Path

from aligner.evaluate import disagreements
from aligner.model import format_indices
from aligner.read.lines import read_lines


def sample(found: list, size: int, seed: int) -> list:
    """``size`` of ``found`` drawn at random with ``seed``, in document order: the same sample on every machine."""
    if size <= 0 or size >= len(found):
        return list(found)
    picked = random.Random(seed).sample(range(len(found)), size)
    return [found[k] for k in sorted(picked)]


def format_region(number: int, name: str, gold: list, test: list, src: list[str], tgt: list[str],
                  width: int = 0) -> str:
    def beads(tag: str, group: list) -> list[str]:
        return [f"  {tag} {format_indices(s, t)}" for s, t in group]

    def text(line: str) -> str:
        return line if not width or len(line) <= width else line[:width - 1] + "…"

    rows = sorted({i for s, _ in gold + test for i in s})
    cols = sorted({j for _, t in gold + test for j in t})
    out = [f"#{number} {name}"] + beads("gold", gold) + beads("test", test)
    out += [f"    src {i}: {text(src[i])}" for i in rows]
    out += [f"    tgt {j}: {text(tgt[j])}" for j in cols]
    return "\n".join(out)


def report(dataset: str, config: str, size: int, seed: int, width: int) -> str:
    from benchmarks.run import DATASETS, OUT, documents
    from aligner.write import read_beads

    spec = DATASETS[dataset]
    folder, names = documents(dataset)
    run = OUT / "runs" / f"{dataset}.{config}"
    track = "--gold-jsonl FILE" if dataset.startswith("gold:") else f"--dataset {dataset}"
    first = f"run `python -m benchmarks run {track} --config {config}` first"
    if not names:
        raise SystemExit(f"error: {folder}: the track is not built; {first}")
    found = []
    for name in names:
        beads = run / f"{name}.beads"
        if not beads.exists():
            raise SystemExit(f"error: {beads}: no beads of that run; {first}")
        for gold, test in disagreements(read_beads(str(folder / f"{name}.gold")), read_beads(str(beads))):
            found.append((name, gold, test))
    picked = sample(found, size, seed)
    lines: dict[str, tuple[list[str], list[str]]] = {}
    places = f"{len(found)} place{'' if len(found) == 1 else 's'}"
    parts = [f"{dataset} ({config}): {places} where the run and the gold disagree; {len(picked)} shown (seed {seed})"]
    for number, (name, gold, test) in enumerate(picked, 1):
        if name not in lines:
            lines[name] = tuple(_lines(folder / f"{name}.{side}") for side in (spec.src, spec.tgt))
        parts.append(format_region(number, name, gold, test, *lines[name], width=width))
    return "\n\n".join(parts) + "\n"


def _lines(path: Path) -> list[str]:
    # the documents are `lines` input: their sentences as the aligner reads them, numbered as the beads count them
    return [sentence.text for sentence in read_lines(path.read_text(encoding="utf-8"))[1]]
