"""Re-fit a weight profile: coordinate search on a mix of the synthetic dev benchmark and the real tuning data.

    python -m benchmarks fit [--signals length,anchors,embeddings] [--rounds 2] [--max-bead 3]

The objective is the mean strict F1 over three tuning tracks, so that no one kind of text decides alone:
- dev (the synthetic ru-en benchmark, every fourth document: the rest stays held out),
- textberg-dev (Text+Berg's own dev part; test0–6 is reported, never tuned on),
- karenina-tune (the first 2,500 gold beads of the book; the report part is the second half).
Each step tries every setting a little up and a little down and keeps a change only when the objective rises by
more than noise (0.0005). Embeddings are cached (ALIGNER_EMBEDDINGS_CACHE, default bench-out/e5.sqlite), so after
the first pass a step costs only the search. It prints the fitted profile as Python for aligner/align/combine.py.
"""
from __future__ import annotations

import dataclasses
import os
import sys
import time

from benchmarks.build import ROOT
from benchmarks.run import DATASETS, OUT, build, documents

TRACKS = ("dev", "textberg-dev", "karenina-tune")
# (field, step): multiplicative steps for weights, additive for priors and thresholds
STEPS = {
    "length": ("signal", 0.5), "null": ("field", 0.1), "anchors": ("signal", 0.5), "merge": ("field", 0.05),
    "wide": ("field", 0.1), "link_weight": ("field", 0.5), "link_floor": ("field", 0.1),
    "pair_weight": ("field", 0.5), "pair_floor": ("field", 0.1), "evidence_chars": ("field", 20),
    "null_short": ("field", 0.5), "split_credit": ("field", 0.1), "muse": ("signal", 0.5),
}


def load_tracks(tracks=TRACKS):
    """(name, [(src sentences, tgt sentences, gold beads, languages)]) per track, read as `aligner` reads them."""
    from aligner.pipeline import AlignOptions, read_pair
    from aligner.write import read_beads

    out = []
    for track in tracks:
        spec = DATASETS[track]
        folder, names = documents(track)
        if track == "dev":
            names = names[::4]      # a quarter: every step stays under a minute
        docs = []
        for name in names:
            options = AlignOptions(input_format="lines", src_lang=spec.src_tag, tgt_lang=spec.tgt_tag)
            src, tgt = read_pair(str(folder / f"{name}.{spec.src}"), str(folder / f"{name}.{spec.tgt}"), options)
            docs.append((src, tgt, read_beads(str(folder / f"{name}.gold")), options))
        out.append((track, docs))
    return out


def evaluate(tracks, weights, signals: tuple[str, ...], max_bead: int) -> dict[str, float]:
    from dataclasses import replace

    from aligner.align import align_sentences, build_signals
    from aligner.evaluate import score_beads

    result = {}
    for track, docs in tracks:
        gold, test = [], []
        for src, tgt, beads, options in docs:
            options = replace(options, signals=signals, mt="none", fill=False)
            found = align_sentences(src.sentences, tgt.sentences, build_signals(src, tgt, options),
                                    max_bead=max_bead, weights=weights)
            gold.append(beads)
            test.append([(b.src, b.tgt) for b in found])
        result[track] = score_beads(gold, test)["f1_strict"]
    return result


DEV_FLOOR = 0.99     # the synthetic benchmark may not regress below this (issue 11)


def objective(scores: dict[str, float]) -> float:
    mean = sum(scores.values()) / len(scores)
    return mean - 5 * max(0.0, DEV_FLOOR - scores.get("dev", 1.0))


def nudge(weights, name: str, direction: int):
    kind, step = STEPS[name]
    if kind == "signal":
        if name not in weights.signals:
            return None
        signals = dict(weights.signals)
        signals[name] = round(signals[name] * (1 + step) ** direction, 4)
        return dataclasses.replace(weights, signals=signals)
    return dataclasses.replace(weights, **{name: round(getattr(weights, name) + direction * step, 4)})


def fit(signals: tuple[str, ...], rounds: int, max_bead: int) -> None:
    from aligner.align.combine import weights_for

    build()
    os.environ.setdefault("ALIGNER_EMBEDDINGS_CACHE", str(OUT / "e5.sqlite"))
    tracks = load_tracks()
    best = weights_for(list(signals))
    start = time.perf_counter()
    scores = evaluate(tracks, best, signals, max_bead)
    print(f"start  {objective(scores):.4f}  {_fmt(scores)}  ({time.perf_counter() - start:.0f} s)", flush=True)
    for r in range(rounds):
        improved = False
        for name in STEPS:
            for direction in (1, -1):
                trial = nudge(best, name, direction)
                if trial is None:
                    continue
                got = evaluate(tracks, trial, signals, max_bead)
                if objective(got) > objective(scores) + 0.0005:
                    best, scores, improved = trial, got, True
                    print(f"round {r + 1} {name} {'+' if direction > 0 else '-'}  {objective(scores):.4f}  "
                          f"{_fmt(scores)}", flush=True)
                    break
        if not improved:
            break
    print("fitted profile:", repr(best))


def _fmt(scores: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:.4f}" for k, v in scores.items())


def main(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks fit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--signals", default="length,anchors,embeddings")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--max-bead", type=int, default=None, help="default: the aligner's default")
    args = parser.parse_args(argv)
    from aligner.model import AlignOptions

    fit(tuple(args.signals.split(",")), args.rounds, args.max_bead or AlignOptions().max_bead)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main(sys.argv[1:])
