"""The whole job for one pair, as plain functions: read → split → align → fill → flag.

Files are read here and nowhere deeper; writing is the caller's (see aligner.write).
"""
from __future__ import annotations

import logging
import os
from dataclasses import replace
from typing import Optional

from aligner.fill import fill_gaps
from aligner.model import AlignOptions, Alignment, Document  # AlignOptions: re-exported, it used to live here
from aligner.resources import Resources, default_resources

__all__ = ["AlignOptions", "read_pair", "align_documents", "align_files", "pair_name", "looks_unrelated"]


log = logging.getLogger("aligner")


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
                    mt_lines: Optional[list[str]] = None, resources: Optional[Resources] = None) -> Alignment:
    """Align two split documents, fill the gaps, flag the beads and sign the result.

    ``resources``: the models to use (see aligner.resources); None: the process's own, made from the environment.
    """
    from aligner.align import align_sentences, build_signals
    from aligner.quality.flags import flag_alignment
    from aligner.signature import embedder_of, signature_of

    from aligner.read.limits import within_budget

    if resources is None:
        resources = default_resources()
    options = within_budget(src, tgt, options)   # a huge pair: no signal that would run for hours
    signals = build_signals(src, tgt, options, mt_lines=mt_lines, resources=resources)
    beads = align_sentences(src.sentences or [], tgt.sentences or [], signals, max_bead=options.max_bead)
    alignment = Alignment(src=src, tgt=tgt, beads=beads, name=name, signals=tuple(s.name for s in signals))
    if looks_unrelated(alignment):
        if options.strict:
            from aligner.errors import MismatchError
            raise MismatchError(src.path, f"low alignment confidence against {tgt.path} across the document: the "
                                          "two do not look like a translation of each other (--strict)")
        log.warning("%s and %s: low alignment confidence across the document; are they a translation of each "
                    "other?", src.path, tgt.path)
    translator = _gap_translator(options, resources)
    if translator is not None:
        alignment = fill_gaps(alignment, translator)
    if options.flags:
        alignment = flag_alignment(alignment)
    model = resources.mt_id(options.src_lang, options.tgt_lang)
    used_mt = []
    if "mt" in alignment.signals:
        used_mt.append("file" if mt_lines is not None else model)
    if translator is not None:
        used_mt.append(model)
    signature = signature_of(alignment, options, embedder=embedder_of(alignment.signals, resources),
                             mt=[m for m in used_mt if m], filled=translator is not None)
    return replace(alignment, signature=signature)


def _gap_translator(options: AlignOptions, resources: Resources):
    """The translator gap filling uses (the MT signal's own), or None when filling is off or there is no model."""
    if options.fill is False or options.mt == "none":
        return None
    return resources.translator(threads=options.mt_threads, cache=options.mt_cache, required=bool(options.fill),
                                src_lang=options.src_lang, tgt_lang=options.tgt_lang)


def align_files(src_path: str, tgt_path: str, options: AlignOptions = AlignOptions(),
                resources: Optional[Resources] = None) -> Alignment:
    src, tgt = read_pair(src_path, tgt_path, options)
    mt_lines = None
    if options.mt not in ("auto", "none"):
        from aligner.align.signals.mt import read_mt_file
        mt_lines = read_mt_file(options.mt, src)
    return align_documents(src, tgt, options, name=pair_name(src_path, tgt_path, src, tgt), mt_lines=mt_lines,
                           resources=resources)
