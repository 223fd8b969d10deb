"""Atomic writes: a temporary file in the same folder, renamed into place.

An interrupted run leaves either the old file or the complete new one, never a partial file.
"""
from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import sys
import tempfile
import threading
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
    _refuse_special(path)
    # Ctrl-C and SIGTERM are held while the temporary file comes into being and while it is renamed: a signal
    # landing between mkstemp and the try below, or between the rename and its bookkeeping, would otherwise leave
    # the temporary file behind. Held, it is delivered inside the try, whose cleanup removes the file.
    held = hold_stop_signals()
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    except OSError as exc:
        release_stop_signals(held)
        raise OutputError(path, f"cannot write: {exc.strerror or exc}") from None
    try:
        release_stop_signals(held)
        held = None
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        held = hold_stop_signals()
        os.chmod(tmp, 0o666 & ~current_umask())   # mkstemp makes 0600; a new file's usual mode instead
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            reason = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
            raise OutputError(path, f"cannot write: {reason}") from None
        raise
    finally:
        release_stop_signals(held)


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def hold_stop_signals():
    """Block SIGINT and SIGTERM in this thread; the previous mask, for _release (None where it cannot be done)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)


def release_stop_signals(previous) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def current_umask() -> int:
    """The process umask, read without changing it where Linux allows (another thread may be creating files)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# -- output paths: checked before any work, so a bad one costs nothing ------------------------------------------

def _refuse_special(path: str) -> None:
    """An existing output path must be a regular file: a device (/dev/null), FIFO or socket is never replaced."""
    try:
        info = os.stat(path)
    except OSError:
        return
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        raise OutputError(path, "cannot write: not a regular file (a device, FIFO or socket is never replaced; "
                                "-o - writes to stdout)")


def check_outputs(outputs: list[tuple[str, str]], inputs: list[str]) -> None:
    """Refuse, before anything is read or written, an output path that cannot or must not be written.

    ``outputs`` are ``(option, path)`` pairs (``("-o", "out.tmx")``, ``("--review", "r.html")``), ``-`` for stdout;
    ``inputs`` every file the command reads. An output may not be an input (same file by device and inode, so
    a symlink or hard link to an input counts), nor another output of the same run, nor an existing directory or
    non-regular file, nor sit in a folder that does not exist.
    """
    seen: list[tuple[str, str, tuple[int, int] | str]] = []
    input_ids = {}
    for name in inputs:
        key = _identity(name)
        if key is not None:
            input_ids.setdefault(key, name)
    for option, path in outputs:
        if path == "-":
            continue
        key = _identity(path)
        if key is not None and key in input_ids:
            same = "" if os.path.abspath(input_ids[key]) == os.path.abspath(path) else f" ({input_ids[key]})"
            raise OutputError(path, f"{option} names an input of this run{same}; an input is never "
                                    "overwritten: choose another output name")
        name_key = key if key is not None else os.path.normcase(os.path.abspath(path))
        for other_option, other_path, other_key in seen:
            if other_key == name_key:
                raise OutputError(path, f"cannot write {option}: {other_option} writes the same file "
                                        f"{other_path}; give them different names")
        seen.append((option, path, name_key))
        if os.path.isdir(path):
            raise OutputError(path, f"cannot write {option}: is a directory")
        _refuse_special(path)
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise OutputError(path, f"cannot write {option}: folder does not exist")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(path, f"cannot write {option}: permission denied (folder {folder} is not writable)")


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


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
