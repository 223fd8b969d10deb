"""Rebuild corpora/ from ../shared: the pairs `make align` aligns. Run: python -m benchmarks.make_corpora"""
from __future__ import annotations

import shutil

from benchmarks.build import ROOT, SHARED, un_docs

CORPORA = ROOT / "corpora"


def udhr() -> None:
    folder = CORPORA / "udhr"
    folder.mkdir(parents=True, exist_ok=True)
    for lang, name in (("ru", "udhr_rus.tsv"), ("en", "udhr_eng.tsv")):
        rows = (SHARED / "udhr-ru-en" / name).read_text(encoding="utf-8").splitlines()
        # one paragraph per numbered segment, as the source has them ("Now, therefore," stays on its own)
        text = "\n\n".join(row.split("\t", 1)[1].strip() for row in rows if "\t" in row) + "\n"
        (folder / f"udhr.{lang}.txt").write_text(text, encoding="utf-8")


def un(count: int = 5) -> None:
    folder = CORPORA / "un"
    folder.mkdir(parents=True, exist_ok=True)
    for doc in un_docs(count):
        for lang, paragraphs in (("ru", doc.src), ("en", doc.tgt)):
            text = "\n\n".join(" ".join(p) for p in paragraphs) + "\n"
            (folder / f"{doc.name}.{lang}.txt").write_text(text, encoding="utf-8")


def seed() -> None:
    folder = CORPORA / "seed"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SHARED.parent / "seeds" / "000_536ce80840e49457.txt", folder / "2545-15-12-2023.en.txt")


if __name__ == "__main__":
    udhr()
    un()
    seed()
