"""Batch throughput and memory: documents per second and peak memory per worker.

    python -m benchmarks.bench_batch                      # the figures of docs/batch.md
    python -m benchmarks.bench_batch --un 50 --synthetic 1000,3000

Corpora are built in a temporary folder from ../shared/data:
- real: every WMT22 ru-en document (Russian originals with their English translation, paragraphs kept) and UN
  dev-set documents rebuilt in order from UNv1.0.devset.ids (those with 3+ sentences);
- synthetic: N small pairs (3–5 UN sentences each), for N growing: the memory of the driver and of the workers
  must stay flat as the corpus grows (nothing may be held per document).

Each run is a separate ``python -m aligner batch`` process, so its peak memory is its own; worker figures come from
the workers themselves (``ru_maxrss``). Times include start-up, pairing, model loading and the merge.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
WMT = SHARED / "data" / "wmt22-ruen" / "wmttest2022.ru-en.all.xml"
UN = SHARED / "data" / "un-devset" / "UNv1.0.devset"


def _write_pair(folder: Path, name: str, ru: list[list[str]], en: list[list[str]]) -> None:
    """Paragraphs of sentences → NAME.ru.txt / NAME.en.txt: sentences joined in a paragraph, blank line between."""
    folder.mkdir(parents=True, exist_ok=True)
    for lang, paragraphs in (("ru", ru), ("en", en)):
        text = "\n\n".join(" ".join(p) for p in paragraphs if p) + "\n"
        (folder / f"{name}.{lang}.txt").write_text(text, encoding="utf-8")


def build_wmt(dest: Path, limit: int | None = None) -> int:
    root = ET.parse(WMT).getroot()
    count = 0
    for doc in root.iter("doc"):
        if limit is not None and count >= limit:
            break
        src, ref = doc.find("src"), doc.find("ref")
        if src is None or ref is None:
            continue
        ru = [[seg.text or "" for seg in p.iter("seg")] for p in src.iter("p")]
        en = [[seg.text or "" for seg in p.iter("seg")] for p in ref.iter("p")]
        _write_pair(dest / "wmt22", doc.get("id", f"doc{count}"), ru, en)
        count += 1
    return count


def un_documents() -> dict[str, list[tuple[int, int, str, str]]]:
    """symbol → [(paragraph, sentence, ru, en)] in Russian document order."""
    ids = (UN.parent / (UN.name + ".ids")).read_text(encoding="utf-8").splitlines()
    ru = (UN.parent / (UN.name + ".ru")).read_text(encoding="utf-8").splitlines()
    en = (UN.parent / (UN.name + ".en")).read_text(encoding="utf-8").splitlines()
    docs: dict[str, list] = defaultdict(list)
    for line, r, e in zip(ids, ru, en):
        symbol, *positions = line.split()
        where = dict(p.split(":", 1) for p in positions)
        paragraph, sentence = (int(x) for x in where["ru"].split(":"))
        docs[symbol].append((paragraph, sentence, r, e))
    return {k: sorted(v) for k, v in sorted(docs.items())}


def build_un(dest: Path, limit: int) -> int:
    count = 0
    for symbol, rows in un_documents().items():
        if count >= limit:
            break
        if len(rows) < 3:
            continue
        paragraphs: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for paragraph, _, r, e in rows:
            paragraphs[paragraph].append((r, e))
        ordered = [paragraphs[p] for p in sorted(paragraphs)]
        _write_pair(dest / "un", symbol.replace("/", "_"), [[r for r, _ in p] for p in ordered],
                    [[e for _, e in p] for p in ordered])
        count += 1
    return count


def build_synthetic(dest: Path, n: int, seed: int = 13) -> int:
    rows = [(r, e) for doc in un_documents().values() for _, _, r, e in doc if 20 < len(r) < 300]
    rng = random.Random(seed)
    for i in range(n):
        sample = rng.sample(rows, rng.randint(3, 5))
        _write_pair(dest / f"g{i // 1000:02d}", f"s{i:05d}", [[r for r, _ in sample]], [[e for _, e in sample]])
    return n


def run(corpus: Path, out: Path, jobs: int, extra: list[str]) -> dict:
    """One ``aligner batch`` in a child process; its own report (see _child) as a dict."""
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    command = [sys.executable, "-m", "benchmarks.bench_batch", "--child", str(corpus), str(out), str(jobs), *extra]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"batch failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _child(corpus: str, out: str, jobs: int, extra: list[str]) -> None:
    from aligner.batch import find_pairs, run_batch
    from aligner.batch.job import peak_rss_kib
    from aligner.pipeline import AlignOptions

    fast = "--fast" in extra
    options = AlignOptions(signals=("length", "anchors"), mt="none", fill=False) if fast else AlignOptions()
    started = time.monotonic()
    pairs, unpaired = find_pairs(corpus)
    result = run_batch(pairs, unpaired, out, options, jobs=jobs, progress=False)
    seconds = time.monotonic() - started
    workers = {pid: kib for pid, kib in result.worker_peak_kib.items() if pid != os.getpid()}
    print(json.dumps({
        "pairs": result.selected, "failed": len(result.failed), "seconds": round(seconds, 2),
        "docs_per_second": round(result.selected / seconds, 2),
        "driver_peak_mib": round(peak_rss_kib() / 1024, 1),
        # With --jobs 1 the pairs run in the driver: it is the worker.
        "worker_peak_mib": round((max(workers.values()) if workers else peak_rss_kib()) / 1024, 1),
        "units": (result.summary or {}).get("totals", {}).get("units"),
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wmt", type=int, default=None, help="WMT22 documents (default: all 227)")
    parser.add_argument("--un", type=int, default=150, help="UN dev-set documents (default: 150)")
    parser.add_argument("--synthetic", default="1000,10000", help="sizes of the synthetic corpora (comma list)")
    parser.add_argument("--jobs", default="1,2", help="worker counts for the real corpus (comma list)")
    parser.add_argument("--synthetic-jobs", type=int, default=2)
    parser.add_argument("--fast", action="store_true",
                        help="length and anchor signals only, no MT (the synthetic runs always use this)")
    parser.add_argument("--child", nargs=3, metavar=("CORPUS", "OUT", "JOBS"), help=argparse.SUPPRESS)
    args, extra = parser.parse_known_args()
    if args.child:
        corpus, out, jobs = args.child
        _child(corpus, out, int(jobs), extra + (["--fast"] if args.fast else []))
        return

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        real = Path(tmp) / "real"
        n_wmt, n_un = build_wmt(real, args.wmt), build_un(real, args.un)
        print(f"real corpus: {n_wmt} WMT22 + {n_un} UN documents")
        print(f"{'corpus':<18}{'jobs':>5}{'pairs':>7}{'failed':>7}{'seconds':>9}{'docs/s':>8}{'driver MiB':>12}"
              f"{'worker MiB':>12}")
        fast = ["--fast"] if args.fast else []
        for jobs in (int(j) for j in args.jobs.split(",")):
            r = run(real, Path(tmp) / f"out-real-{jobs}", jobs, fast)
            print(_row("WMT22+UN" + (" fast" if fast else ""), jobs, r), flush=True)
        for size in (int(s) for s in args.synthetic.split(",") if s):
            corpus = Path(tmp) / f"synthetic-{size}"
            build_synthetic(corpus, size)
            r = run(corpus, Path(tmp) / f"out-synthetic-{size}", args.synthetic_jobs, ["--fast"])
            print(_row(f"synthetic {size}", args.synthetic_jobs, r), flush=True)


def _row(label: str, jobs: int, r: dict) -> str:
    worker = f"{r['worker_peak_mib']:.0f}"
    return (f"{label:<18}{jobs:>5}{r['pairs']:>7}{r['failed']:>7}{r['seconds']:>9.1f}{r['docs_per_second']:>8.2f}"
            f"{r['driver_peak_mib']:>12.0f}{worker:>12}")


if __name__ == "__main__":
    main()
