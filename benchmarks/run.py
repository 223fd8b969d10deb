"""Run the alignment benchmark: every signal configuration on every dataset, each in its own process so that
seconds and peak memory are its own. Prints strict/lax F1, null-bead accuracy, seconds and peak RSS."""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.build import ROOT, build_dev, build_textberg

OUT = ROOT / "bench-out"
CONFIGS = {
    "length+anchors": "length,anchors",
    "+embeddings": "length,anchors,embeddings",
    "+embeddings+mt": "length,anchors,embeddings,mt",
}
LANGS = {"dev": ("ru-RU", "en-GB"), "dev-wmt": ("ru-RU", "en-GB"), "textberg": ("de", "fr")}


def documents(dataset: str, quick: bool = False) -> tuple[Path, list[str]]:
    folder = OUT / ("dev" if dataset.startswith("dev") else dataset)
    names = sorted(p.name[:-5] for p in folder.glob("*.gold"))
    if dataset == "dev-wmt":
        names = [n for n in names if (folder / f"{n}.mt").exists()]
    if quick:
        names = names[:: max(1, len(names) // 12)][:12]
    return folder, names


def worker(dataset: str, signals: str, out: str, quick: bool) -> None:
    """Align every document of a dataset in this process (the library path the CLI uses) and report."""
    from aligner.pipeline import AlignOptions, align_files
    from aligner.write import WriteOptions, render

    folder, names = documents(dataset, quick)
    src_lang, tgt_lang = LANGS[dataset]
    os.makedirs(out, exist_ok=True)
    start = time.perf_counter()
    for name in names:
        mt = str(folder / f"{name}.mt") if "mt" in signals.split(",") else "none"
        options = AlignOptions(input_format="lines", src_lang=src_lang, tgt_lang=tgt_lang,
                               signals=tuple(signals.split(",")), mt=mt, fill=False, flags=False)
        alignment = align_files(str(folder / f"{name}.ru"), str(folder / f"{name}.en"), options)
        Path(out, f"{name}.beads").write_bytes(render(alignment, "beads", WriteOptions(src_lang, tgt_lang)))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 1), "peak_mb": round(peak)}))


def run(datasets: list[str], configs: list[str], quick: bool) -> list[dict]:
    from aligner.evaluate import score_beads
    from aligner.write import read_beads

    if not (OUT / "dev").exists() or not (OUT / "textberg").exists():
        build()
    rows = []
    for config in configs:
        signals = CONFIGS[config]
        for dataset in datasets:
            if "mt" in signals and dataset == "dev":
                dataset = "dev-wmt"        # UN documents have no machine translation
            folder, names = documents(dataset, quick)
            out = OUT / "runs" / f"{dataset}.{config}"
            # Configurations share embeddings through a cache file: the first one to need a text pays for it.
            env = dict(os.environ, ALIGNER_EMBEDDINGS_CACHE=os.environ.get("ALIGNER_EMBEDDINGS_CACHE",
                                                                         str(OUT / "e5.sqlite")))
            proc = subprocess.run([sys.executable, "-m", "benchmarks", "worker", dataset, signals, str(out)]
                                  + (["--quick"] if quick else []),
                                  capture_output=True, text=True, cwd=ROOT, env=env)
            if proc.returncode != 0:
                raise SystemExit(f"{config} on {dataset} failed:\n{proc.stderr[-3000:]}")
            figures = json.loads(proc.stdout.strip().splitlines()[-1])
            gold = [read_beads(str(folder / f"{n}.gold")) for n in names]
            test = [read_beads(str(out / f"{n}.beads")) for n in names]
            score = score_beads(gold, test)
            row = {"config": config, "dataset": dataset, "documents": len(names), **figures,
                   **{k: score[k] for k in ("precision_strict", "recall_strict", "f1_strict", "f1_lax",
                                            "null_accuracy")}}
            rows.append(row)
            print(_format(row), flush=True)
    return rows


def _format(row: dict) -> str:
    null = "  n/a" if row["null_accuracy"] is None else f"{row['null_accuracy']:.3f}"
    return (f"{row['config']:<16} {row['dataset']:<9} docs {row['documents']:>3}  strict P {row['precision_strict']:.3f}"
            f" R {row['recall_strict']:.3f} F1 {row['f1_strict']:.3f}  lax F1 {row['f1_lax']:.3f}  null {null}"
            f"  {row['seconds']:>6.1f} s  peak {row['peak_mb']:>5} MB")


def build() -> None:
    print("dev:", build_dev(OUT / "dev"), file=sys.stderr)
    print("textberg:", build_textberg(OUT / "textberg"), file=sys.stderr)


def speed(sizes: list[int]) -> None:
    """Long pairs in `lines` input with length+anchors through the CLI: time and peak memory should grow linearly."""
    from benchmarks.build import SHARED

    ru = (SHARED / "un-devset" / "UNv1.0.devset.ru").read_text(encoding="utf-8").splitlines()
    en = (SHARED / "un-devset" / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()
    folder = OUT / "speed"
    folder.mkdir(parents=True, exist_ok=True)
    for n in sizes:
        src = [ru[i % len(ru)] for i in range(n)]
        # every 40th English sentence missing, a paragraph break every 12 sentences
        tgt = [en[i % len(en)] for i in range(n) if i % 40 != 17]
        par = lambda lines: "".join(l + ("\n\n" if k % 12 == 11 else "\n") for k, l in enumerate(lines))  # noqa
        (folder / f"{n}.ru").write_text(par(src), encoding="utf-8")
        (folder / f"{n}.en").write_text(par(tgt), encoding="utf-8")
        cmd = [sys.executable, "-m", "aligner", "-q", "align", str(folder / f"{n}.ru"), str(folder / f"{n}.en"),
               "-o", str(folder / f"{n}.beads"), "--input-format", "lines", "--signals", "length,anchors",
               "--mt", "none"]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if status != 0:
            raise SystemExit(f"{n}: aligner exited with {status}")
        print(f"speed  {n:>6} + {len(tgt):>6} sentences  {seconds:6.1f} s  peak {usage.ru_maxrss / 1024:6.0f} MB",
              flush=True)


def embeddings_pair() -> None:
    """A 100+100-sentence pair with the default signals (embeddings included), end to end through the CLI."""
    folder, names = documents("dev")
    pick = next(n for n in names if n.startswith("un-") and 95 <= _count(folder / f"{n}.ru") <= 140)
    cmd = [sys.executable, "-m", "aligner", "-q", "align", str(folder / f"{pick}.ru"), str(folder / f"{pick}.en"),
           "-o", str(OUT / "speed" / "emb.tmx"), "--input-format", "lines", "--mt", "none"]
    (OUT / "speed").mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "ALIGNER_EMBEDDINGS_CACHE"}     # cold: embed everything
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    print(f"embeddings  {pick}: {_count(folder / f'{pick}.ru')} + {_count(folder / f'{pick}.en')} sentences, "
          f"default signals, end to end {time.perf_counter() - start:.1f} s, peak {usage.ru_maxrss / 1024:.0f} MB"
          + ("" if status == 0 else f" (exit {status})"), flush=True)


def _count(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
