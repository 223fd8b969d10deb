"""Soak run: `aligner batch` over real pairs mixed with every kind of broken pair.

    python -m benchmarks.soak                 # all WMT22 documents + 60 UN documents + the broken pairs
    python -m benchmarks.soak --wmt 20 --un 10

Run with --strict, so that an unrelated pair is refused too. The run must finish, align every good pair, list
every broken pair with its one-line reason in summary.json and exit 1 (docs/errors.md). Prints the summary; exits
non-zero itself if any of that does not hold.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_batch import UN, build_un, build_wmt

RU = "Министр иностранных дел России провёл переговоры в Москве. Стороны обсудили сотрудничество.\n"
EN = "The Russian Foreign Minister held talks in Moscow. The parties discussed cooperation.\n"
LOL = ('<?xml version="1.0"?>\n<!DOCTYPE html [\n <!ENTITY lol "lol">\n' +
       "".join(f' <!ENTITY lol{k} "{("&lol%s;" % (k - 1 if k > 1 else "")) * 10}">\n' for k in range(1, 10)) +
       ']>\n<html><body><p>Москва заявила. &lol9;</p></body></html>')

# name → (Russian bytes, English bytes, what the reason must say). Every one is a pair `aligner align` refuses.
BROKEN: dict[str, tuple[bytes, bytes, str]] = {
    "empty": (b"", EN.encode(), "empty file"),
    "whitespace": (b" \n\t\n", EN.encode(), "only whitespace"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8, EN.encode(), "binary file"),
    "truncated-utf8": (RU.rstrip().rstrip(".").encode()[:-1], EN.encode(), "truncated UTF-8"),
    "latin1": ("Déclaration du ministère à Genève.\n".encode("latin-1"), EN.encode(), "cannot decode"),
    "english-as-russian": (EN.encode(), EN.encode(), "expected Russian"),
    "swapped": (EN.encode(), RU.encode(), "swapped"),
    "entity-bomb": (LOL.encode(), f"<html><body><p>{EN}</p></body></html>".encode(), "entity-expansion bomb"),
}


def build(corpus: Path, wmt: int, un: int) -> int:
    good = build_wmt(corpus, wmt) + build_un(corpus, un)
    broken = corpus / "broken"
    broken.mkdir(parents=True)
    for name, (ru, en, _) in BROKEN.items():
        suffix = "html" if name == "entity-bomb" else "txt"
        (broken / f"{name}.ru.{suffix}").write_bytes(ru)
        (broken / f"{name}.en.{suffix}").write_bytes(en)
    # Two real documents that are not a translation of each other: refused under --strict.
    ru = (UN.parent / (UN.name + ".ru")).read_text(encoding="utf-8").splitlines()
    en = (UN.parent / (UN.name + ".en")).read_text(encoding="utf-8").splitlines()
    (broken / "unrelated.ru.txt").write_text("\n\n".join(ru[:30]) + "\n", encoding="utf-8")
    (broken / "unrelated.en.txt").write_text("\n\n".join(en[2000:2030]) + "\n", encoding="utf-8")
    return good


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wmt", type=int, default=None, help="WMT22 documents (default: all)")
    parser.add_argument("--un", type=int, default=60, help="UN dev documents")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--signals", default="length,anchors")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aligner-soak-") as tmp:
        corpus, out = Path(tmp) / "corpus", Path(tmp) / "out"
        good = build(corpus, args.wmt, args.un)
        start = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "aligner", "batch", str(corpus), "-o", str(out),
                               "--jobs", str(args.jobs), "--signals", args.signals, "--mt", "none", "--strict"],
                              capture_output=True, text=True)
        seconds = time.monotonic() - start
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    failed = {f["name"]: f["error"] for f in summary["failed_pairs"]}
    print(f"soak: {good} good pairs + {len(BROKEN) + 1} broken, --jobs {args.jobs}, signals {args.signals}, "
          "--strict")
    print(f"  exit code {proc.returncode}, {seconds:.1f} s; aligned {summary['aligned']}, "
          f"failed {summary['failed']}")
    for name, error in sorted(failed.items()):
        print(f"  {name}: {error.split(': ', 1)[-1] if ': ' in error else error}")
    problems = []
    if proc.returncode != 1:
        problems.append(f"exit code {proc.returncode}, expected 1")
    if summary["aligned"] != good:
        problems.append(f"aligned {summary['aligned']} of {good} good pairs")
    for name, (_, _, reason) in [*BROKEN.items(), ("unrelated", (b"", b"", "low alignment confidence"))]:
        error = failed.get(f"broken/{name}")
        if error is None or reason.lower() not in error.lower():
            problems.append(f"broken/{name}: expected a reason saying {reason!r}, got {error!r}")
    if "Traceback" in proc.stderr:
        problems.append("a traceback reached stderr")
    for problem in problems:
        print(f"  FAIL: {problem}")
    print("  OK: every good pair aligned, every broken pair listed with its reason" if not problems else "")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
