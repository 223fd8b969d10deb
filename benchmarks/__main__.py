"""python -m benchmarks build | run [--quick] [--config NAME] [--signals LIST] [--dataset NAME] [--gold-jsonl FILE] [--cli] | speed | fit
| disagreements TRACK [--config NAME] [--sample N] [--seed S]"""
from __future__ import annotations

import argparse
import sys

from benchmarks import run as bench


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="build bench-out/dev and bench-out/textberg from ../shared/data")
    r = sub.add_parser("run", help="align every dataset with every signal configuration and print figures")
    r.add_argument("--quick", action="store_true", help="a dozen documents per dataset, no speed runs (smoke test)")
    r.add_argument("--config", action="append", choices=list(bench.CONFIGS), help="repeatable; default: all")
    r.add_argument("--signals", action="append", metavar="LIST",
                   help="a signal list as `aligner align --signals` takes it, e.g. length,anchors,mt; repeatable")
    r.add_argument("--dataset", action="append", choices=[d for d in bench.DATASETS if d != "dev-wmt"],
                   help="repeatable; default: all (dev, textberg and the multilingual un-XX-YY)")
    r.add_argument("--cli", action="store_true",
                   help="run each document through `python -m aligner align` instead of the library in one process")
    r.add_argument("--no-speed", action="store_true", help="skip the long-document speed runs")
    r.add_argument("--gold-jsonl", action="append", metavar="FILE", default=[],
                   help="a human-aligned translation of your own, NAME.XX-YY.jsonl in the book's layout (one gold "
                        "bead per line); repeatable. Alone, only these tracks run (no ../shared needed)")
    s = sub.add_parser("speed", help="5k/10k/20k/40k-sentence pairs with length+anchors, and a 100-sentence "
                                     "pair with embeddings")
    s.add_argument("--sizes", default="5000,10000,20000,40000")
    w = sub.add_parser("worker", help="internal: align one dataset with one signal list")
    w.add_argument("dataset")
    w.add_argument("signals")
    w.add_argument("out")
    w.add_argument("--quick", action="store_true")
    w.add_argument("--cli", action="store_true")
    w.add_argument("--gold-jsonl", action="append", default=[])
    d = sub.add_parser("disagreements", help="where the last run and the gold of a track disagree, a seeded sample "
                                             "with the sentences, for judging the gold by hand")
    d.add_argument("dataset", metavar="TRACK", help="a track of `run --dataset` (e.g. karenina), or gold:NAME")
    d.add_argument("--config", default="+embeddings", choices=list(bench.CONFIGS), help="whose run (default: %(default)s)")
    d.add_argument("--sample", type=int, default=30, help="places shown, drawn at random (0: all; default: %(default)s)")
    d.add_argument("--seed", type=int, default=7)
    d.add_argument("--width", type=int, default=0, help="cut sentences to this many characters (0: whole)")
    d.add_argument("--gold-jsonl", action="append", metavar="FILE", default=[],
                   help="the gold file given to `run --gold-jsonl`, for a gold:NAME track")
    ref = sub.add_parser("reference", help="Bertalign's published scoring over our e5 vectors, on a track: what the "
                         "method alone scores with this encoder (benchmarks/reference.py)")
    ref.add_argument("--dataset", action="append", choices=list(bench.DATASETS), required=True)
    ref.add_argument("--max-align", type=int, default=5, help="Bertalign's max_align (default: %(default)s)")
    sub.add_parser("fit", help="re-fit a weight profile on the tuning tracks (python -m benchmarks fit --help)",
                   add_help=False)
    argv = sys.argv[1:]
    if argv[:1] == ["fit"]:
        from benchmarks.fit import main as fit_main
        fit_main(argv[1:])
        return
    args = parser.parse_args()
    try:
        gold = [bench.add_gold(path) for path in getattr(args, "gold_jsonl", [])]
    except ValueError as exc:
        raise SystemExit(f"error: {exc}") from None
    if args.command in ("worker", "disagreements") and args.dataset not in bench.DATASETS:
        raise SystemExit(f"error: unknown track {args.dataset!r}; choose from {', '.join(bench.DATASETS)}")
    if args.command == "disagreements":
        from benchmarks.disagreements import report
        sys.stdout.write(report(args.dataset, args.config, args.sample, args.seed, args.width))
    elif args.command == "reference":
        from benchmarks.reference import main as reference_main
        if args.max_align < 2:
            raise SystemExit(f"error: --max-align {args.max_align}: it must be at least 2 (1-1 beads)")
        reference_main(args.dataset, args.max_align)
    elif args.command == "build":
        bench.build()
    elif args.command == "worker":
        bench.worker(args.dataset, args.signals, args.out, args.quick, args.cli)
    elif args.command == "speed":
        bench.speed([int(x) for x in args.sizes.split(",")])
        bench.embeddings_pair()
        bench.embeddings_pair(signals="length,anchors,muse")
    else:
        configs = {name: bench.CONFIGS[name] for name in args.config or []}
        configs.update({signals: signals for signals in args.signals or []})
        shipped = [d for d in bench.DATASETS if d != "dev-wmt" and d not in gold]
        datasets = (args.dataset or ([] if gold else shipped)) + gold
        try:
            bench.run(datasets, configs or dict(bench.CONFIGS), args.quick, args.cli)
        except ValueError as exc:      # a gold file that is not what it says
            raise SystemExit(f"error: {exc}") from None
        if gold and not args.dataset:
            return                     # the user's own tracks only: nothing of ../shared is needed
        if not args.dataset:
            from benchmarks.multilingual import split_track
            split_track()
        if not args.no_speed and not args.quick:
            bench.speed([5000, 10000, 20000, 40000])
            bench.embeddings_pair()
            bench.embeddings_pair(signals="length,anchors,muse")


main()
