"""Stress benchmark: inputs shaped to exhaust time or memory, each aligned by the real CLI in its own process.

    python -m benchmarks.stress [--only NAME] [--timeout 300] [--keep DIR]

For each input (one million short lines, one 5 MB line, 300,000 lines, a 50 MB HTML page) and each signal set
(the default, and ``length,anchors``) it prints the exit code, the wall-clock seconds, the process's peak resident
memory and the last line the tool printed: the summary when it aligned, the one-line reason when it refused. The
targets (docs/errors.md): each finishes or is refused with a clear message within 5 minutes and 4 GB on 2 cores.
A command, not a test: it takes minutes. Set ALIGNER_EMBEDDINGS_CACHE to a file of your own for the default
signals. Inputs are generated (seeded), so no data is needed.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 300
TARGET_KIB = 4 * 1024 * 1024
SIGNALS = {"default": [], "length,anchors": ["--signals", "length,anchors"]}

RU_WORDS = ("министр иностранных дел России провёл переговоры в Москве стороны обсудили вопросы двустороннего "
            "сотрудничества особое внимание было уделено экономике и безопасности").split()
EN_WORDS = ("the minister of foreign affairs of russia held talks in moscow the parties discussed bilateral "
            "cooperation special attention was paid to the economy and security").split()


def _sentence(rng: random.Random, words, n: int) -> str:
    return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."


def _lines(path: Path, words, count: int, length: int, seed: int) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as handle:
        for _ in range(count):
            handle.write(_sentence(rng, words, length) + "\n")


def _one_line(path: Path, words, megabytes: float, seed: int) -> None:
    rng = random.Random(seed)
    target = int(megabytes * 1024 * 1024)
    with open(path, "w", encoding="utf-8") as handle:
        size = 0
        while size < target:
            chunk = " ".join(rng.choice(words) for _ in range(1000)) + " "
            handle.write(chunk)
            size += len(chunk.encode("utf-8"))
        handle.write("\n")


def _html(path: Path, words, megabytes: float, seed: int) -> None:
    """A page as big as the size limit allows: a statement of 2,000 paragraphs inside a site whose menus,
    scripts and inline styles make up the rest (what a saved "complete web page" looks like)."""
    rng = random.Random(seed)
    target = int(megabytes * 1024 * 1024)
    head = "<!DOCTYPE html><html><head><title>Statement</title></head><body>"
    body = ["<article><h1>Statement</h1><div class='text'>"]
    body += [f"<p>{_sentence(rng, words, 15)} {_sentence(rng, words, 12)}</p>" for _ in range(2000)]
    body.append("</div></article>")
    chrome = "<nav class='menu'><ul>" + "".join(f"<li><a href='/x{i}'>{rng.choice(words)}</a></li>"
                                                  for i in range(200)) + "</ul></nav>"
    script = "<script>var data = '" + "x" * 100_000 + "';</script>"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(head)
        size = len(head)
        for part in body:
            handle.write(part)
            size += len(part.encode("utf-8"))
        while size < target - 200_000:
            handle.write(chrome + script)
            size += len((chrome + script).encode("utf-8"))
        handle.write("</body></html>\n")


CASES = {
    "1M short lines": lambda ru, en: (_lines(ru, RU_WORDS, 1_000_000, 3, 1), _lines(en, EN_WORDS, 1_000_000, 3, 2)),
    "one 5 MB line": lambda ru, en: (_one_line(ru, RU_WORDS, 5, 3), _one_line(en, EN_WORDS, 5, 4)),
    "300k lines": lambda ru, en: (_lines(ru, RU_WORDS, 300_000, 8, 5), _lines(en, EN_WORDS, 300_000, 8, 6)),
    "50 MB HTML page": lambda ru, en: (_html(ru, RU_WORDS, 49.5, 7), _html(en, EN_WORDS, 49.5, 8)),
}
SUFFIX = {"50 MB HTML page": ".html"}


def run_case(ru: Path, en: Path, out: Path, signals: list[str], timeout: int) -> dict:
    cmd = [sys.executable, "-m", "aligner", "align", str(ru), str(en), "-o", str(out), "--mt", "none", *signals]
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1700000000")}
    started = time.monotonic()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                proc.terminate()
                timed_out = True
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.2)
        seconds = time.monotonic() - started
        err.seek(0)
        lines = [line for line in err.read().decode("utf-8", "replace").splitlines() if line.strip()]
    code = os.waitstatus_to_exitcode(status)
    summary = next((line for line in reversed(lines) if "sentences →" in line or "error:" in line),
                   lines[-1] if lines else "")
    warnings = [line for line in lines if "costly signals" in line or "cut at word boundaries" in line]
    return {"code": code, "seconds": seconds, "peak_kib": usage.ru_maxrss, "timed_out": timed_out,
            "summary": summary, "warnings": warnings}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stress", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=sorted(CASES), help="run only this input (repeatable)")
    parser.add_argument("--signals", action="append", choices=sorted(SIGNALS), help="only this signal set")
    parser.add_argument("--timeout", type=int, default=TARGET_SECONDS + 60)
    parser.add_argument("--keep", default=None, help="generate the inputs here and keep them")
    args = parser.parse_args(argv)
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="aligner-stress-"))
    folder.mkdir(parents=True, exist_ok=True)
    ok = True
    print(f"{'input':<18} {'signals':<15} {'exit':>4} {'seconds':>8} {'peak MB':>8}  result")
    for name in args.only or list(CASES):
        stem = name.replace(" ", "-").lower()
        ru, en = folder / f"{stem}.ru{SUFFIX.get(name, '.txt')}", folder / f"{stem}.en{SUFFIX.get(name, '.txt')}"
        if not (ru.exists() and en.exists()):
            CASES[name](ru, en)
        for label in args.signals or list(SIGNALS):
            result = run_case(ru, en, folder / f"{stem}.tmx", SIGNALS[label], args.timeout)
            within = not result["timed_out"] and result["seconds"] <= TARGET_SECONDS and \
                result["peak_kib"] <= TARGET_KIB and result["code"] in (0, 1)
            ok &= within
            print(f"{name:<18} {label:<15} {result['code']:>4} {result['seconds']:>8.1f} "
                  f"{result['peak_kib'] / 1024:>8.0f}  {'' if within else 'OVER TARGET: '}"
                  f"{result['summary'][:160]}", flush=True)
            for warning in result["warnings"]:
                print(f"{'':<18} {'':<15} {'':>4} {'':>8} {'':>8}  {warning[:160]}", flush=True)
    if not args.keep:
        import shutil
        shutil.rmtree(folder, ignore_errors=True)
    print("OK: every input finished or was refused within 5 minutes and 4 GB" if ok else
          "NOT OK: some input went over the target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
