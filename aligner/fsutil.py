"""Atomic writes: a temporary file in the same folder, renamed into place.

An interrupted run leaves either the old file or the complete new one, never a partial file.
"""
from __future__ import annotations

import contextlib
import errno
import os
import stat
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


# -- reading: one guard for every file the tool reads -----------------------------------------------------------

# A statement is tens of kilobytes and an MFA page well under a megabyte; anything this big is not one. The same
# bound holds for every secondary input (an --mt file, a manifest, score --ref/--hyp, bead files).
MAX_INPUT_BYTES = 50 * 1024 * 1024


def read_input(path: str, limit: int = MAX_INPUT_BYTES, what: str = "") -> bytes:
    """The bytes of the regular file ``path``, or an InputError saying in plain words why they cannot be had.

    The file is opened non-blocking and checked on the open descriptor (``fstat``), so a FIFO, a device
    (/dev/zero) or a path swapped for one after a check is refused without a byte read or a wait; at most
    ``limit`` bytes are ever read, whatever the file claims its size is. ``what`` ("MT file", "manifest") is put
    before the problem when given.
    """
    from aligner.errors import InputError

    prefix = f"{what}: " if what else ""

    def refuse(problem: str) -> InputError:
        return InputError(path, prefix + problem)

    flags = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        handle = open(path, "rb", buffering=0, opener=lambda p, f: os.open(p, f | flags))
    except FileNotFoundError:
        raise refuse("no such file") from None
    except NotADirectoryError:
        raise refuse("no such file (a part of the path is not a folder)") from None
    except IsADirectoryError:
        raise refuse("is a directory, not a file") from None
    except PermissionError:
        raise refuse("permission denied (cannot read the file)") from None
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror or exc}") from None
    with handle:
        try:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise refuse("is a directory, not a file")
            if not stat.S_ISREG(info.st_mode):
                # A FIFO would block, a device such as /dev/zero never ends.
                raise refuse("not a regular file")
            if info.st_size > limit:
                raise refuse(_too_large(info.st_size, limit, what))
            chunks, total = [], 0
            while True:
                chunk = handle.read(min(1 << 20, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:   # grew while being read
                    raise refuse(_too_large(total, limit, what))
            return b"".join(chunks)
        except IsADirectoryError:
            raise refuse("is a directory, not a file") from None
        except OSError as exc:
            raise refuse(f"cannot read: {exc.strerror or exc}") from None


def _too_large(size: int, limit: int, what: str) -> str:
    mb = 1024 * 1024
    sizes = f"{size // mb} MB; the limit is {limit // mb} MB" if limit >= mb else \
        f"{size} bytes; the limit is {limit} bytes"
    return f"too large ({sizes})" if what else f"too large for a statement ({sizes})"
