"""What one document may hold, so that time and memory stay bounded whatever the input's shape (docs/errors.md).

A statement is a few hundred sentences of a few hundred characters. Hostile or careless input is not: one 5 MB
line, a million one-word lines. Each is cut or refused here, at the edge, with a message, rather than left to run
for hours inside the alignment:

- a sentence longer than MAX_SENTENCE_CHARS is cut at word boundaries into pieces of at most that length (a TMX
  segment must stay readable by lxml and translate-toolkit, and an embedder's cost grows with its text);
- a document with more than MAX_SENTENCES sentences (or paragraphs, checked before splitting) is refused;
- a side longer than EMBED_MAX_CHARS is aligned without the costly signals (embeddings, the MT model) and
  without automatic gap filling, with a warning; asking for them explicitly is then an error.
"""
from __future__ import annotations

import dataclasses
import logging
import re

from aligner.errors import InputError
from aligner.model import Document, Sentence

log = logging.getLogger("aligner")

MAX_SENTENCE_CHARS = 5_000     # ten times the longest sentence of the dev benchmark; far below lxml's 10 MB node
MAX_SENTENCES = 200_000        # per side: aligned in about 90 s and well under 4 GB on 2 cores
EMBED_MAX_CHARS = 1_500_000    # per side: a whole novel (the 513,000-character English half of the benchmark book aligns with
#                                embeddings in minutes); beyond this embedding would take a quarter of an hour or more
COSTLY_SIGNALS = ("embeddings", "mt")

_SPACE = re.compile(r"\s")


def cut_text(text: str, limit: int = MAX_SENTENCE_CHARS) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at the last space before the limit (or at the
    limit itself inside a word longer than a fifth of it). The pieces joined by single spaces give ``text``
    back when it had single spaces."""
    pieces = []
    start, end = 0, len(text)
    while end - start > limit:   # indices, not slices: a 50 MB line must not be copied once per piece
        cut = text.rfind(" ", start, start + limit + 1)
        if cut < start + limit * 4 // 5:
            cut = start + limit
        pieces.append(text[start:cut].rstrip())
        start = cut
        while start < end and text[start] == " ":
            start += 1
    if start < end:
        pieces.append(text[start:])
    return [piece for piece in pieces if piece]


def cut_long_sentences(doc: Document, limit: int = MAX_SENTENCE_CHARS) -> Document:
    """``doc`` with every sentence longer than ``limit`` characters cut into pieces (a warning says how many),
    then refused when it has more than MAX_SENTENCES sentences. The document itself when nothing changes."""
    sentences = doc.sentences
    if sentences is None:
        return doc
    check_count(doc.path, len(sentences), "sentences")
    if all(len(s.text) <= limit for s in sentences):
        return doc
    out: list[Sentence] = []
    long = 0
    for sentence in sentences:
        pieces = cut_text(sentence.text, limit) if len(sentence.text) > limit else [sentence.text]
        long += len(pieces) > 1
        out += [Sentence(text, len(out), sentence.paragraph) for text in pieces]
    log.warning("%s: %d sentence%s longer than %s characters cut at word boundaries into %s pieces",
                doc.path, long, "" if long == 1 else "s", f"{limit:,}", f"{len(out) - len(sentences) + long:,}")
    check_count(doc.path, len(out), "sentences (once long sentences are cut)")
    return dataclasses.replace(doc, sentences=out)


def check_count(path: str, count: int, what: str) -> None:
    if count > MAX_SENTENCES:
        raise InputError(path, f"{count:,} {what}: more than aligner aligns as one document (the limit is "
                               f"{MAX_SENTENCES:,}); split it into smaller files")


def within_budget(src: Document, tgt: Document, options):
    """``options`` for aligning ``src`` with ``tgt``: unchanged for a statement-sized pair; without the costly
    signals and automatic gap filling when a side is longer than EMBED_MAX_CHARS (a warning says so). Asking
    for a costly signal by name on such a pair is an InputError: it would run for hours."""
    sizes = {doc.path: sum(len(s.text) for s in doc.sentences or []) for doc in (src, tgt)}
    path, size = max(sizes.items(), key=lambda item: item[1])
    if size <= EMBED_MAX_CHARS:
        return options
    reason = f"{size:,} characters, more than the costly signals handle in reasonable time (the limit is " \
             f"{EMBED_MAX_CHARS:,} a side)"
    wanted = options.signals
    if wanted is not None:
        costly = [name for name in wanted if name in COSTLY_SIGNALS and not (name == "mt" and _mt_file(options))]
        if costly:
            raise InputError(path, f"{reason}: --signals {','.join(wanted)} asks for {', '.join(costly)}; use "
                                   "--signals length,anchors or split the file")
        return options
    if options.fill:
        raise InputError(path, f"{reason}: --fill would machine-translate it; use --no-fill or split the file")
    signals = ("length", "anchors") + (("mt",) if _mt_file(options) else ())
    log.warning("%s: %s; aligning with %s only, without gap filling", path, reason, ", ".join(signals))
    return dataclasses.replace(options, signals=signals, fill=False)


def _mt_file(options) -> bool:
    """An --mt FILE gives the MT signal its translations: no model runs, so it costs no more than anchors."""
    return options.mt not in ("auto", "none")
