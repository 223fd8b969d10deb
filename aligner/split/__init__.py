"""Sentence splitting for Russian and English with the MFA conventions the libraries lack (docs/splitting.md).

razdel (Russian) and pysbd (English) do the heavy lifting; ``ru`` and ``en`` add what each lacks, and ``rules`` the
post-pass both share: list numbers stay with their item, a dialogue label or list lead-in ending in ":" stays with
what follows, a quotation that spans a full stop stays in one sentence. Rules only move sentence boundaries, never
edit text, so the sentences of a paragraph joined are the paragraph (up to spaces).
"""
from __future__ import annotations

import dataclasses
import functools
import re

from aligner.model import Document, Sentence, language_code
from aligner.split import rules

__all__ = ["split_text", "split_document"]

_SPACES = re.compile(r"\s+")
# Languages split by aligner.split.other's rules rather than a library (why: that module's docstring).
RULE_LANGS = frozenset({"ar", "de", "es", "fr", "zh"})


def split_text(text: str, lang: str) -> list[str]:
    """One paragraph in, its sentences out (stripped, non-empty, in order, nothing lost)."""
    text = _SPACES.sub(" ", text).strip()
    if not text:
        return []
    code = language_code(lang)
    if code == "ru":
        from aligner.split.ru import cuts_ru
        cuts = cuts_ru(text)
    elif code == "en":
        from aligner.split.en import cuts_en
        cuts = cuts_en(text)
    elif code in RULE_LANGS:
        from aligner.split.other import cuts_other
        cuts = cuts_other(text, code)
    else:
        cuts = _generic_cuts(text, code)
    return rules.pieces(text, rules.post_pass(text, cuts))


def split_document(doc: Document, lang: str) -> Document:
    """A copy of ``doc`` with ``sentences`` filled from its paragraphs and ``lang`` set.

    A document already split (the ``lines`` reader's) is returned unchanged: its line breaks are the user's.
    Either way a sentence too long to align or write is cut, and a document too long is refused
    (aligner.read.limits).
    """
    from aligner.read.limits import cut_long_sentences

    if doc.sentences is not None:
        return cut_long_sentences(doc)
    sentences: list[Sentence] = []
    for p, paragraph in enumerate(doc.paragraphs):
        for text in split_text(paragraph, lang):
            sentences.append(Sentence(text, len(sentences), p))
    return cut_long_sentences(dataclasses.replace(doc, sentences=sentences, lang=language_code(lang)))


# --- any other language: pysbd where it knows the language, else a capital after a full stop ----------------------

# A full stop, question or exclamation mark, then a capitalised word (checked in code: re has no \p{Lu}).
_FALLBACK_END = re.compile(r"(?<=[.!?…])[\"'”’»)]*\s+[\"'“‘«„(]?(?=[^\W\d_][^\W\d_])")


@functools.lru_cache(maxsize=8)
def _pysbd(code: str):
    import pysbd
    try:
        return pysbd.Segmenter(language=code, clean=False, char_span=False)
    except ValueError:       # a language pysbd does not know
        return None


def _generic_cuts(text: str, code: str) -> list[int]:
    segmenter = _pysbd(code) if code else None
    if segmenter is not None:
        return rules.cuts_from_starts(text, rules.cuts_from_strings(text, segmenter.segment(text)))
    return [m.start() + len(m.group().rstrip("\"'“‘«„(")) for m in _FALLBACK_END.finditer(text)
            if text[m.end()].isupper()]
