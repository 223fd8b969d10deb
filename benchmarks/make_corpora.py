"""Rebuild corpora/ from ../shared: the pairs `make align` aligns. Run: python -m benchmarks.make_corpora

udhr/  the Universal Declaration of Human Rights, one paragraph per numbered segment of the source TSVs
un/    five UN documents rebuilt in order from the UN dev set (the first five of the benchmark's UN documents)
seed/  the project's seed text, copied byte for byte (its Russian original is not available here)
"""
from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks.build import ROOT, SHARED, un_docs

CORPORA = ROOT / "corpora"
SEED = "000_536ce80840e49457.txt"
SEED_NAME = "2545-15-12-2023"       # the MFA document number, which the batch job would pair a Russian file by


def udhr(root: Path = CORPORA) -> None:
    folder = root / "udhr"
    folder.mkdir(parents=True, exist_ok=True)
    for lang, name in (("ru", "udhr_rus.tsv"), ("en", "udhr_eng.tsv")):
        rows = (SHARED / "udhr-ru-en" / name).read_text(encoding="utf-8").splitlines()
        # One paragraph per numbered segment (ID like 00-01), as the source has them: the title, each preamble
        # clause, each article's heading and paragraphs. "Now, therefore," stays on its own: a real 0-1 bead.
        text = "\n\n".join(row.split("\t", 1)[1].strip() for row in rows if "\t" in row) + "\n"
        (folder / f"udhr.{lang}.txt").write_text(text, encoding="utf-8")


def un(root: Path = CORPORA, count: int = 5) -> None:
    folder = root / "un"
    folder.mkdir(parents=True, exist_ok=True)
    for doc in un_docs(count):
        for lang, paragraphs in (("ru", doc.src), ("en", doc.tgt)):
            text = "\n\n".join(" ".join(p) for p in paragraphs) + "\n"
            (folder / f"{doc.name}.{lang}.txt").write_text(text, encoding="utf-8")


def seed(root: Path = CORPORA) -> None:
    folder = root / "seed"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SHARED.parent / "seeds" / SEED, folder / f"{SEED_NAME}.en.txt")


def make(root: Path = CORPORA) -> None:
    udhr(root)
    un(root)
    seed(root)


if __name__ == "__main__":
    make()
