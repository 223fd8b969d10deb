"""The tiny ru→en .argosmodel for tests (built by aligner.mt.testing) and the hostile variants built from it."""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Callable, Optional

from aligner.mt.testing import TINY_OUTPUT, TINY_VERSION, build_tiny_package

__all__ = ["TINY_OUTPUT", "TINY_VERSION", "build_tiny_package", "isolate_packages", "rewrite_archive"]


def isolate_packages(monkeypatch, tmp_path: Path, mt_threads: Optional[str] = "1") -> None:
    """Packages, the translation cache and argostranslate's own folders all under tmp_path, so a test sees only
    the packages it installs; MT threads pinned (None: the machine's default), beam size the default."""
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    if mt_threads is None:
        monkeypatch.delenv("ALIGNER_MT_THREADS", raising=False)
    else:
        monkeypatch.setenv("ALIGNER_MT_THREADS", mt_threads)
    monkeypatch.delenv("ARGOS_BEAM_SIZE", raising=False)


def rewrite_archive(good: Path, dest: Path, rename: Optional[Callable[[str], Optional[str]]] = None,
                    extra: Optional[dict[str, bytes]] = None, metadata: Optional[bytes] = None) -> Path:
    """Copy ``good`` entry by entry into ``dest``: ``rename`` maps names (None drops an entry), ``extra`` adds
    entries verbatim (any name, ``../x`` and ``/abs`` included), ``metadata`` replaces metadata.json."""
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            name = rename(info.filename) if rename else info.filename
            if name is None:
                continue
            data = src.read(info)
            if metadata is not None and name.endswith("/metadata.json"):
                data = metadata
            out.writestr(zipfile.ZipInfo(name, date_time=info.date_time), data,
                         compress_type=zipfile.ZIP_STORED if info.is_dir() else zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            out.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return dest
