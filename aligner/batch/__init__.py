"""Corpus jobs: pair the files, align each pair (in local worker processes or on a Dask cluster), resume after
a kill, split the work into array-job shards and merge them. See docs/batch.md.

    pairs, unpaired = find_pairs("corpora")
    result = run_batch(pairs, unpaired, "out", AlignOptions(), jobs=4)

The unit of work is :func:`aligner.batch.job.run_one`; everything corpus-level is rebuilt from its per-document
markers by :func:`aligner.batch.merge.finalize`, which is why a resumed, a distributed and a sharded run all end
with the same files as one uninterrupted run.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional

from aligner.batch.job import JobSettings, is_done, options_fingerprint, pair_key, raise_fatal, read_marker, run_one
from aligner.batch.merge import Layout, finalize, merge_outputs, write_shard_record
from aligner.batch.pairing import Pair, Unpaired, find_pairs, read_manifest, select_shard
from aligner.batch.progress import Progress
from aligner.errors import OutputError

__all__ = ["Pair", "Unpaired", "BatchResult", "find_pairs", "read_manifest", "select_shard", "run_batch",
           "run_one", "merge_outputs", "finalize", "Layout"]

log = logging.getLogger("aligner")


@dataclass
class BatchResult:
    selected: int                       # pairs in this shard (all pairs without sharding)
    skipped: int                        # already done by an earlier run
    aligned: int                        # aligned by this run
    failed: list[dict]                  # {"name", "ru", "en", "error"} of this shard's failed pairs
    unpaired: list[Unpaired]
    summary: Optional[dict]             # summary.json; None for one shard of several (see merge_outputs)
    written: list[str]                  # corpus-level files written, relative to the output folder
    seconds: float
    worker_peak_kib: dict[int, int] = field(default_factory=dict)  # worker pid → peak resident memory

    @property
    def exit_code(self) -> int:
        """0 when every pair was aligned, 1 when any failed (unpaired files alone do not fail a batch)."""
        return 1 if self.failed else 0


def run_batch(pairs: list[Pair], unpaired: list[Unpaired], out_dir: str, options: Any = None, *,
              jobs: Optional[int] = None, dask: Optional[str] = None, shard_index: int = 0, num_shards: int = 1,
              shard_size: int = 10000, mt_separate: bool = False, align_fn: Optional[Callable] = None,
              progress: bool = True, log_level: int = logging.WARNING) -> BatchResult:
    """Align every pair of shard ``shard_index`` of ``num_shards`` not already done in ``out_dir``.

    ``jobs``: local worker processes (None: every available core); ``dask``: a scheduler address instead.
    With one shard the corpus files (merged/, metrics.jsonl, summary.json) are written at the end; with several,
    a shard record is, and ``merge_outputs`` writes the corpus files once every shard has run.
    """
    if options is None:
        from aligner.model import AlignOptions
        options = AlignOptions()
    started = time.monotonic()
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as exc:
        raise OutputError(out_dir, f"cannot create the output folder: {exc.strerror or exc}") from None
    with output_lock(out_dir, shard_index, num_shards):
        return _run_locked(pairs, unpaired, out_dir, options, jobs=jobs, dask=dask, shard_index=shard_index,
                           num_shards=num_shards, shard_size=shard_size, mt_separate=mt_separate,
                           align_fn=align_fn, progress=progress, log_level=log_level, started=started)


def _run_locked(pairs: list[Pair], unpaired: list[Unpaired], out_dir: str, options: Any, *, jobs, dask,
                shard_index: int, num_shards: int, shard_size: int, mt_separate: bool, align_fn, progress: bool,
                log_level: int, started: float) -> BatchResult:
    from aligner.batch.local import available_cores, run_local
    from aligner.resources import Resources
    from aligner.signature import planned_signature

    pairs, clashing = separate_clashes(pairs, mt_separate)
    for item in clashing:
        log.warning("unpaired: %s: %s", item.path, item.reason)
    unpaired = sorted(unpaired + clashing, key=lambda u: u.path)
    epoch = job_epoch(out_dir)
    settings = JobSettings(options=options, out_dir=os.path.abspath(out_dir), mt_separate=mt_separate,
                           align_fn=align_fn, base=os.getcwd() if dask else "", epoch=epoch)
    # The driver's models: used by documents aligned in this process (--jobs 1), and for the planned signature,
    # which names the installed models, so the resume key changes when they do.
    resources = Resources.from_env()
    fingerprint = options_fingerprint(options, mt_separate, str(planned_signature(options, resources)))
    layout = Layout(shard_size, mt_separate, options.src_lang, options.tgt_lang)
    selected = select_shard(pairs, shard_index, num_shards)

    todo = []
    for pair in selected:
        key = pair_key(pair, fingerprint)
        if not is_done(out_dir, pair, key, mt_separate):
            todo.append((pair, key))
    skipped = len(selected) - len(todo)
    if skipped:
        log.info("resuming: %d of %d pairs already done", skipped, len(selected))

    bar = Progress(len(selected), already=skipped) if progress else None
    peaks: dict[int, int] = {}
    aligned = 0
    if dask:
        from aligner.batch.cluster import run_dask
        results = run_dask(todo, settings, dask)
    else:
        results = run_local(todo, settings, jobs or available_cores(), log_level, resources=resources)
    try:
        for record, pid, peak in results:
            raise_fatal(record)
            peaks[pid] = max(peak, peaks.get(pid, 0))
            is_failed = "error" in record
            aligned += not is_failed
            if bar:
                bar.advance(is_failed)
    finally:
        # Now, not when the traceback is freed: after Ctrl-C the workers must stop before the command exits.
        results.close()
        if bar:
            bar.close()

    failed = [{k: bad[k] for k in ("name", "ru", "en", "error")} for p in selected
              if (bad := read_marker(out_dir, "failed", p.name)) is not None
              and read_marker(out_dir, "done", p.name) is None]
    if num_shards == 1:
        summary = finalize(out_dir, selected, unpaired, fingerprint, layout, created=epoch)
        written = summary["merged"] + ["metrics.jsonl", "summary.json"]
    else:
        summary = None
        record_path = write_shard_record(out_dir, shard_index, num_shards, selected, unpaired, fingerprint,
                                         layout)
        written = [os.path.relpath(record_path, out_dir)]
    return BatchResult(selected=len(selected), skipped=skipped, aligned=aligned, failed=failed, unpaired=unpaired,
                       summary=summary, written=written, seconds=time.monotonic() - started,
                       worker_peak_kib=peaks)


def separate_clashes(pairs: list[Pair], mt_separate: bool) -> tuple[list[Pair], list[Unpaired]]:
    """(pairs whose output files are their own, the others as unpaired files with the reason).

    With --mt-separate, pair ``x`` writes docs/x.tmx and docs/x.mt.tmx, which is also pair ``x.mt``'s TMX:
    one would overwrite the other. The pair named like a companion file gives way, whatever order they come in.
    """
    if not mt_separate:
        return pairs, []
    owner: dict[str, str] = {}
    for pair in pairs:
        if not pair.name.endswith(".mt"):
            owner[pair.name + ".mt"] = pair.name           # its companion file's name, as a pair name
    kept, clashing = [], []
    for pair in pairs:
        if pair.name in owner:
            reason = (f"pair {pair.name!r} would write docs/{pair.name}.tmx, which is the --mt-separate file of "
                      f"pair {owner[pair.name]!r}; rename its files")
            clashing += [Unpaired(pair.ru, reason), Unpaired(pair.en, reason)]
        else:
            kept.append(pair)
    return kept, clashing


@contextlib.contextmanager
def output_lock(out_dir: str, shard_index: int = 0, num_shards: int = 1) -> Iterator[None]:
    """One batch per output folder (per shard, for array jobs) at a time.

    ``fcntl.flock`` on OUT/.aligner.lock, released by the kernel when the process ends however it ends, so a
    killed run never leaves the folder locked. An unsharded run and ``merge`` hold it exclusively; the tasks of
    an array job hold it shared (they write disjoint documents into one folder) plus OUT/.aligner-shard-I-of-N.lock
    exclusively, so the same shard cannot run twice at once. No-op where there is no fcntl (Windows).
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as exc:
        raise OutputError(out_dir, f"cannot create the output folder: {exc.strerror or exc}") from None
    locks = [(os.path.join(out_dir, ".aligner.lock"), fcntl.LOCK_SH if num_shards > 1 else fcntl.LOCK_EX)]
    if num_shards > 1:
        locks.append((os.path.join(out_dir, f".aligner-shard-{shard_index:05d}-of-{num_shards:05d}.lock"),
                      fcntl.LOCK_EX))
    handles = []
    try:
        for number, (path, mode) in enumerate(locks):
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
            except OSError as exc:
                raise OutputError(path, f"cannot create the lock file: {exc.strerror or exc}") from None
            handles.append(fd)
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
            except BlockingIOError:
                what = "this shard of the output folder" if number else "this output folder"
                raise OutputError(out_dir, f"another aligner batch or merge is running on {what}; wait for it to "
                                           "finish, or write to another folder") from None
        yield
    finally:
        for fd in handles:
            os.close(fd)   # closing releases the lock


def job_epoch(out_dir: str) -> int:
    """The TMX creationdate of this output folder: SOURCE_DATE_EPOCH when set, else when the job first started.

    Kept in OUT/batch.json, so documents aligned by a resumed run carry the same date as the ones before the kill
    and every file of the job agrees; it reaches every writer in WriteOptions.created. A malformed
    SOURCE_DATE_EPOCH is an error before any pair is aligned.
    """
    from aligner.write.tmx import parse_epoch

    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw:
        return parse_epoch(raw)
    path = os.path.join(out_dir, "batch.json")
    if not os.path.exists(path):
        # Created with link(): atomic and exclusive, so concurrent array tasks agree on one date.
        fd, tmp = tempfile.mkstemp(prefix=".batch.json.", dir=out_dir)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"source_date_epoch": int(time.time())}, handle)
            handle.write("\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    try:
        with open(path, encoding="utf-8") as handle:
            return int(json.load(handle)["source_date_epoch"])
    except (OSError, ValueError, KeyError, TypeError):
        return int(time.time())  # damaged: this run's own clock
