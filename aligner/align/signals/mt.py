"""Machine translation of the source compared with the target (the Bleualign idea), by character n-grams.

Each translated source sentence and each target sentence becomes a hashed vector of character 1–4-gram counts
(sub-linear tf); the gain is their cosine against the document's random-pair baseline. Counts add up, so a
multi-sentence candidate is scored from its sentences' translations without translating it again.
"""
from __future__ import annotations

import re
import zlib
from typing import Callable, Optional

import numpy as np

from aligner.align.signals import VectorSignal, register
from aligner.errors import InputError
from aligner.model import Document, Sentence

DIM = 1 << 13
ORDERS = (2, 3, 4)
_SPACE = re.compile(r"\s+")


def ngram_vectors(texts: list[str]) -> np.ndarray:
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for row, text in enumerate(texts):
        t = " " + _SPACE.sub(" ", text.lower()).strip() + " "
        counts: dict[int, int] = {}
        for n in ORDERS:
            for k in range(len(t) - n + 1):
                h = zlib.crc32(t[k:k + n].encode()) % DIM
                counts[h] = counts.get(h, 0) + 1
        if counts:
            idx = np.fromiter(counts.keys(), dtype=np.int64)
            out[row, idx] = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32))
    return out


@register
class MTSignal(VectorSignal):
    name = "mt"
    order = 40
    weight = 3.0
    help = "a machine translation of the source (--mt)"
    cheap = True

    @classmethod
    def build(cls, context) -> Optional["MTSignal"]:
        if context.mt_lines is not None:
            return cls(translations=context.mt_lines)
        options = context.options
        if options.mt == "none":
            if context.asked:
                from aligner.errors import ModelError
                raise ModelError(None, "--signals asks for mt but --mt none turns it off")
            return None
        translator = context.resources.translator(threads=options.mt_threads, cache=options.mt_cache,
                                                  required=context.asked, src_lang=options.src_lang,
                                                  tgt_lang=options.tgt_lang)
        return None if translator is None else cls(translate=translator.translate)

    def __init__(self, translations: Optional[list[str]] = None,
                 translate: Optional[Callable[[list[str]], list[str]]] = None):
        """Either the translations of the source sentences, in order, or a function that makes them."""
        self.translations = translations
        self.translate = translate

    def coarse(self, src, tgt, src_blocks, tgt_blocks) -> "MTSignal":
        # A block's translation is the joined translations of its sentences: nothing is translated twice.
        fine = self.source_translations(src)
        self.translations = fine
        return MTSignal(translations=[" ".join(fine[i] for i in block) for block in src_blocks])

    def source_translations(self, src: list[Sentence]) -> list[str]:
        if self.translations is not None:
            if len(self.translations) != len(src):
                raise ValueError(f"{len(self.translations)} translations for {len(src)} source sentences")
            return self.translations
        assert self.translate is not None
        return self.translate([s.text for s in src])

    def vectors(self, src: list[Sentence], tgt: list[Sentence]) -> tuple[np.ndarray, np.ndarray]:
        self.translations = self.source_translations(src)
        return ngram_vectors(self.translations), ngram_vectors([s.text for s in tgt])


def read_mt_file(path: str, src: Document) -> list[str]:
    """A line-parallel English translation of the source: one line per source sentence (same line layout as a
    ``lines`` input: blank lines are paragraph breaks and are skipped)."""
    from aligner.fsutil import read_input   # regular files only, size-bounded, never blocks on a FIFO

    data = read_input(path, what="MT file")
    try:
        # universal newlines, as text-mode open() splits: not splitlines(), which also breaks at U+2028 and \x1c
        lines = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"MT file is not UTF-8 (byte {exc.start})") from None
    lines = [line.strip() for line in lines if line.strip()]
    n = len(src.sentences or [])
    if len(lines) != n:
        raise InputError(path, f"MT file has {len(lines)} lines but {src.path} has {n} sentences; "
                               "give one translation per source sentence")
    return lines
