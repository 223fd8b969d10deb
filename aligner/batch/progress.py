"""A one-line progress bar on stderr: documents done of all, failures, rate and ETA. Silent when not a terminal."""
from __future__ import annotations

import sys
import time
from typing import IO, Optional


class Progress:
    def __init__(self, total: int, already: int = 0, stream: Optional[IO] = None, width: int = 28):
        self.total, self.done, self.failed = total, already, 0
        self.started_with = already          # skipped (resumed) documents do not count towards the rate
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = total > 0 and bool(getattr(self.stream, "isatty", lambda: False)())
        self.width = width
        self.start = time.monotonic()
        self.last = 0.0
        self.draw(force=True)

    def advance(self, failed: bool = False) -> None:
        self.done += 1
        self.failed += failed
        self.draw(force=self.done == self.total)

    def draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.2:  # a redraw per document would flood a slow terminal
            return
        self.last = now
        fraction = self.done / self.total
        filled = int(self.width * fraction)
        bar = "#" * filled + "." * (self.width - filled)
        ran, elapsed = self.done - self.started_with, now - self.start
        if ran > 0 and elapsed > 0:
            rate = ran / elapsed
            tail = f" {rate:.2f} docs/s, ETA {format_seconds((self.total - self.done) / rate)}"
        else:
            tail = ""
        failed = f", {self.failed} failed" if self.failed else ""
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} documents{failed}{tail}\033[K")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.draw(force=True)
            self.stream.write("\n")
            self.stream.flush()


def format_seconds(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
