"""Sentence splitting for Russian and English with the MFA conventions the libraries lack.

razdel (Russian) and pysbd (English) do the heavy lifting; ``rules`` adds a post-pass: list numbers stay with their
item, a year abbreviation "г." that ends a sentence still ends it, and nothing is lost (the sentences joined are the
paragraph, up to spaces).
"""
from __future__ import annotations

import dataclasses
import functools
import re

from aligner.model import Document, Sentence
from aligner.split import rules

_SPACES = re.compile(r"\s+")


def split_text(text: str, lang: str) -> list[str]:
    """One paragraph in, its sentences out (stripped, non-empty, in order, nothing lost)."""
    text = _SPACES.sub(" ", text).strip()
    if not text:
        return []
    code = (lang or "").split("-")[0].lower()
    if code == "ru":
        from aligner.split.ru import split_ru
        pieces = split_ru(text)
    elif code == "en":
        from aligner.split.en import split_en
        pieces = split_en(text)
    else:
        pieces = _generic(text, code)
    return rules.post_pass([p.strip() for p in pieces if p.strip()], code)


def split_document(doc: Document, lang: str) -> Document:
    """Fill ``doc.sentences`` from its paragraphs; a document already split (``lines`` input) is left as it is."""
    if doc.sentences is not None:
        return doc if doc.lang else dataclasses.replace(doc, lang=lang.split("-")[0].lower())
    sentences: list[Sentence] = []
    for p, paragraph in enumerate(doc.paragraphs):
        for text in split_text(paragraph, lang):
            sentences.append(Sentence(text, len(sentences), p))
    return dataclasses.replace(doc, sentences=sentences, lang=lang.split("-")[0].lower())


@functools.lru_cache(maxsize=8)
def _pysbd(code: str):
    import pysbd
    return pysbd.Segmenter(language=code, clean=False)


def _generic(text: str, code: str) -> list[str]:
    try:
        return _pysbd(code).segment(text)
    except (ValueError, KeyError):  # a language pysbd does not know
        return re.split(r"(?<=[.!?…])\s+(?=[\"«„(]?[^\W\d_])", text)
