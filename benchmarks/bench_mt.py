"""Batched vs one-call-per-sentence translation through the same CTranslate2 model, and what a re-run costs.

    python -m benchmarks.bench_mt                       # tiny test model, 300 WMT22 Russian sentences
    python -m benchmarks.bench_mt --model translate-ru_en-1_9.argosmodel --sentences 200 --threads 2

Everything happens in a temporary folder (packages, cache, argostranslate's own folders): the user's installed
models and translation cache are never touched. The tiny model emits a fixed 8-piece sentence, so its numbers
measure the per-call overhead and the encoder; a real package (``--model``) gives realistic speeds.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WMT = REPO.parent / "shared" / "data" / "wmt22-ruen" / "wmttest2022.ru-en.all.xml"


def russian_sentences(count: int) -> list[str]:
    """Distinct Russian sentences: WMT22's Russian originals when the shared data is there, else generated."""
    sentences: list[str] = []
    if WMT.is_file():
        from lxml import etree
        for _, seg in etree.iterparse(str(WMT), tag="seg"):
            parent = seg.getparent()
            if parent is not None and parent.tag == "p" and parent.getparent().tag == "src" and seg.text:
                text = " ".join(seg.text.split())
                if 20 <= len(text) <= 300 and text not in sentences:
                    sentences.append(text)
                    if len(sentences) == count:
                        break
            seg.clear()
    i = 0
    while len(sentences) < count:
        sentences.append(f"Министр иностранных дел провёл переговоры с коллегой номер {i}.")
        i += 1
    return sentences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_mt", description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=300)
    parser.add_argument("--threads", type=int, default=None, help="default: ALIGNER_MT_THREADS or min(2, cores)")
    parser.add_argument("--model", help="a real .argosmodel to benchmark instead of the tiny test model")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-mt-") as tmp:
        root = Path(tmp)
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            os.environ[var] = str(root / var.lower())
        os.environ["ARGOS_PACKAGES_DIR"] = str(root / "packages")
        os.environ["ALIGNER_CACHE_DIR"] = str(root / "cache")

        from aligner.mt import load_translator
        from aligner.mt.packages import install_package
        from aligner.mt.testing import build_tiny_package

        started = time.perf_counter()
        archive = Path(args.model) if args.model else build_tiny_package(root / "build")
        install_package(archive)
        print(f"model: {archive.name} installed in {time.perf_counter() - started:.1f} s")
        texts = russian_sentences(args.sentences)
        print(f"input: {len(texts)} distinct Russian sentences "
              f"({'WMT22 originals' if WMT.is_file() else 'generated'})")

        translator = load_translator(threads=args.threads, cache=False, required=True)
        print(f"engine: {translator.engine}, {translator.threads} thread(s), beam {translator.beam_size}")
        translator.translate_uncached(texts[:8])  # warm-up: first-call allocations are not the point

        started = time.perf_counter()
        batched = translator.translate_uncached(texts)
        batched_s = time.perf_counter() - started
        started = time.perf_counter()
        single = [translator.translate_uncached([t])[0] for t in texts]
        single_s = time.perf_counter() - started
        same = sum(a == b for a, b in zip(batched, single))
        print(f"batched:      {len(texts) / batched_s:8.1f} sentences/s ({batched_s:.2f} s)")
        print(f"one by one:   {len(texts) / single_s:8.1f} sentences/s ({single_s:.2f} s)")
        print(f"speed-up:     {single_s / batched_s:8.1f}x; identical outputs: {same}/{len(texts)}")

        first = load_translator(threads=args.threads, cache=True, required=True)
        started = time.perf_counter()
        first.translate(texts)
        first_s = time.perf_counter() - started
        rerun = load_translator(threads=args.threads, cache=True, required=True)
        started = time.perf_counter()
        rerun.translate(texts)
        rerun_s = time.perf_counter() - started
        print(f"first run:    {first.stats.misses} translations ({first_s:.2f} s)")
        print(f"re-run:       {rerun.stats.misses} translations, {rerun.stats.hits} from the cache ({rerun_s:.3f} s)")
        return 0 if rerun.stats.misses == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
