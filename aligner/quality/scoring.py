"""Corpus and segment scores through sacrebleu's metric classes, in sacrebleu's own JSON shape.

Defaults are sacrebleu's: BLEU with the 13a tokeniser, exponential smoothing, mixed case; chrF2 (character
6-grams, beta 2; ``chrf_word_order=2`` gives chrF++); TER without normalisation. These reproduce WMT22's official
ru-en BLEU and chrF exactly (tests/test_quality.py checks every system). Each result carries the signature
string that says how it was computed, so numbers from different runs can be compared honestly.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional, Sequence

from sacrebleu.metrics import BLEU, CHRF, TER

METRICS = ("bleu", "chrf", "ter")


@dataclass(frozen=True)
class ScoreOptions:
    metrics: tuple[str, ...] = ("bleu", "chrf")
    chrf_word_order: int = 0            # 0: chrF (sacrebleu default), 2: chrF++
    lowercase: bool = False
    sentence: bool = False              # add per-segment chrF and sentence BLEU
    width: int = 2                      # decimals, as sacrebleu's --width


def parse_metrics(value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(m.strip().lower() for m in value.split(",") if m.strip()))
    unknown = [m for m in names if m not in METRICS]
    if unknown or not names:
        raise ValueError(f"unknown metric {', '.join(unknown) or '(none)'}; choose from {', '.join(METRICS)}")
    return names


def make_metric(name: str, options: ScoreOptions, references: Optional[list[list[str]]] = None):
    """One sacrebleu metric object; given ``references`` it caches their statistics for many systems."""
    if name == "bleu":
        return BLEU(lowercase=options.lowercase, references=references)
    if name == "chrf":
        return CHRF(word_order=options.chrf_word_order, lowercase=options.lowercase, references=references)
    if name == "ter":
        return TER(case_sensitive=not options.lowercase, references=references)
    raise ValueError(f"unknown metric {name}")


def score_systems(hyps: dict[str, Sequence[str]], refs: Sequence[str],
                  options: ScoreOptions = ScoreOptions()) -> dict[str, list[dict]]:
    """Score each named hypothesis list against one reference list (all the same length).

    Returns, per system, one dict per metric in sacrebleu's JSON shape (``name``, ``score``, ``signature``,
    ``verbose_score`` and the signature's fields); with ``options.sentence``, BLEU and chrF also get
    ``segments`` (one score per line) and ``segment_signature``.
    """
    refs = list(refs)
    for system, hyp in hyps.items():
        if len(hyp) != len(refs):
            raise ValueError(f"{system}: {len(hyp)} lines but the reference has {len(refs)}")
    results: dict[str, list[dict]] = {system: [] for system in hyps}
    for name in options.metrics:
        metric = make_metric(name, options, references=[refs])   # reference n-grams counted once
        signature = metric.get_signature().format()
        for system, hyp in hyps.items():
            score = metric.corpus_score(list(hyp), None)
            entry = json.loads(score.format(width=options.width, signature=signature, is_json=True))
            if options.sentence and name in ("bleu", "chrf"):
                entry.update(sentence_scores(name, hyp, refs, options))
            results[system].append(entry)
    return results


def score_corpus(hyp: Sequence[str], refs: Sequence[str], options: ScoreOptions = ScoreOptions()) -> list[dict]:
    return score_systems({"hyp": hyp}, refs, options)["hyp"]


def sentence_scores(name: str, hyp: Sequence[str], refs: Sequence[str], options: ScoreOptions) -> dict:
    """Per-segment scores. Sentence BLEU uses effective order: a short segment with no 4-gram match is not 0."""
    if name == "bleu":
        metric = BLEU(lowercase=options.lowercase, effective_order=True)
    else:
        metric = make_metric(name, options)
    scores = [round(metric.sentence_score(h, [r]).score, options.width) for h, r in zip(hyp, refs)]
    return {"segments": scores, "segment_signature": metric.get_signature().format()}


def format_table(results: dict[str, list[dict]], width: int = 2) -> str:
    """A human table: one row per system and metric, with the signature."""
    rows = [("system", "metric", "score", "signature")]
    for system, entries in results.items():
        for entry in entries:
            rows.append((system, entry["name"], f"{entry['score']:.{width}f}", entry["signature"]))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}" for r in rows]
    return "\n".join(lines)


def format_segments(entries: list[dict], width: int = 2) -> str:
    """Per-segment table (segment number from 1, then one column per metric that has segment scores)."""
    with_segments = [e for e in entries if "segments" in e]
    if not with_segments:
        return ""
    header = "segment  " + "  ".join(f"{e['name']:>8}" for e in with_segments)
    lines = [header]
    for i in range(len(with_segments[0]["segments"])):
        lines.append(f"{i + 1:>7}  " + "  ".join(f"{e['segments'][i]:>8.{width}f}" for e in with_segments))
    return "\n".join(lines)
