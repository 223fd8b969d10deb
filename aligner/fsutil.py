"""Atomic writes: a temporary file in the same folder, renamed into place.

An interrupted run leaves either the old file or the complete new one, never a partial file.
"""
from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
from typing import IO, Iterator

from aligner.errors import OutputError


@contextlib.contextmanager
def atomic_open(path: str, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open ``path`` for writing through a temporary sibling; ``-`` writes to stdout directly."""
    if path == "-":
        stream = sys.stdout.buffer if "b" in mode else sys.stdout
        yield stream
        stream.flush()
        return
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise OutputError(path, "cannot write: folder does not exist")
    if os.path.isdir(path):
        raise OutputError(path, "cannot write: is a directory")
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(path, f"cannot write: {exc.strerror or exc}") from None
    try:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            reason = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
            raise OutputError(path, f"cannot write: {reason}") from None
        raise


def write_text(path: str, text: str) -> None:
    with atomic_open(path, "w") as handle:
        handle.write(text)


def write_bytes(path: str, data: bytes) -> None:
    with atomic_open(path, "wb") as handle:
        handle.write(data)


def remove_leftovers(path: str) -> None:
    """Delete the temporary files a writer of ``path`` left when it was killed (``kill -9`` cannot clean up).

    Only for a path this process alone writes (a batch document and its markers): a temporary file of another
    live writer of the same path would go too.
    """
    folder, name = os.path.split(os.path.abspath(path))
    prefix = "." + name + "."
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        # mkstemp's names: the prefix, 8 random characters, the suffix
        if entry.startswith(prefix) and entry.endswith(".tmp") and len(entry) == len(prefix) + 8 + 4:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, entry))
