"""The corpus-level files, rebuilt from the per-document markers at the end of every run and by ``aligner merge``.

Nothing here depends on the order documents finished in, on which worker or shard aligned them, or on whether the
run was resumed: documents are taken in name order from OUT/done and OUT/failed. So one run, a resumed run, a Dask
run and merged array-job shards all write the same bytes:

    OUT/merged/corpus-00000.tmx …   every document's units, split into files of at most --shard-size units
                                    (a document is never split; one larger than the size gets a file of its own)
    OUT/metrics.jsonl               one line per pair, in name order (``seconds`` is the one field that varies)
    OUT/summary.json                counts, totals, the failed pairs with their reasons, the unpaired files

Merged files are spliced from the documents' TMX files rather than rendered again, so merging needs no alignment
in memory and its memory use does not grow with the corpus.
"""
from __future__ import annotations

import glob
import json
import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Optional

from aligner import __version__
from aligner.errors import InputError, OutputError
from aligner.fsutil import atomic_open, write_text
from aligner.batch.job import doc_paths, marker_path, outputs_problem, read_marker
from aligner.batch.pairing import Pair, Unpaired, name_problem

BODY_OPEN, BODY_CLOSE, EMPTY_BODY = b"  <body>\n", b"  </body>\n</tmx>\n", b"  <body/>\n</tmx>\n"
MERGED_NAME = "corpus-{:05d}"
_MERGED_FILE = re.compile(r"^corpus-\d{5}(\.mt)?\.tmx$")


@dataclass(frozen=True)
class Layout:
    """How the corpus-level files are written: recorded in each shard record, so ``merge`` needs no options."""
    shard_size: int = 10000
    mt_separate: bool = False
    src_lang: str = "ru-RU"
    tgt_lang: str = "en-GB"


def finalize(out_dir: str, pairs: list[Pair], unpaired: list[Unpaired], fingerprint: dict,
             layout: Layout, created: Optional[int] = None) -> dict:
    """Write merged/, metrics.jsonl and summary.json from the markers of ``pairs``; return the summary.

    ``created``: the merged TMX files' creationdate (seconds since 1970); the batch's signature is in their header.

    Every pair must have a done or a failed marker (a pair with neither was never run: an interrupted run, or a
    missing shard), else InputError naming how many are missing.
    """
    pairs = sorted(pairs, key=lambda p: p.name)
    missing = [p.name for p in pairs if read_marker(out_dir, "done", p.name) is None
               and read_marker(out_dir, "failed", p.name) is None]
    if missing:
        raise InputError(out_dir, f"{len(missing)} of {len(pairs)} pairs have no result yet "
                                  f"(first: {missing[0]}): run the batch (or the missing shards) again")
    for pair in pairs:
        _check_done(out_dir, pair, layout.mt_separate)
    merged = _write_merged(out_dir, pairs, layout, created, fingerprint.get("signature"))

    totals = _Totals()
    failed = []
    with atomic_open(os.path.join(out_dir, "metrics.jsonl"), "w") as handle:
        for pair in pairs:
            done = read_marker(out_dir, "done", pair.name)
            if done is not None:
                line = done["metrics"]
                totals.add(line)
            else:
                bad = read_marker(out_dir, "failed", pair.name) or {}
                line = {"name": pair.name, "ru": pair.ru, "en": pair.en, "pairing": pair.how,
                        "error": bad.get("error", "failed")}
                failed.append({"name": pair.name, "ru": pair.ru, "en": pair.en, "error": line["error"]})
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")

    summary = {
        "aligner": __version__,
        "pairs": len(pairs),
        "aligned": len(pairs) - len(failed),
        "failed": len(failed),
        "unpaired": len(unpaired),
        "totals": totals.as_dict(),
        "merged": merged,
        "shard_size": layout.shard_size,
        "options": fingerprint,
        "failed_pairs": failed,
        "unpaired_files": [{"path": u.path, "reason": u.reason} for u in unpaired],
    }
    write_text(os.path.join(out_dir, "summary.json"), json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    return summary


_METRIC_FIELDS = {"sentences": dict, "beads": int, "bead_kinds": dict, "mt_segments": int, "flagged_beads": int,
                  "flags": dict}


def _check_done(out_dir: str, pair: Pair, mt_separate: bool) -> None:
    """A done document is merged only as aligner wrote it: its marker well-formed, its TMX files the very bytes
    the marker records. Anything else (a truncated copy, a hand-edited file) is refused, never spliced."""
    done = read_marker(out_dir, "done", pair.name)
    if done is None:
        return
    path = marker_path(out_dir, "done", pair.name)
    metrics = done.get("metrics") if isinstance(done, dict) else None
    if not isinstance(metrics, dict) or any(not isinstance(metrics.get(k), t) for k, t in _METRIC_FIELDS.items()) \
            or not isinstance(metrics.get("units", 0), int):
        raise InputError(path, "damaged done marker (not the metrics aligner writes); rerun the batch to align "
                               f"{pair.name!r} again")
    problem = outputs_problem(out_dir, pair.name, done, mt_separate)
    if problem:
        raise InputError(doc_paths(out_dir, pair.name, mt_separate)[0],
                         f"refusing to merge document {pair.name!r}: {problem}; rerun the batch (or its shard) "
                         "to align it again")


class _Totals:
    def __init__(self) -> None:
        self.ru = self.en = self.beads = self.units = self.mt = self.flagged = 0
        self.kinds: Counter = Counter()
        self.flags: Counter = Counter()
        self.score_sum = 0.0
        self.scored = 0

    def add(self, m: dict) -> None:
        self.ru += m["sentences"]["ru"]
        self.en += m["sentences"]["en"]
        self.beads += m["beads"]
        self.units += m.get("units", 0)
        self.mt += m["mt_segments"]
        self.flagged += m["flagged_beads"]
        self.kinds.update(m["bead_kinds"])
        self.flags.update(m["flags"])
        both = sum(n for kind, n in m["bead_kinds"].items() if "0" not in kind.split("-"))
        if m.get("mean_confidence") is not None and both:
            self.score_sum += m["mean_confidence"] * both
            self.scored += both

    def as_dict(self) -> dict:
        return {
            "sentences": {"ru": self.ru, "en": self.en},
            "beads": self.beads,
            "bead_kinds": dict(sorted(self.kinds.items())),
            "units": self.units,
            "mean_confidence": round(self.score_sum / self.scored, 4) if self.scored else None,
            "mt_segments": self.mt,
            "flagged_beads": self.flagged,
            "flags": dict(sorted(self.flags.items())),
        }


# -- merged TMX ----------------------------------------------------------------------------------------------

def _write_merged(out_dir: str, pairs: list[Pair], layout: Layout, created: Optional[int] = None,
                  signature: Optional[str] = None) -> list[str]:
    """Splice the documents' <tu> elements into files of at most ``shard_size`` units; return their OUT paths."""
    from aligner.write import WriteOptions, render_many

    folder = os.path.join(out_dir, "merged")
    os.makedirs(folder, exist_ok=True)
    empty = render_many([], "tmx", WriteOptions(layout.src_lang, layout.tgt_lang, layout.mt_separate, created=created,
                                                signatures=(signature,) if signature else ()))
    if not empty.endswith(EMPTY_BODY):
        raise RuntimeError("aligner.write's TMX layout changed: batch merging must be updated with it")
    head = empty[: -len(EMPTY_BODY)]

    groups: list[list[Pair]] = [[]]
    size = 0
    for pair in pairs:
        done = read_marker(out_dir, "done", pair.name)
        if done is None:
            continue
        units = done["metrics"].get("units", 0)
        if groups[-1] and size + units > layout.shard_size:
            groups.append([])
            size = 0
        groups[-1].append(pair)
        size += units

    written = []
    for number, group in enumerate(groups):
        variants = [0, 1] if layout.mt_separate else [0]
        for variant in variants:
            name = MERGED_NAME.format(number) + (".mt.tmx" if variant else ".tmx")
            with atomic_open(os.path.join(folder, name), "wb") as handle:
                bodies = (_body(doc_paths(out_dir, p.name, layout.mt_separate)[variant]) for p in group)
                _write_spliced(handle, head, bodies)
            written.append(f"merged/{name}")
    for stale in os.listdir(folder):  # from an earlier run that needed more files
        if _MERGED_FILE.match(stale) and f"merged/{stale}" not in written:
            os.unlink(os.path.join(folder, stale))
    return written


def _write_spliced(handle, head: bytes, bodies: Iterable[bytes]) -> None:
    opened = False
    for body in bodies:
        if not body:
            continue
        if not opened:
            handle.write(head + BODY_OPEN)
            opened = True
        handle.write(body)
    handle.write(BODY_CLOSE if opened else head + EMPTY_BODY)


def _body(path: str) -> bytes:
    """The <tu> lines of one document's TMX, exactly as written (a document without units has ``<body/>``)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise InputError(path, f"cannot read a document's TMX: {exc.strerror or exc}") from None
    start = data.find(BODY_OPEN)
    if start < 0:
        if data.endswith(EMPTY_BODY):
            return b""
        raise InputError(path, "not a TMX written by aligner (no <body>)")
    end = data.rfind(BODY_CLOSE)
    return data[start + len(BODY_OPEN): end]


# -- array-job shards ----------------------------------------------------------------------------------------

def shard_record_path(out_dir: str, index: int, count: int) -> str:
    return os.path.join(out_dir, "shards", f"shard-{index:05d}-of-{count:05d}.json")


def write_shard_record(out_dir: str, index: int, count: int, pairs: list[Pair], unpaired: list[Unpaired],
                       fingerprint: dict, layout: Layout) -> str:
    """What one array task did, so ``merge`` can rebuild the corpus files without the corpus or the options."""
    path = shard_record_path(out_dir, index, count)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    record = {
        "index": index, "count": count, "options": fingerprint, "layout": layout.__dict__,
        "pairs": [[p.name, p.ru, p.en, p.how] for p in pairs],
        "unpaired": [[u.path, u.reason] for u in unpaired],
    }
    write_text(path, json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    return path


def merge_outputs(sources: list[str], out_dir: Optional[str] = None, shard_size: Optional[int] = None,
                  created: Optional[int] = None) -> dict:
    """Combine the outputs of array-job shards into the files one run would have written; return the summary.

    ``sources`` are output folders holding OUT/shards/*.json records (all shards in one folder, or one folder
    per shard). With ``out_dir`` (else the single source folder) the documents are copied there first.
    ``created``: the merged TMX files' creationdate (seconds since 1970); None: the job's own (SOURCE_DATE_EPOCH,
    else the date the first folder's batch.json keeps), so that merged shards equal one run.
    """
    if out_dir is None:
        if len(sources) != 1:
            raise InputError(None, "several shard folders: give the output folder with -o")
        out_dir = sources[0]
    records: dict[int, dict] = {}
    where: dict[str, str] = {}  # pair name → the folder holding its result
    count = None
    for source in sources:
        found = sorted(glob.glob(os.path.join(source, "shards", "shard-*-of-*.json")))
        if not found:
            raise InputError(source, "no shard records (OUT/shards/shard-*.json): not a sharded batch output")
        for path in found:
            try:
                with open(path, encoding="utf-8") as handle:
                    record = json.load(handle)
            except (OSError, ValueError, RecursionError) as exc:
                raise InputError(path, f"unreadable shard record (truncated or damaged): {exc}") from None
            _check_record(path, record)
            if count is None:
                count, first = record["count"], record
            elif record["count"] != count:
                raise InputError(path, f"from a run with {record['count']} shards, others have {count}")
            elif record["options"] != first["options"] or record["layout"] != first["layout"]:
                raise InputError(path, "from a run with other options than the other shards")
            if record["index"] in records:
                raise InputError(path, f"a second record for shard {record['index']}")
            records[record["index"]] = record
            for name, *_ in record["pairs"]:
                if name in where:
                    raise InputError(path, f"pair {name!r} is in two shard records")
                where[name] = source
    assert count is not None
    absent = [i for i in range(count) if i not in records]
    if absent:
        raise InputError(sources[0], f"shards missing: {', '.join(map(str, absent[:10]))} of 0..{count - 1}; "
                                     "run them before merging")

    layout = Layout(**first["layout"])
    if shard_size is not None:
        layout = Layout(shard_size, layout.mt_separate, layout.src_lang, layout.tgt_lang)
    pairs = sorted((Pair(*row) for r in records.values() for row in r["pairs"]), key=lambda p: p.name)
    unpaired = sorted({Unpaired(*row) for r in records.values() for row in r["unpaired"]}, key=lambda u: u.path)
    from aligner.batch import output_lock

    with output_lock(out_dir):
        for pair in pairs:
            _copy_result(where[pair.name], out_dir, pair, layout.mt_separate)
        if created is None:
            from aligner.batch import job_epoch
            created = job_epoch(sources[0])
        return finalize(out_dir, pairs, unpaired, first["options"], layout, created=created)


def _check_record(path: str, record) -> None:
    """A shard record is data from disk, not something this process just wrote: every field is checked before
    a pair name in it becomes a path (``../x`` would write outside the output folder)."""
    def bad(problem: str) -> InputError:
        return InputError(path, f"damaged or tampered shard record: {problem}")

    if not isinstance(record, dict):
        raise bad("not a JSON object")
    for key in ("index", "count"):
        if not isinstance(record.get(key), int) or isinstance(record.get(key), bool):
            raise bad(f"{key!r} is not a number")
    if not 0 <= record["index"] < record["count"]:
        raise bad(f"shard index {record['index']} is not in 0..{record['count'] - 1}")
    layout = record.get("layout")
    fields = {"shard_size": int, "mt_separate": bool, "src_lang": str, "tgt_lang": str}
    if not isinstance(layout, dict) or set(layout) != set(fields) or \
            any(not isinstance(layout[k], t) for k, t in fields.items()) or layout["shard_size"] < 1:
        raise bad("'layout' is not the one aligner writes")
    if not isinstance(record.get("options"), (dict, str)):
        raise bad("'options' is missing")
    for key, width in (("pairs", 4), ("unpaired", 2)):
        rows = record.get(key)
        if not isinstance(rows, list) or any(not isinstance(row, list) or len(row) != width
                                             or not all(isinstance(c, str) for c in row) for row in rows):
            raise bad(f"{key!r} is not a list of {width} strings per row")
    for name, *_ in record["pairs"]:
        problem = name_problem(name)
        if problem:
            raise bad(f"pair name {name!r} {problem}")


def _copy_result(source: str, out_dir: str, pair: Pair, mt_separate: bool) -> None:
    if os.path.realpath(source) == os.path.realpath(out_dir):
        return
    files = [marker_path(source, "done", pair.name), marker_path(source, "failed", pair.name)]
    files += doc_paths(source, pair.name, mt_separate)
    for path in files:
        if not os.path.exists(path):
            continue
        target = os.path.join(out_dir, os.path.relpath(path, source))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            with open(path, "rb") as src, atomic_open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
        except OSError as exc:
            raise OutputError(target, f"cannot copy: {exc.strerror or exc}") from None
