"""`aligner evaluate-mt`: how good is the installed ru→en model on this document's own official translation?

The Russian of every human-translated unit of an aligned TMX is machine-translated with the same model gap
filling uses, and scored against the official English. MT-filled units are left out: their English is the
model's own output, not a reference.
"""
from __future__ import annotations

from dataclasses import dataclass

from aligner.errors import InputError
from aligner.quality.scoring import ScoreOptions, score_corpus
from aligner.quality.tmx import TmxPair


@dataclass
class MtEvaluation:
    sources: list[str]
    references: list[str]
    translations: list[str]
    scores: list[dict]          # sacrebleu's JSON shape, one dict per metric
    engine: str = ""


def evaluate_mt(pairs: list[TmxPair], translator, options: ScoreOptions = ScoreOptions(),
                tmx_path: str = "") -> MtEvaluation:
    """Translate the Russian of ``pairs`` (from aligner.quality.tmx.read_tmx_pairs) with ``translator`` and
    score it against their English."""
    pairs = [p for p in pairs if not p.mt and p.src and p.tgt]
    if not pairs:
        raise InputError(tmx_path, "no human-translated units to evaluate against")
    sources = [p.src for p in pairs]
    references = [p.tgt for p in pairs]
    translations = list(translator.translate(sources))
    if len(translations) != len(sources):   # a translator bug, but never score misaligned lines
        raise RuntimeError(f"translator returned {len(translations)} lines for {len(sources)}")
    return MtEvaluation(sources, references, translations, score_corpus(translations, references, options),
                        engine=str(getattr(translator, "engine", "") or getattr(translator, "name", "") or ""))
