"""Output formats: TMX 1.4 for translation tools, TSV and JSONL for people and scripts, bead files for evaluation.

One module per format (tmx.py, tsv.py, jsonl.py, beads.py) renders bytes; this module picks one, writes it
atomically (temporary file + rename, ``-`` for stdout) and reports what the TMX had to leave out.
See docs/formats.md.
"""
from __future__ import annotations

import contextlib
import errno
import logging
import os
from dataclasses import dataclass
from typing import Optional

from aligner.errors import OutputError
from aligner.fsutil import atomic_open, hold_stop_signals, release_stop_signals
from aligner.model import Alignment
from aligner.write.beads import read_beads, render_beads
from aligner.write.fields import describe_null, document_name
from aligner.write.jsonl import render_jsonl
from aligner.write.tmx import creation_date, parse_epoch, render_tmx, skipped_beads, tuid, validate_tmx
from aligner.write.tsv import render_tsv

__all__ = ["FORMATS", "WriteOptions", "render", "render_many", "write_alignment", "validate_tmx", "read_beads",
           "mt_path", "skipped_beads", "creation_date", "parse_epoch", "tuid"]

log = logging.getLogger("aligner")

FORMATS = ("tmx", "tsv", "jsonl", "beads")


@dataclass(frozen=True)
class WriteOptions:
    src_lang: str = "ru-RU"         # xml:lang of the Russian variants and the header's srclang
    tgt_lang: str = "en-GB"
    # TMX only: MT-filled units go to OUT.mt.tmx, never into OUT, the file translators trust (docs/mt.md). False
    # puts them in OUT, marked as MT, which CAT tools do not act on.
    mt_separate: bool = True
    # TMX creationdate, seconds since 1970 (UTC); None: none written. Chosen by the caller (SOURCE_DATE_EPOCH or
    # the run's start: aligner.resources.run_epoch), so that the same alignment always gives the same bytes.
    created: Optional[int] = None
    signatures: tuple[str, ...] = ()  # TMX only: signatures for the header besides the alignments' own (merged)


def render(alignment: Alignment, fmt: str, options: WriteOptions = WriteOptions()) -> bytes:
    """One alignment as ``fmt``; with ``mt_separate`` the TMX holds only the human units."""
    if fmt == "beads":
        return render_beads(alignment)
    return render_many([alignment], fmt, options)


def render_many(alignments: list[Alignment], fmt: str, options: WriteOptions = WriteOptions()) -> bytes:
    """Several documents in one TMX, TSV or JSONL (merged batch shards); a bead file holds one document only."""
    if fmt == "tmx":
        return render_tmx(alignments, options.src_lang, options.tgt_lang,
                          units="human" if options.mt_separate else "all", created=options.created,
                          signatures=options.signatures)
    if fmt == "tsv":
        return render_tsv(alignments)
    if fmt == "jsonl":
        return render_jsonl(alignments)
    if fmt == "beads":
        if len(alignments) != 1:
            raise ValueError("a bead file holds one document: its indices would be ambiguous across several")
        return render_beads(alignments[0])
    raise ValueError(f"unknown output format {fmt!r}: choose one of {', '.join(FORMATS)}")


def render_mt(alignments: list[Alignment], options: WriteOptions = WriteOptions()) -> bytes:
    """The TMX of only the MT-filled units (the OUT.mt.tmx of ``mt_separate``)."""
    return render_tmx(alignments, options.src_lang, options.tgt_lang, units="mt", created=options.created,
                      signatures=options.signatures)


def mt_path(path: str) -> str:
    """Where ``mt_separate`` puts the MT units: out.tmx → out.mt.tmx, anything else gets .mt.tmx appended."""
    return path[:-4] + ".mt.tmx" if path.lower().endswith(".tmx") else path + ".mt.tmx"


def write_alignment(alignment: Alignment, path: str, fmt: str,
                    options: WriteOptions = WriteOptions(), extra: tuple[tuple[str, bytes], ...] = ()) -> list[str]:
    """Write ``alignment`` to ``path`` (``-``: stdout) and return the paths written.

    Everything is rendered before any file is opened, and each file is written under a temporary name and renamed,
    so a failure leaves no partial output. ``extra`` are more ``(path, bytes)`` written in the same step (the
    review page): all files are renamed into place only once every one is complete. A TMX on stdout cannot have
    its ``.mt.tmx`` companion: its MT-filled units are left out (WARNING). Beads with an empty side are logged
    (WARNING), one line each.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r}: choose one of {', '.join(FORMATS)}")
    separate = options.mt_separate and fmt == "tmx"
    outputs = [(path, render(alignment, fmt, options))]
    if separate and path == "-":
        left_out = len(alignment_mt_units(alignment))
        if left_out:
            log.warning("%s: %d machine-translated unit%s left out of the TMX on stdout (MT never goes into the "
                        "main TMX; write to a file to get them in FILE.mt.tmx, or pass --mt-inline)",
                        document_name(alignment), left_out, "" if left_out == 1 else "s")
    elif separate:
        outputs.append((mt_path(path), render_mt([alignment], options)))
    if fmt == "tmx":
        for _, data in outputs:
            try:
                validate_tmx(data)
            except ValueError as exc:  # a bug in this module, never the user's input: say so before writing
                raise RuntimeError(f"the TMX written for {path} would be invalid: {exc}") from None

    outputs += list(extra)
    # Nested: a failure while opening, writing or syncing any file removes every temporary file, and the renames
    # happen only once all are on disk. Each step goes main output first and names the file it failed on (the
    # innermost atomic_open would otherwise be the first to see, and name, an error of another file).
    with contextlib.ExitStack() as stack:
        # Ctrl-C or SIGTERM between two renames would leave one new file beside one old one: from the last fsync
        # to the last rename the stop signals are held (registered first, this release runs after every rename).
        held: list = []
        stack.callback(lambda: held and release_stop_signals(held[0]))
        handles = [stack.enter_context(atomic_open(p, "wb")) for p, _ in outputs]
        for handle, (name, data) in zip(handles, outputs):
            try:
                handle.write(data)
                if name != "-":   # stdout is flushed by atomic_open, and may be no file at all
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError as exc:
                reason = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
                raise OutputError(name, f"cannot write: {reason}") from None
        held.append(hold_stop_signals())
    _log_nulls(alignment, fmt)  # after the write: a failed run shows its error, not a list of beads
    return [p for p, _ in outputs]


def alignment_mt_units(alignment: Alignment) -> list:
    """The beads that become MT-filled TMX units."""
    from aligner.write.tmx import unit_kind
    return [bead for bead in alignment.beads if unit_kind(alignment, bead) == "MT"]


def _log_nulls(alignment: Alignment, fmt: str) -> None:
    nulls = skipped_beads(alignment)
    for bead in nulls:
        log.warning("%s", describe_null(alignment, bead))
    if nulls:
        where = "not written to the TMX" if fmt == "tmx" else f"kept in the {fmt} output with one side empty"
        log.warning("%s: %d bead%s with an empty side %s", document_name(alignment), len(nulls),
                    "" if len(nulls) == 1 else "s", where)
