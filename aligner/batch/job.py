"""The unit of work: one pair in, one TMX and one marker out. The same function runs in a local worker process
and on a Dask worker, so both produce the same bytes.

Layout of an output folder::

    OUT/docs/NAME.tmx        the pair's TMX (NAME.mt.tmx beside it with --mt-separate)
    OUT/done/NAME.json       written last, after the TMX: the pair's metrics and the key of what produced them
    OUT/failed/NAME.json     instead of done/, when the pair could not be aligned: the one-line reason

A pair counts as done when its marker exists, its key matches (same input bytes, same options, same aligner
version) and its TMX files are the very bytes the marker records (their SHA-256): a truncated, edited or
replaced document is aligned again, never served or merged. Every file is written through a temporary name and
renamed, so a kill leaves a complete file or none.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any, Callable, Optional, Union

from aligner import __version__
from aligner.errors import AlignerError, ModelError, OutputError
from aligner.fsutil import remove_leftovers, write_bytes, write_text
from aligner.batch.pairing import Pair

# Options that change how fast a pair is aligned but never its output: not part of the key.
_SPEED_ONLY = ("mt_threads", "mt_cache")


@dataclass(frozen=True)
class JobSettings:
    """Everything run_one needs besides the pair; small and picklable (it travels to every worker)."""
    options: Any                    # aligner.pipeline.AlignOptions
    out_dir: str
    mt_separate: bool = False
    align_fn: Optional[Callable] = None  # tests inject a stub here; None: aligner.pipeline.align_files
    # Folder the pairs' relative paths are relative to: the driver's working folder, which a Dask worker
    # elsewhere does not share. Messages still name files as the user did.
    base: str = ""
    # The job's TMX creationdate (seconds since 1970), the same in every worker and every resumed run.
    epoch: Optional[int] = None


_worker_resources = None


def worker_resources():
    """This worker process's models (aligner.resources.Resources), made from its environment at the first pair and
    kept for every pair after it: a local pool worker and a Dask worker each load a model once."""
    global _worker_resources
    if _worker_resources is None:
        from aligner.resources import Resources
        _worker_resources = Resources.from_env()
    return _worker_resources


def options_fingerprint(options: Any, mt_separate: bool, signature: Optional[str] = None) -> dict:
    """What decides the output: the options and the planned alignment signature (aligner.signature, which names
    the installed models); recorded in summary.json and in each marker's key."""
    data = {k: v for k, v in asdict(options).items() if k not in _SPEED_ONLY}
    data["signals"] = list(data["signals"]) if data.get("signals") is not None else None
    data["mt_separate"] = mt_separate
    if signature is not None:
        data["signature"] = signature
    return dict(sorted(data.items()))  # sorted: it also travels through JSON shard records


def pair_key(pair: Pair, fingerprint: Union[dict, str], read_path: Callable[[str], str] = lambda p: p) -> str:
    """Hash of the inputs' bytes, the options and the version: a marker with another key is stale.

    ``fingerprint`` is everything besides the inputs that decides the output: the options dict above, or any
    string standing for it (an alignment signature naming the signals, the models, the version); it is hashed
    as given.
    """
    digest = hashlib.sha256()
    digest.update(json.dumps({"options": fingerprint, "version": __version__, "name": pair.name},
                             sort_keys=True).encode())
    for path in (pair.ru, pair.en):
        digest.update(b"\0")
        try:
            with open(read_path(path), "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        except OSError as exc:  # missing or unreadable: the pair fails when aligned, and is retried next run
            digest.update(f"unreadable:{exc.errno}".encode())
    return digest.hexdigest()


def doc_paths(out_dir: str, name: str, mt_separate: bool) -> list[str]:
    tmx = os.path.join(out_dir, "docs", *name.split("/")) + ".tmx"
    return [tmx, tmx[:-4] + ".mt.tmx"] if mt_separate else [tmx]


def marker_path(out_dir: str, kind: str, name: str) -> str:
    return os.path.join(out_dir, kind, *name.split("/")) + ".json"


def read_marker(out_dir: str, kind: str, name: str) -> Optional[dict]:
    try:
        with open(marker_path(out_dir, kind, name), encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):  # absent, or not ours: treat as not done
        return None


def is_done(out_dir: str, pair: Pair, key: str, mt_separate: bool) -> bool:
    """The marker's key matches and every document file is complete: the bytes the marker records."""
    marker = read_marker(out_dir, "done", pair.name)
    return marker is not None and marker.get("key") == key and \
        outputs_problem(out_dir, pair.name, marker, mt_separate) is None


def file_digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def outputs_problem(out_dir: str, name: str, marker: dict, mt_separate: bool) -> Optional[str]:
    """Why the document files of a done marker cannot be used as they are (missing, not a regular file, not the
    bytes the marker records: truncated, edited or replaced), or None when they can."""
    recorded = marker.get("outputs")
    if not isinstance(recorded, dict):
        return "its done marker records no checksums (written by an older aligner, or edited)"
    for path in doc_paths(out_dir, name, mt_separate):
        base = os.path.basename(path)
        if os.path.islink(path) or not os.path.isfile(path):
            return f"{base} is missing or not a regular file"
        try:
            digest = file_digest(path)
        except OSError as exc:
            return f"{base} cannot be read: {exc.strerror or exc}"
        if recorded.get(base) != digest:
            return f"{base} is not the file aligner wrote (truncated or changed since: its checksum differs)"
    return None


def run_one(pair: Pair, settings: JobSettings, key: str = "", resources=None) -> dict:
    """Align one pair and write its TMX, then its marker; return the marker's content.

    A problem with the pair's input (any AlignerError but a model or output problem, or a bug the input
    triggered) is recorded in OUT/failed/NAME.json and returned as ``{"name", "error", ...}``: one broken
    pair must not stop a corpus. Model and output problems concern every pair, so they stop the batch.
    """
    from aligner.write import WriteOptions, render, render_mt, validate_tmx

    options, out_dir = settings.options, settings.out_dir
    started = time.perf_counter()
    align_fn = settings.align_fn
    if align_fn is None:
        from aligner.pipeline import align_files

        def align_fn(ru, en, options):   # resources: the driver's (--jobs 1), else this worker process's own
            return align_files(ru, en, options, resources=resources or worker_resources())
    ru, en = (os.path.join(settings.base, p) for p in (pair.ru, pair.en))
    # A run killed mid-write (kill -9, a node lost) left temporary files beside this document's outputs.
    for path in [*doc_paths(out_dir, pair.name, settings.mt_separate),
                 marker_path(out_dir, "done", pair.name), marker_path(out_dir, "failed", pair.name)]:
        remove_leftovers(path)
    try:
        alignment = align_fn(ru, en, options)
        # The batch name, not the page's number: unique in the corpus, so tuids never collide in merged files.
        alignment.name = pair.name
        wopts = WriteOptions(src_lang=options.src_lang, tgt_lang=options.tgt_lang, mt_separate=settings.mt_separate,
                             created=settings.epoch)
        outputs = [render(alignment, "tmx", wopts)]
        if settings.mt_separate:
            outputs.append(render_mt([alignment], wopts))
        for data in outputs:
            validate_tmx(data)
    except (ModelError, OutputError):
        raise
    except AlignerError as exc:
        return _failed(pair, settings, key, _as_named(exc, {ru: pair.ru, en: pair.en}), exc.exit_code)
    except Exception as exc:  # noqa: BLE001 — a bug met on one input; the rest of the corpus still runs
        detail = " ".join(str(exc).split())[:300]  # one line, whatever the exception carried
        return _failed(pair, settings, key, f"{pair.ru}: internal error: {type(exc).__name__}: {detail}", 70)

    for path, data in zip(doc_paths(out_dir, pair.name, settings.mt_separate), outputs):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_bytes(path, data)
    metrics = document_metrics(pair, alignment)
    metrics["units"] = count_units(outputs[0])
    metrics["seconds"] = round(time.perf_counter() - started, 3)
    # The written bytes' checksums: resume and merge serve a document only while its files are exactly these.
    checksums = {os.path.basename(path): hashlib.sha256(data).hexdigest()
                 for path, data in zip(doc_paths(out_dir, pair.name, settings.mt_separate), outputs)}
    record = {"metrics": metrics, "key": key, "outputs": checksums}
    _write_marker(out_dir, "done", pair.name, record)
    _remove(marker_path(out_dir, "failed", pair.name))
    return record


def _as_named(exc: AlignerError, opened_as: dict) -> str:
    """The error's one line, naming the file as the user named it (a worker may have opened it by another path)."""
    if exc.path in opened_as:
        return AlignerError(opened_as[exc.path], exc.problem).message
    return exc.message


def _failed(pair: Pair, settings: JobSettings, key: str, message: str, exit_code: int) -> dict:
    record = {"name": pair.name, "ru": pair.ru, "en": pair.en, "error": message, "exit_code": exit_code, "key": key}
    _write_marker(settings.out_dir, "failed", pair.name, record)
    _remove(marker_path(settings.out_dir, "done", pair.name))
    for path in doc_paths(settings.out_dir, pair.name, settings.mt_separate):
        _remove(path)  # a TMX from an earlier run of different input must not be merged as if current
    return record


def _write_marker(out_dir: str, kind: str, name: str, record: dict) -> None:
    path = marker_path(out_dir, kind, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    write_text(path, json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def document_metrics(pair: Pair, alignment) -> dict:
    """One metrics.jsonl line (without ``units`` and ``seconds``, which run_one adds)."""
    beads = alignment.beads
    kinds = Counter(b.kind for b in beads)
    flags = Counter(f for b in beads for f in b.flags)
    scores = [float(b.score) for b in beads if b.src and b.tgt]
    return {
        "name": pair.name,
        "ru": pair.ru,
        "en": pair.en,
        "pairing": pair.how,
        "number": alignment.src.number or alignment.tgt.number,
        "sentences": {"ru": len(alignment.src.sentences or []), "en": len(alignment.tgt.sentences or [])},
        "beads": len(beads),
        "bead_kinds": dict(sorted(kinds.items())),
        # Over beads with both sides: a null bead's score says how sure the aligner is of an omission,
        # which is another quantity.
        "mean_confidence": round(sum(scores) / len(scores), 4) if scores else None,
        "mt_segments": sum(1 for b in beads if b.origin == "MT"),
        "flagged_beads": sum(1 for b in beads if b.flags),
        "flags": dict(sorted(flags.items())),
        "signals": list(alignment.signals),
        "signature": str(alignment.signature) if getattr(alignment, "signature", None) is not None else None,
    }


def count_units(tmx: bytes) -> int:
    """<tu> elements in a TMX from aligner.write: one per line starting ``<tu `` at body depth."""
    return tmx.count(b"\n    <tu ")


def run_measured(pair: Pair, settings: JobSettings, key: str = "", resources=None) -> tuple[dict, int, int]:
    """run_one, plus the worker's process id and peak resident memory in KiB (for the benchmark and -v)."""
    try:
        record = run_one(pair, settings, key, resources)
    except AlignerError as exc:
        # AlignerError does not survive pickling (its constructor takes two arguments): travel as data.
        record = {"fatal": {"path": exc.path, "problem": exc.problem, "exit_code": exc.exit_code,
                            "class": type(exc).__name__}}
    return record, os.getpid(), peak_rss_kib()


def raise_fatal(record: dict) -> None:
    """In the driver: raise the model or output error a worker met (see run_measured)."""
    fatal = record.get("fatal")
    if fatal:
        import aligner.errors
        cls = getattr(aligner.errors, fatal["class"], AlignerError)
        cls = cls if isinstance(cls, type) and issubclass(cls, AlignerError) else AlignerError
        error = cls(fatal["path"], fatal["problem"])
        error.exit_code = fatal["exit_code"]
        raise error


def peak_rss_kib() -> int:
    try:
        import resource
    except ImportError:  # not on Unix
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS counts bytes, Linux KiB
