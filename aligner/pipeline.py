"""The whole job for one pair, as plain functions: read → split → align → fill → flag.

Files are read here and nowhere deeper; writing is the caller's (see aligner.write).
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Optional

from aligner.model import Alignment, Document

log = logging.getLogger("aligner")


@dataclass(frozen=True)
class AlignOptions:
    input_format: str = "auto"          # auto | text | html | lines
    src_lang: str = "ru-RU"             # language tags written to TMX
    tgt_lang: str = "en-GB"
    signals: Optional[tuple[str, ...]] = None   # None: every signal available (length, anchors, embeddings, mt)
    max_bead: int = 2                   # most sentences on one side of a bead
    mt: str = "auto"                    # auto | none | path to a line-parallel English MT of the Russian input
    fill: Optional[bool] = None         # gap filling; None: on when a ru→en model is installed
    mt_threads: Optional[int] = None
    mt_cache: bool = True
    flags: bool = True                  # QA flags on every bead
    strict: bool = False                # an unrelated-looking pair is an error (exit 5), not a warning


def read_pair(src_path: str, tgt_path: str, options: AlignOptions) -> tuple[Document, Document]:
    from aligner.read import read_document
    from aligner.split import split_document

    src_lang, tgt_lang = options.src_lang[:2].lower(), options.tgt_lang[:2].lower()
    src = read_document(src_path, options.input_format, lang=src_lang)
    tgt = read_document(tgt_path, options.input_format, lang=tgt_lang)
    check_languages(src, tgt, src_lang, tgt_lang)
    return split_document(src, src_lang), split_document(tgt, tgt_lang)


def check_languages(src: Document, tgt: Document, src_lang: str, tgt_lang: str) -> None:
    """Refuse a pair whose sides are not in the languages asked for: swapped files and a French file given as
    English are common slips (aligner.read.language names the language of each side)."""
    from aligner.errors import MismatchError
    from aligner.read.language import NAMES, detect_language, language_name

    seen_src = detect_language(_sample(src), expected=src_lang) if src_lang in NAMES else None
    seen_tgt = detect_language(_sample(tgt), expected=tgt_lang) if tgt_lang in NAMES else None
    if src_lang != tgt_lang and seen_src == tgt_lang and seen_tgt == src_lang:
        raise MismatchError(src.path, f"looks {language_name(seen_src)} and {tgt.path} looks "
                                      f"{language_name(seen_tgt)}: the files seem swapped (give the "
                                      f"{language_name(src_lang)} file first)")
    for doc, seen, want in ((src, seen_src, src_lang), (tgt, seen_tgt, tgt_lang)):
        if seen is not None and seen != want:
            raise MismatchError(doc.path, f"expected {language_name(want)} text but it looks {language_name(seen)}")


def _sample(doc: Document, size: int = 20_000) -> str:
    """Enough text to tell the script, from the start, middle and end of a document of any length."""
    text = " ".join(doc.paragraphs)
    if len(text) <= 3 * size:
        return text
    middle = len(text) // 2
    return " ".join((text[:size], text[middle:middle + size], text[-size:]))
UNRELATED_CONFIDENCE = 0.2


def looks_unrelated(alignment: Alignment) -> bool:
    """Most beads unmatched or barely matched: probably not a translation of each other."""
    beads = alignment.beads
    if len(beads) < 4:
        return False
    paired = [b.score for b in beads if b.src and b.tgt]
    mean = sum(paired) / len(beads) if beads else 0.0
    return mean < UNRELATED_CONFIDENCE


def pair_name(src_path: str, tgt_path: str, src: Document, tgt: Document) -> str:
    """x-document: the MFA number when the page has one, else the shared file stem."""
    if src.number or tgt.number:
        return src.number or tgt.number  # type: ignore[return-value]
    stem = os.path.basename(src_path)
    for suffix in (".html", ".htm", ".txt", ".ru", ".rus", ".src"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return stem or os.path.basename(src_path)


def align_documents(src: Document, tgt: Document, options: AlignOptions, name: str = "",
                    mt_lines: Optional[list[str]] = None) -> Alignment:
    from aligner.align import align_sentences, build_signals

    signals = build_signals(src, tgt, options, mt_lines=mt_lines)
    beads = align_sentences(src.sentences or [], tgt.sentences or [], signals, max_bead=options.max_bead)
    alignment = Alignment(src=src, tgt=tgt, beads=beads, name=name, signals=tuple(s.name for s in signals))
    if looks_unrelated(alignment):
        if options.strict:
            from aligner.errors import MismatchError
            raise MismatchError(src.path, f"low alignment confidence against {tgt.path} across the document: the "
                                          "two do not look like a translation of each other (--strict)")
        log.warning("%s and %s: low alignment confidence across the document; are they a translation of each "
                    "other?", src.path, tgt.path)
    alignment = _fill(alignment, options)
    if options.flags:
        try:
            from aligner.quality.flags import flag_alignment
        except ImportError:  # quality layer not installed in this build
            pass
        else:
            alignment = flag_alignment(alignment)
    return alignment


def _fill(alignment: Alignment, options: AlignOptions) -> Alignment:
    if options.fill is False or options.mt == "none":
        return alignment
    try:
        from aligner.fill import fill_gaps
        from aligner.mt import load_translator
    except ImportError:
        return alignment
    translator = load_translator(threads=options.mt_threads, cache=options.mt_cache,
                                 required=bool(options.fill), src_lang=options.src_lang, tgt_lang=options.tgt_lang)
    if translator is None:
        return alignment
    return fill_gaps(alignment, translator)


def align_files(src_path: str, tgt_path: str, options: AlignOptions = AlignOptions()) -> Alignment:
    src, tgt = read_pair(src_path, tgt_path, options)
    mt_lines = None
    if options.mt not in ("auto", "none"):
        from aligner.align.signals.mt import read_mt_file
        mt_lines = read_mt_file(options.mt, src)
    return align_documents(src, tgt, options, name=pair_name(src_path, tgt_path, src, tgt), mt_lines=mt_lines)
