"""`aligner batch` (a corpus: pairing, local workers or Dask, resume, array-job shards) and `aligner merge`.

Exit codes: 0 every pair aligned; 1 any pair failed (each is listed with its reason in summary.json and on
stderr); otherwise the codes of aligner.errors for problems of the whole job (bad manifest, no model, disk full).
"""
from __future__ import annotations

import logging
import os
from typing import Optional

import click

from aligner.cli import main, note, quiet
from aligner.cli.align import input_options, options_from


def _env_int(name: str) -> Optional[int]:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() else None


def _slurm_shard() -> tuple[Optional[int], Optional[int]]:
    """(index, count) of a Slurm array task; the index counts from the array's first id, so --array=1-8 works."""
    task, count = _env_int("SLURM_ARRAY_TASK_ID"), _env_int("SLURM_ARRAY_TASK_COUNT")
    if task is None or count is None:
        return None, None
    return task - (_env_int("SLURM_ARRAY_TASK_MIN") or 0), count


@main.command()
@click.argument("corpus", metavar="[CORPUS]", required=False)
@click.option("-o", "--output", "out_dir", required=True, metavar="OUT_DIR",
              help="Output folder: docs/, merged/, metrics.jsonl, summary.json. Rerun into it to resume.")
@click.option("--pairs", "manifest", default=None, metavar="FILE",
              help="Pairs from a TSV manifest (SRC<TAB>TGT[<TAB>NAME] per line, the --src-lang file first; "
                   "paths relative to FILE) instead of a CORPUS folder.")
@click.option("-j", "--jobs", type=click.IntRange(1, 1024), default=None,
              help="Local worker processes [default: every available core].")
@click.option("--dask", "dask_address", default=None, metavar="ADDRESS",
              help="Run on a Dask distributed cluster (e.g. tcp://host:8786) instead of local workers.")
@click.option("--shard-index", type=click.IntRange(0), default=None,
              help="Align only shard I of --num-shards [default: SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN].")
@click.option("--num-shards", type=click.IntRange(1), default=None,
              help="Split the pairs into N shards for array jobs [default: SLURM_ARRAY_TASK_COUNT, else 1].")
@click.option("--shard-size", type=click.IntRange(1), default=10000, show_default=True,
              help="Most translation units per merged TMX file (a document is never split across files).")
@click.option("--mt-separate/--mt-inline", "mt_separate", default=True, show_default=True,
              help="Machine-translated units go to NAME.mt.tmx files beside the human ones, never into the TMX "
                   "translators trust (--mt-inline: into it, marked as MT). See docs/mt.md.")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Progress bar on stderr (only ever drawn on a terminal).")
@input_options
def batch(corpus: Optional[str], out_dir: str, manifest: Optional[str], jobs: Optional[int],
          dask_address: Optional[str], shard_index: Optional[int], num_shards: Optional[int], shard_size: int,
          mt_separate: bool, progress: bool, **params) -> None:
    """Align every source/target pair in CORPUS into OUT_DIR (the languages of --src-lang and --tgt-lang,
    Russian and English by default).

    Pairs are found by a shared stem with the two languages' markers (X.ru.txt + X.en.txt; with --src-lang fr
    --tgt-lang zh, X.fr.txt + X.zh.txt), by language folders (ru/X.html + en/X.html; fr/ and zh/), or by the MFA
    document number in the files; files without a counterpart are reported, not aligned. A rerun into the same
    OUT_DIR skips finished documents. Exit code 0: every pair aligned; 1: some pair failed (see summary.json).

    \b
    Examples:
      aligner batch corpora -o out
      aligner batch un-corpus -o out --src-lang fr --tgt-lang zh
      aligner batch --pairs pairs.tsv -o out --jobs 4
      aligner batch corpora -o out --dask tcp://scheduler:8786
      aligner batch corpora -o out --shard-index 3 --num-shards 8   # then: aligner merge out
    """
    from aligner.batch import find_pairs, read_manifest, run_batch

    if (corpus is None) == (manifest is None):
        raise click.UsageError("give a CORPUS folder or --pairs FILE (one of them)")
    if dask_address and jobs:
        raise click.UsageError("--jobs is for local workers; with --dask the cluster decides")
    slurm_index, slurm_count = _slurm_shard()
    index = shard_index if shard_index is not None else slurm_index
    count = num_shards if num_shards is not None else slurm_count
    if index is not None and count is None:
        raise click.UsageError("--shard-index needs --num-shards")
    index, count = index or 0, count or 1
    if index >= count:
        raise click.BadParameter(f"{index} is not below --num-shards {count}", param_hint="--shard-index")

    options = options_from(params)
    from aligner.batch.pairing import check_langs, lang_codes
    from aligner.read.language import language_name

    langs = lang_codes((options.src_lang, options.tgt_lang))
    if not manifest:
        try:
            check_langs(langs)   # before the model warning: a corpus of en-GB/en-US files cannot be paired
        except ValueError as exc:
            raise click.BadParameter(f"{exc} (give the pairs with --pairs FILE)",
                                     param_hint="--src-lang/--tgt-lang") from None
    from aligner.fill import warn_if_no_model
    warn_if_no_model(options)   # once for the whole job, not once per worker
    if manifest:
        pairs, unpaired = read_manifest(manifest, langs)
    else:
        pairs, unpaired = find_pairs(corpus, exclude=[out_dir], langs=langs)
    for item in unpaired:
        note(f"unpaired: {item.path}: {item.reason}")
    if not pairs:
        names = "/".join(language_name(lang) for lang in langs)
        note(f"warning: no {names} pairs found in {corpus or manifest}")

    root = logging.getLogger()
    worker_level = logging.WARNING if root.level <= logging.INFO else logging.ERROR
    result = run_batch(pairs, unpaired, out_dir, options, jobs=jobs, dask=dask_address, shard_index=index,
                       num_shards=count, shard_size=shard_size, mt_separate=mt_separate,
                       progress=progress and not quiet(),
                       log_level=worker_level)

    for bad in result.failed:
        click.echo(f"aligner: failed: {bad['name']}: {bad['error']}", err=True)
    shard = f" (shard {index} of {count})" if count > 1 else ""
    resumed = f", {result.skipped} already done" if result.skipped else ""
    note(f"{result.selected} pairs{shard}: {result.aligned} aligned{resumed}, {len(result.failed)} failed, "
         f"{len(result.unpaired)} unpaired files; {result.seconds:.1f}s")
    note(f"documents in {os.path.join(out_dir, 'docs')}")
    for path in result.written:
        note(f"wrote {os.path.join(out_dir, path)}")
    if count > 1:
        note(f"when all {count} shards have run: aligner merge {out_dir}")
    if result.exit_code:
        click.get_current_context().exit(result.exit_code)


@main.command()
@click.argument("sources", metavar="OUT_DIR...", nargs=-1, required=True)
@click.option("-o", "--output", "out_dir", default=None, metavar="DIR",
              help="Where to write the merged corpus [default: the one OUT_DIR, in place].")
@click.option("--shard-size", type=click.IntRange(1), default=None,
              help="Most units per merged TMX file [default: as the batch was run].")
def merge(sources: tuple[str, ...], out_dir: Optional[str], shard_size: Optional[int]) -> None:
    """Combine the outputs of `aligner batch --num-shards N` runs into the files one run would have written.

    Give the one output folder all shards wrote into, or each shard's folder and -o DIR.
    Exit code 0: every pair aligned; 1: some pair failed (see summary.json).

    \b
    Examples:
      aligner merge out
      aligner merge out-0 out-1 out-2 -o out
    """
    from aligner.batch import merge_outputs

    summary = merge_outputs(list(sources), out_dir, shard_size)
    target = out_dir or sources[0]
    for bad in summary["failed_pairs"]:
        click.echo(f"aligner: failed: {bad['name']}: {bad['error']}", err=True)
    note(f"{summary['pairs']} pairs: {summary['aligned']} aligned, {summary['failed']} failed, "
         f"{summary['unpaired']} unpaired files")
    for path in summary["merged"] + ["metrics.jsonl", "summary.json"]:
        note(f"wrote {os.path.join(target, path)}")
    if summary["failed"]:
        click.get_current_context().exit(1)
