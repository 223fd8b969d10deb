"""A persistent translation cache: sqlite, keyed by (model identity, decoding settings, source sentence).

A re-run over the same documents translates nothing: every sentence is found here. The file lives in
``$ALIGNER_CACHE_DIR`` (else ``$XDG_CACHE_HOME/aligner``, else ``~/.cache/aligner``) as ``mt.sqlite``. Several
processes may share it (batch runs): WAL mode and a generous busy timeout. A cache that cannot be opened or written
is a warning, never a failed job — it only costs time.
"""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
from pathlib import Path
from typing import Iterable, Optional

log = logging.getLogger("aligner")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    model TEXT NOT NULL,
    settings TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (model, settings, source)
) WITHOUT ROWID
"""
_CHUNK = 500  # sqlite's default limit on host parameters is 999 (older builds)


def cache_path() -> Path:
    base = os.environ.get("ALIGNER_CACHE_DIR")
    if base:
        return Path(base).expanduser() / "mt.sqlite"
    xdg = os.environ.get("XDG_CACHE_HOME")
    root = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return root / "aligner" / "mt.sqlite"


class TranslationCache:
    def __init__(self, path: Optional[Path] = None):
        self.path = Path(path) if path is not None else cache_path()
        self._lock = threading.Lock()
        self._db: Optional[sqlite3.Connection] = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(self.path), timeout=60, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_SCHEMA)
            db.commit()
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            log.warning("%s: translation cache disabled: %s", self.path, exc)

    def get_many(self, model: str, settings: str, sources: Iterable[str]) -> dict[str, str]:
        if self._db is None:
            return {}
        sources = list(sources)
        found: dict[str, str] = {}
        try:
            with self._lock:
                for start in range(0, len(sources), _CHUNK):
                    chunk = sources[start:start + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = self._db.execute(
                        f"SELECT source, target FROM translations WHERE model=? AND settings=? AND source IN ({marks})",
                        (model, settings, *chunk))
                    found.update(rows)
        except sqlite3.Error as exc:
            log.warning("%s: cannot read the translation cache: %s", self.path, exc)
        return found

    def put_many(self, model: str, settings: str, pairs: dict[str, str]) -> None:
        if self._db is None or not pairs:
            return
        try:
            with self._lock, self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO translations (model, settings, source, target) VALUES (?, ?, ?, ?)",
                    [(model, settings, s, t) for s, t in pairs.items()])
        except sqlite3.Error as exc:
            log.warning("%s: cannot write the translation cache: %s", self.path, exc)

    def close(self) -> None:
        if self._db is not None:
            with self._lock:
                self._db.close()
                self._db = None
