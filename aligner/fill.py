"""Gap filling: every source sentence the official translation left out gets a machine translation into the
target language (Russian into English unless the alignment names another pair; a pivot through English counts).

A bead with source sentences and no target (``[4]:[]``) keeps its empty target and gains ``mt`` and
``mt_engine``; writers mark such units as MT (TMX: ``<prop type="x-origin">MT</prop>``, the engine and a note).
Beads with a human target are never touched. All gaps of a document go to the translator in one call, so they
are translated in batches and served from the translation cache on a re-run.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from aligner.model import Alignment


class _Translator(Protocol):
    engine: str

    def translate(self, texts: list[str]) -> list[str]: ...


def fill_gaps(alignment: Alignment, translator: _Translator) -> Alignment:
    gaps = [i for i, bead in enumerate(alignment.beads) if bead.src and not bead.tgt]
    if not gaps:
        return alignment
    translations = translator.translate([alignment.src_text(alignment.beads[i]) for i in gaps])
    beads = list(alignment.beads)
    for i, text in zip(gaps, translations):
        # An empty translation (e.g. a source of only punctuation) is no target at all: leave the gap visible.
        if text.strip():
            beads[i] = beads[i].with_(mt=text, mt_engine=translator.engine)
    return replace(alignment, beads=beads)


def warn_if_no_model(options) -> None:
    """Gap filling is on by default only when a model for the pair is installed: without one, say so once
    (WARNING), from the command that was asked to align — not per signal or per pair, not only with -v."""
    import logging

    if options.fill is not None or options.mt == "none":
        return   # --fill (a missing model is then an error) or --no-fill / --mt none: the user chose
    from aligner.mt import find_route
    from aligner.mt.packages import packages_dir

    src, tgt = options.src_lang[:2].lower(), options.tgt_lang[:2].lower()
    directory = packages_dir()
    if find_route(src, tgt, directory) is None:
        logging.getLogger("aligner").warning(
            "%s: no %s→%s model installed, so gap filling is off: untranslated sentences get no machine "
            "translation. Install one with `aligner models install FILE.argosmodel` (docs/mt.md), or pass "
            "--no-fill.", directory, src, tgt)
