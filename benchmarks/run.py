"""Run the alignment benchmark: every signal configuration on every dataset, each in its own process so that
seconds and peak memory are its own. Prints strict/lax F1, null-bead accuracy, seconds and peak RSS.

Two paths align the documents: by default a worker process calls the library the way `aligner align` does
(``aligner.pipeline.align_files``), which saves the start-up of one process per document; with ``--cli`` every
document goes through the real command line, ``python -m aligner align ... --format beads``.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import multilingual
from benchmarks.build import (ROOT, build_dev, build_gold_jsonl, build_karenina, build_textberg, build_textberg_dev,
                              gold_jsonl_languages)

OUT = Path(os.environ.get("ALIGNER_BENCH_OUT", ROOT / "bench-out"))
CONFIGS = {
    "length+anchors": "length,anchors",
    "+embeddings": "length,anchors,embeddings",
    "+embeddings+mt": "length,anchors,embeddings,mt",
    "fast (muse)": "length,anchors,muse",     # the fast signal in place of e5 (docs/alignment.md, The fast signal)
}


@dataclass(frozen=True)
class Dataset:
    folder: str
    src: str                # file extension of the source side, and its language
    tgt: str
    src_tag: str            # what --src-lang / --tgt-lang get
    tgt_tag: str
    mt_only: bool = False   # only the documents that have NAME.mt
    names: tuple[str, ...] = ()     # only these documents of the folder (default: every NAME.gold)
    has_mt: bool = True     # the documents have NAME.mt (configurations with mt skip the dataset otherwise)


DATASETS = {
    "dev": Dataset("dev", "ru", "en", "ru-RU", "en-GB"),
    "dev-wmt": Dataset("dev", "ru", "en", "ru-RU", "en-GB", mt_only=True),   # UN documents have no MT
    "textberg": Dataset("textberg", "de", "fr", "de", "fr"),
    # real translations aligned by people (benchmarks/build.py says which part may be tuned on)
    "textberg-dev": Dataset("textberg-dev", "de", "fr", "de", "fr", has_mt=False),
    "karenina": Dataset("karenina", "ru", "en", "ru-RU", "en-GB", names=("report",), has_mt=False),
    "karenina-tune": Dataset("karenina", "ru", "en", "ru-RU", "en-GB", names=("tune",), has_mt=False),
    "karenina-val": Dataset("karenina", "ru", "en", "ru-RU", "en-GB", names=("val",), has_mt=False),
}
REAL = ("textberg", "textberg-dev", "karenina", "karenina-tune", "karenina-val")   # rows add F1 by bead type
multilingual.register(DATASETS, Dataset)     # un-ru-fr, un-ru-es, un-ru-zh, un-ru-ar, un-en-fr
GOLD: dict[str, Path] = {}      # --gold-jsonl tracks: their name and file


def add_gold(path: str) -> str:
    """Register a human-aligned JSONL file (NAME.XX-YY.jsonl, the book's layout) as the track ``gold:NAME``."""
    file = Path(path).resolve()
    stem, sources, targets = gold_jsonl_languages(file)
    name = f"gold:{stem}"
    if name in GOLD and GOLD[name] != file:
        raise ValueError(f"{path}: a second gold file named {stem!r}; rename one")
    GOLD[name] = file
    # its targets field is the aligner's source side, as for the book (build_gold_jsonl)
    DATASETS[name] = Dataset(f"gold/{stem}", targets, sources, targets, sources, names=("all",), has_mt=False)
    return name


def documents(dataset: str, quick: bool = False, out: Path | None = None) -> tuple[Path, list[str]]:
    spec = DATASETS[dataset]
    folder = (out or OUT) / spec.folder
    names = sorted(p.name[:-5] for p in folder.glob("*.gold"))
    if spec.names:
        names = [n for n in names if n in spec.names]
    if spec.mt_only:
        names = [n for n in names if (folder / f"{n}.mt").exists()]
    if quick:
        names = names[:: max(1, len(names) // 12)][:12]
    return folder, names


def align_command(dataset: str, folder: Path, name: str, signals: str, output: Path) -> list[str]:
    """The `aligner align` command line for one benchmark document."""
    spec = DATASETS[dataset]
    mt = str(folder / f"{name}.mt") if "mt" in signals.split(",") else "none"
    return [sys.executable, "-m", "aligner", "-q", "align", str(folder / f"{name}.{spec.src}"),
            str(folder / f"{name}.{spec.tgt}"), "-o", str(output), "--format", "beads", "--input-format", "lines",
            "--signals", signals, "--mt", mt, "--no-fill", "--src-lang", spec.src_tag, "--tgt-lang", spec.tgt_tag]


def worker(dataset: str, signals: str, out: str, quick: bool, cli: bool = False) -> dict:
    """Align every document of a dataset and report seconds and peak RSS (of this process, or with ``cli`` of the
    largest `aligner align` child)."""
    folder, names = documents(dataset, quick)
    os.makedirs(out, exist_ok=True)
    for stale in Path(out).glob("*.beads"):     # a folder `aligner evaluate` can score holds this run only
        stale.unlink()
    start = time.perf_counter()
    if cli:
        peak = 0.0
        for name in names:
            proc = subprocess.Popen(align_command(dataset, folder, name, signals, Path(out, f"{name}.beads")),
                                    cwd=ROOT)
            _, status, usage = os.wait4(proc.pid, 0)
            if status != 0:
                raise SystemExit(f"{name}: aligner align exited with status {os.waitstatus_to_exitcode(status)}")
            peak = max(peak, usage.ru_maxrss / 1024)
    else:
        from aligner.pipeline import AlignOptions, align_files
        from aligner.write import render

        spec = DATASETS[dataset]
        for name in names:
            mt = str(folder / f"{name}.mt") if "mt" in signals.split(",") else "none"
            options = AlignOptions(input_format="lines", src_lang=spec.src_tag, tgt_lang=spec.tgt_tag,
                                   signals=tuple(signals.split(",")), mt=mt, fill=False, flags=False)
            alignment = align_files(str(folder / f"{name}.{spec.src}"), str(folder / f"{name}.{spec.tgt}"), options)
            Path(out, f"{name}.beads").write_bytes(render(alignment, "beads"))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"seconds": round(time.perf_counter() - start, 1), "peak_mb": round(peak)}
    print(json.dumps(figures))
    return figures


def run(datasets: list[str], configs: dict[str, str], quick: bool, cli: bool = False) -> list[dict]:
    """Align, score and print one row per (configuration, dataset); the rows also go to bench-out/results.json."""
    from aligner.evaluate import f1_by_type, score_beads
    from aligner.write import read_beads

    if any(d not in GOLD for d in datasets):
        build()     # a third of a second, and the documents can never be older than the builder
    for name in datasets:
        if name in GOLD:
            print(f"{name}:", build_gold_jsonl(GOLD[name], OUT / DATASETS[name].folder), file=sys.stderr)
    rows = []
    print(HEADER, flush=True)
    for config, signals in configs.items():
        for dataset in datasets:
            if "mt" in signals.split(",") and dataset == "dev":
                dataset = "dev-wmt"        # UN documents have no machine translation
            if "mt" in signals.split(",") and (dataset.startswith("un-") or not DATASETS[dataset].has_mt):
                continue                   # nor do the multilingual ones, nor the book
            folder, names = documents(dataset, quick)
            out = OUT / "runs" / f"{dataset}.{config}"
            # Configurations share embeddings through a cache file: the first one to need a text pays for it.
            env = dict(os.environ, ALIGNER_EMBEDDINGS_CACHE=os.environ.get("ALIGNER_EMBEDDINGS_CACHE",
                                                                         str(OUT / "e5.sqlite")))
            proc = subprocess.run([sys.executable, "-m", "benchmarks", "worker", dataset, signals, str(out)]
                                  + (["--quick"] if quick else []) + (["--cli"] if cli else [])
                                  + (["--gold-jsonl", str(GOLD[dataset])] if dataset in GOLD else []),
                                  capture_output=True, text=True, cwd=ROOT, env=env)
            if proc.returncode != 0:
                raise SystemExit(f"{config} on {dataset} failed:\n{proc.stderr[-3000:]}")
            figures = json.loads(proc.stdout.strip().splitlines()[-1])
            gold = [read_beads(str(folder / f"{n}.gold")) for n in names]
            test = [read_beads(str(out / f"{n}.beads")) for n in names]
            score = score_beads(gold, test)
            sentences = sum(len({i for s, _ in g for i in s}) + len({j for _, t in g for j in t}) for g in gold)
            row = {"config": config, "signals": signals, "dataset": dataset, "documents": len(names),
                   "path": "cli" if cli else "library", **figures,
                   "sentences_per_second": round(sentences / max(figures["seconds"], 0.1), 1),
                   **{k: score[k] for k in ("precision_strict", "recall_strict", "f1_strict", "f1_lax",
                                            "null_accuracy")},
                   "f1_by_type": f1_by_type(gold, test)}
            rows.append(row)
            print(format_row(row), flush=True)
            if dataset in REAL or dataset in GOLD:
                print("    F1 by gold bead type: " + "  ".join(
                    f"{kind} {v['f1']:.3f} ({v['gold']})" for kind, v in row["f1_by_type"].items()), flush=True)
    (OUT / ("results-quick.json" if quick else "results.json")).write_text(json.dumps(rows, indent=2) + "\n")
    return rows


HEADER = (f"{'config':<18} {'dataset':<13} {'docs':>4}  {'strict P':>8} {'R':>5} {'F1':>5}  {'lax F1':>6}"
          f"  {'null':>5}  {'seconds':>7}  {'sent/s':>6}  {'peak MB':>7}")


def format_row(row: dict) -> str:
    null = "  n/a" if row["null_accuracy"] is None else f"{row['null_accuracy']:.3f}"
    return (f"{row['config']:<18} {row['dataset']:<13} {row['documents']:>4}  {row['precision_strict']:>8.3f}"
            f" {row['recall_strict']:.3f} {row['f1_strict']:.3f}  {row['f1_lax']:>6.3f}  {null}"
            f"  {row['seconds']:>7.1f}  {row.get('sentences_per_second', 0):>6.1f}  {row['peak_mb']:>7}")


def build() -> None:
    print("dev:", build_dev(OUT / "dev"), file=sys.stderr)
    print("textberg:", build_textberg(OUT / "textberg"), file=sys.stderr)
    print("textberg-dev:", build_textberg_dev(OUT / "textberg-dev"), file=sys.stderr)
    print("karenina:", build_karenina(OUT / "karenina"), file=sys.stderr)
    multilingual.build(OUT)


def long_pair(size: int, folder: Path) -> tuple[Path, Path, list]:
    """A `lines` pair of ``size`` Russian sentences: the dev documents concatenated (repeated as needed), each
    document's paragraphs kept, with the gold shifted to match, so that the long run is scored too."""
    from aligner.write import read_beads

    dev, names = documents("dev")
    ru_paragraphs: list[str] = []
    en_paragraphs: list[str] = []
    gold: list = []
    n_ru = n_en = k = 0
    while n_ru < size:
        name = names[k % len(names)]
        k += 1
        ru = (dev / f"{name}.ru").read_text(encoding="utf-8").strip("\n")
        en = (dev / f"{name}.en").read_text(encoding="utf-8").strip("\n")
        gold += [(tuple(i + n_ru for i in s), tuple(j + n_en for j in t))
                 for s, t in read_beads(str(dev / f"{name}.gold"))]
        ru_paragraphs.append(ru)
        en_paragraphs.append(en)
        n_ru += sum(1 for line in ru.splitlines() if line.strip())
        n_en += sum(1 for line in en.splitlines() if line.strip())
    folder.mkdir(parents=True, exist_ok=True)
    src, tgt = folder / f"{size}.ru", folder / f"{size}.en"
    src.write_text("\n\n".join(ru_paragraphs) + "\n", encoding="utf-8")
    tgt.write_text("\n\n".join(en_paragraphs) + "\n", encoding="utf-8")
    return src, tgt, gold


def speed(sizes: list[int]) -> list[dict]:
    """Long pairs through the CLI with length+anchors: seconds and peak memory should grow about linearly."""
    from aligner.evaluate import score_beads
    from aligner.write import read_beads

    build()
    folder = OUT / "speed"
    rows = []
    for n in sizes:
        src, tgt, gold = long_pair(n, folder)
        out = folder / f"{n}.beads"
        cmd = [sys.executable, "-m", "aligner", "-q", "align", str(src), str(tgt), "-o", str(out),
               "--format", "beads", "--input-format", "lines", "--signals", "length,anchors", "--mt", "none",
               "--no-fill"]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if status != 0:
            raise SystemExit(f"{n}: aligner exited with status {os.waitstatus_to_exitcode(status)}")
        score = score_beads([gold], [read_beads(str(out))])
        n_en = max((j for _, t in gold for j in t), default=-1) + 1
        row = {"ru_sentences": max(i for s, _ in gold for i in s) + 1, "en_sentences": n_en,
               "seconds": round(seconds, 1), "peak_mb": round(usage.ru_maxrss / 1024), "f1_strict": score["f1_strict"]}
        rows.append(row)
        print(f"speed  {row['ru_sentences']:>6} + {n_en:>6} sentences  {seconds:6.1f} s  peak {row['peak_mb']:>5} MB"
              f"  strict F1 {score['f1_strict']:.3f}", flush=True)
    return rows


def embeddings_pair(size: int = 100, signals: str | None = None) -> None:
    """A pair of about 100 sentences a side with the default signals (embeddings included), or ``signals``, end to
    end through the CLI with a cold embedding cache: what one MFA statement costs."""
    from aligner.evaluate import score_beads
    from aligner.write import read_beads

    folder = OUT / "speed"
    src, tgt, gold = long_pair(size, folder)
    out = folder / f"{size}.{signals.replace(',', '+') if signals else 'emb'}.beads"
    cmd = [sys.executable, "-m", "aligner", "-q", "align", str(src), str(tgt), "-o", str(out), "--format", "beads",
           "--input-format", "lines", "--mt", "none", "--no-fill"] + (["--signals", signals] if signals else [])
    env = {k: v for k, v in os.environ.items() if k != "ALIGNER_EMBEDDINGS_CACHE"}     # cold: embed everything
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"embeddings pair: aligner exited with status {os.waitstatus_to_exitcode(status)}")
    score = score_beads([gold], [read_beads(str(out))])
    print(f"embeddings  {_count(src)} + {_count(tgt)} sentences, {signals or 'default signals'}, cold, end to end "
          f"{seconds:.1f} s, "
          f"peak {usage.ru_maxrss / 1024:.0f} MB  strict F1 {score['f1_strict']:.3f}", flush=True)


def _count(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
