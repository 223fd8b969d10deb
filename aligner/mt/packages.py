"""Installed argostranslate packages: install a ``.argosmodel`` file, list, remove. Never the network.

Packages live where argostranslate looks for them: ``$ARGOS_PACKAGES_DIR``, else argostranslate's own setting
(``~/.local/share/argos-translate/packages``), so a model installed here is seen by argostranslate and vice versa.
The environment variable is read at every call (argostranslate.settings reads it once, at import), so a test or a
batch job can point at its own folder.

Installing validates the whole archive before a byte is written: a zip, one top folder, ``metadata.json`` naming
a pair of two languages the tool supports (ar, de, en, es, fr, ru, zh: ``SUPPORTED_LANGS``; ru→en is the usual one),
``sentencepiece.model``, a CTranslate2 ``model/``; no absolute or ``..`` entries, no links, no encrypted
entries; bounded size and compression ratio (zip bombs). It extracts into a hidden staging folder beside the
installed packages, checks that argostranslate's ``Package`` loads the result, and only then renames it into
place — any failure leaves nothing behind. argostranslate's own ``install_from_path``/``uninstall`` are not used:
they extract into the folder fixed at import time, without any of those checks, and they import
``argostranslate.translate``, which pulls in stanza and onnxruntime (seconds of start-up, files under ``~/.cache``).
The folder layout is argostranslate's own, both ways: argostranslate lists what this installs, and a package
argostranslate's ``install_from_path`` installed is listed and used here (tests/test_mt.py).
"""
from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Optional

from aligner.errors import ModelError
from aligner.model import language_code
from aligner.numbers import LANGS as SUPPORTED_LANGS   # ar de en es fr ru zh: what splitting, anchors, QA know

FROM_CODE, TO_CODE = "ru", "en"    # the main pair: the default of `align` and `translate`, and the hints' example
# Real ru→en packages are ~100 MB zipped and well under 1 GB unpacked; weights barely compress.
MAX_UNCOMPRESSED = 2 * 1024 ** 3
MAX_ENTRIES = 10_000
MAX_RATIO = 100           # uncompressed / compressed, for entries (and archives) above RATIO_FLOOR
RATIO_FLOOR = 1024 ** 2   # tiny files such as metadata.json legitimately compress far better
_STAGING_PREFIX = ".aligner-install-"

INSTALL_HINT = ("download a ru→en .argosmodel file (e.g. translate-ru_en-1_9.argosmodel from "
                "https://www.argosopentech.com/argospm/index/) on a connected machine, copy it here and run "
                "`aligner models install FILE.argosmodel`")
PACKAGE_INDEX = "https://www.argosopentech.com/argospm/index/"


def install_hint(src_lang: str = FROM_CODE, tgt_lang: str = TO_CODE) -> str:
    """How to get a model for src→tgt, said when none is installed (INSTALL_HINT for ru→en). The Argos index has
    packages to and from English, so a pair without English is also offered as the two packages of its pivot."""
    src, tgt = language_code(src_lang), language_code(tgt_lang)
    if (src, tgt) == (FROM_CODE, TO_CODE):
        return INSTALL_HINT
    if "en" in (src, tgt):
        return (f"download the {src}→{tgt} package (translate-{src}_{tgt}-VERSION.argosmodel from {PACKAGE_INDEX}) "
                "on a connected machine, copy it here and run `aligner models install FILE.argosmodel`")
    return (f"download the {src}→{tgt} package (translate-{src}_{tgt}-VERSION.argosmodel), or {src}→en and "
            f"en→{tgt} (translate-{src}_en-VERSION.argosmodel and translate-en_{tgt}-VERSION.argosmodel), from "
            f"{PACKAGE_INDEX} on a connected machine, copy them here and run "
            "`aligner models install FILE.argosmodel` for each")




@dataclass(frozen=True)
class InstalledPackage:
    name: str                   # folder name inside the packages folder: what `models remove` takes
    path: Path
    from_code: str
    to_code: str
    version: str
    type: str = "translate"
    metadata: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def code(self) -> str:
        """argospm's name for the package, e.g. ``translate-ru_en``."""
        return f"{self.type}-{self.from_code}_{self.to_code}"

    @property
    def usable(self) -> bool:
        return (self.path / "sentencepiece.model").is_file() and (self.path / "model" / "model.bin").is_file()


def packages_dir() -> Path:
    """Where packages are installed, found as argostranslate finds it, but without importing it.

    ``$ARGOS_PACKAGES_DIR``, else ``ARGOS_PACKAGES_DIR`` in argostranslate's ``settings.json``, else
    ``$XDG_DATA_HOME/argos-translate/packages`` (``~/.local/share/...``). Importing argostranslate.settings would
    create its folders under the home directory as a side effect, and would freeze the answer at import time.
    """
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env).expanduser()
    home = Path(os.environ["SNAP_USER_DATA"]) if "SNAP" in os.environ and "SNAP_USER_DATA" in os.environ \
        else Path.home()
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "argos-translate" / "settings.json"
    try:
        configured = json.loads(config.read_text(encoding="utf-8")).get("ARGOS_PACKAGES_DIR")
    except (OSError, ValueError, AttributeError):
        configured = None
    if configured:
        return Path(str(configured)).expanduser()
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "argos-translate" / "packages"


def list_packages(directory: Optional[Path] = None) -> list[InstalledPackage]:
    """Installed packages, sorted by name; folders without a readable metadata.json are skipped."""
    directory = Path(directory) if directory is not None else packages_dir()
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or not path.is_dir():
            continue
        pkg = read_package(path)
        if pkg is not None:
            found.append(pkg)
    return found


def read_package(path: Path) -> Optional[InstalledPackage]:
    """An installed package folder as argostranslate describes it (its metadata.json), or None."""
    try:
        meta = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(meta, dict):
        return None
    return InstalledPackage(name=path.name, path=path, from_code=str(meta.get("from_code") or ""),
                            to_code=str(meta.get("to_code") or ""), version=str(meta.get("package_version") or ""),
                            type=str(meta.get("type") or "translate"), metadata=meta)


def find_ru_en(directory: Optional[Path] = None) -> Optional[InstalledPackage]:
    """The usable ru→en translation package with the highest version, if any."""
    candidates = [p for p in list_packages(directory)
                  if p.from_code == FROM_CODE and p.to_code == TO_CODE and p.type == "translate" and p.usable]
    if not candidates:
        return None
    return max(candidates, key=lambda p: (_version_key(p.version), p.name))


def no_model_error(directory: Optional[Path] = None, src_lang: str = FROM_CODE, tgt_lang: str = TO_CODE) -> ModelError:
    """The error for a translation that was needed and has no installed route: it names the pair, the half of a
    pivot through English that is missing when the other half is installed, and how to get a model."""
    directory = directory if directory is not None else packages_dir()
    src, tgt = language_code(src_lang), language_code(tgt_lang)
    problem = f"no {src}→{tgt} translation model installed"
    if "en" in (src, tgt) or src == tgt:
        return ModelError(str(directory), f"{problem}; {install_hint(src, tgt)}")
    have = {(p.from_code, p.to_code) for p in list_packages(directory) if p.type == "translate" and p.usable}
    steps = [(src, "en"), ("en", tgt)]
    missing = [step for step in steps if step not in have]
    if len(missing) == 1:
        (a, b), (c, d) = missing[0], next(step for step in steps if step in have)
        return ModelError(str(directory), f"{problem}, and no {a}→{b} to pivot through English with the installed "
                                          f"{c}→{d}; {install_hint(a, b)}")
    return ModelError(str(directory), f"{problem} (nor {src}→en with en→{tgt} to pivot through English); "
                                      f"{install_hint(src, tgt)}")


def install_package(archive: str | os.PathLike, directory: Optional[Path] = None) -> InstalledPackage:
    """Validate ``archive`` (a ``.argosmodel`` file) and install it; ModelError naming the file otherwise."""
    archive_name = str(archive)
    directory = Path(directory) if directory is not None else packages_dir()
    top, _metadata = validate_archive(archive_name)
    target = directory / top
    if target.exists():
        raise ModelError(archive_name, f"{top} is already installed in {directory} "
                                       f"(run `aligner models remove {top}` first)")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=directory))
    except OSError as exc:
        raise ModelError(archive_name, f"cannot write to {directory}: {exc.strerror or exc}") from None
    try:
        _extract(archive_name, staging)
        from argostranslate.package import Package
        try:
            Package(staging / top)
        except Exception as exc:  # argostranslate raises bare Exceptions
            raise ModelError(archive_name, f"argostranslate cannot load the package: {_first_line(exc)}") from None
        _check_model(archive_name, staging / top)
        os.replace(staging / top, target)
        return read_package(target)  # type: ignore[return-value]
    except OSError as exc:
        raise ModelError(archive_name, f"cannot install into {directory}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def remove_package(name: str, directory: Optional[Path] = None) -> InstalledPackage:
    """Remove an installed package by folder name (``translate-ru_en-1_9``) or argospm code (``translate-ru_en``)."""
    directory = Path(directory) if directory is not None else packages_dir()
    installed = list_packages(directory)
    matches = [p for p in installed if p.name == name] or [p for p in installed if p.code == name]
    if not matches:
        known = ", ".join(p.name for p in installed) or "none"
        raise ModelError(name, f"no such package in {directory} (installed: {known})")
    if len(matches) > 1:
        raise ModelError(name, "matches several packages ({}); give the folder name".format(
            ", ".join(p.name for p in matches)))
    pkg = matches[0]
    # Never follow a link out of the packages folder.
    if pkg.path.is_symlink() or pkg.path.resolve().parent != directory.resolve():
        raise ModelError(name, f"{pkg.path} is not a folder inside {directory}; not removed")
    try:
        shutil.rmtree(pkg.path)
    except OSError as exc:
        raise ModelError(name, f"cannot remove {pkg.path}: {exc.strerror or exc}") from None
    return pkg


def validate_archive(path: str) -> tuple[str, dict]:
    """Check a ``.argosmodel`` without extracting it; return its top folder name and metadata."""
    if not os.path.exists(path):
        raise ModelError(path, "no such file")
    if os.path.isdir(path):
        raise ModelError(path, "is a directory, not a .argosmodel file")
    if not zipfile.is_zipfile(path):
        raise ModelError(path, "not a zip archive (a .argosmodel file is a zip archive)")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            top = _check_entries(path, infos)
            names = {info.filename.rstrip("/") for info in infos}
            meta_name = f"{top}/metadata.json"
            if meta_name not in names:
                raise ModelError(path, f"no metadata.json in {top}/: not an argostranslate package")
            try:
                metadata = json.loads(zf.read(meta_name).decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as exc:
                raise ModelError(path, f"metadata.json is not valid JSON: {exc}") from None
            except RecursionError:   # "[[[[…" thousands deep: hostile, not a package's metadata
                raise ModelError(path, "metadata.json is not valid JSON: nested too deeply") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise ModelError(path, f"damaged zip archive: {exc}") from None
    if not isinstance(metadata, dict):
        raise ModelError(path, "metadata.json is not a JSON object")
    if metadata.get("type", "translate") != "translate":
        raise ModelError(path, f"package type is {metadata.get('type')!r}, not a translation model")
    _check_pair(path, metadata)
    if f"{top}/sentencepiece.model" not in names:
        raise ModelError(path, "no sentencepiece.model: only sentencepiece-tokenised packages are supported")
    if f"{top}/model/model.bin" not in names:
        raise ModelError(path, f"no CTranslate2 model: {top}/model/model.bin is missing")
    return top, metadata


def _check_pair(path: str, metadata: dict) -> None:
    """``from_code``/``to_code``: two different languages of SUPPORTED_LANGS, as argostranslate writes them."""
    pair = [metadata.get("from_code"), metadata.get("to_code")]
    for key, code in zip(("from_code", "to_code"), pair):
        if not isinstance(code, str) or not code.strip():
            raise ModelError(path, f"metadata.json names no {key}: not a translation package")
    shown = [_printable(c) for c in pair]
    unsupported = list(dict.fromkeys(s for s, c in zip(shown, pair) if c not in SUPPORTED_LANGS))
    if unsupported:
        what = (f"{unsupported[0]} is not a language" if len(unsupported) == 1
                else f"{' and '.join(unsupported)} are not languages")
        raise ModelError(path, f"translates {shown[0]}→{shown[1]}; {what} aligner supports "
                               f"({', '.join(SUPPORTED_LANGS)})")
    if pair[0] == pair[1]:
        raise ModelError(path, f"translates {shown[0]}→{shown[1]}: the same language on both sides")


def _printable(code: str) -> str:
    """A language code from an archive's metadata, printable and short (the error stays one readable line)."""
    code = "".join(c if c.isprintable() else "?" for c in code.strip())
    return code if len(code) <= 12 else code[:12] + "…"


def _check_entries(path: str, infos: list[zipfile.ZipInfo]) -> str:
    if not infos:
        raise ModelError(path, "empty zip archive")
    if len(infos) > MAX_ENTRIES:
        raise ModelError(path, f"{len(infos)} entries in the archive (at most {MAX_ENTRIES})")
    tops = set()
    total = compressed = 0
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        if name.startswith(("/", "\\")) or pure.is_absolute() or (len(name) > 1 and name[1] == ":"):
            raise ModelError(path, f"entry {name!r} has an absolute path; refusing to extract")
        if ".." in pure.parts:
            raise ModelError(path, f"entry {name!r} points outside the package folder; refusing to extract")
        if "\\" in name or "\x00" in name:
            raise ModelError(path, f"entry {name!r} has an invalid file name")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise ModelError(path, f"entry {name!r} is a symbolic link; refusing to extract")
        if info.flag_bits & 0x1:
            raise ModelError(path, f"entry {name!r} is encrypted")
        parts = pure.parts
        if len(parts) == 1 and not info.is_dir():
            raise ModelError(path, f"entry {name!r} is not inside a package folder")
        tops.add(parts[0])
        total += info.file_size
        compressed += info.compress_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ModelError(path, f"entry {name!r} expands {info.file_size // max(info.compress_size, 1)}-fold: "
                                   "looks like a zip bomb; refusing to extract")
        if total > MAX_UNCOMPRESSED:
            raise ModelError(path, f"unpacks to more than {MAX_UNCOMPRESSED // 1024 ** 2} MiB; refusing to extract")
    if total > RATIO_FLOOR and total > MAX_RATIO * max(compressed, 1):
        raise ModelError(path, f"expands {total // max(compressed, 1)}-fold: looks like a zip bomb; refusing to extract")
    if len(tops) != 1:
        raise ModelError(path, f"expected one package folder at the top of the archive, found {len(tops)}")
    top = tops.pop()
    if top in (".", "") or top.startswith("."):
        raise ModelError(path, f"bad package folder name {top!r}")
    return top


def _extract(path: str, dest: Path) -> None:
    """Extract a validated archive member by member, streaming, never writing past the declared sizes."""
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            target = dest.joinpath(*PurePosixPath(info.filename).parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            try:
                with zf.open(info) as src, open(target, "wb") as out:
                    while chunk := src.read(1024 * 1024):
                        written += len(chunk)
                        if written > info.file_size:  # zipfile enforces this too; belt and braces
                            raise ModelError(path, f"entry {info.filename!r} is larger than it claims")
                        out.write(chunk)
            except (zipfile.BadZipFile, EOFError, RuntimeError) as exc:
                raise ModelError(path, f"damaged zip archive: {info.filename}: {exc}") from None


def _check_model(archive: str, root: Path) -> None:
    """Load the tokeniser and the weights once, so a damaged package fails here and not in the middle of a job."""
    import ctranslate2
    import sentencepiece

    try:
        sentencepiece.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
    except (OSError, RuntimeError) as exc:
        raise ModelError(archive, f"sentencepiece.model cannot be loaded: {exc}") from None
    try:
        ctranslate2.Translator(str(root / "model"), device="cpu", intra_threads=1)
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelError(archive, f"model/ is not a loadable CTranslate2 model: {_first_line(exc)}") from None


def _first_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _version_key(version: str) -> tuple:
    parts = []
    for piece in version.replace("-", ".").split("."):
        parts.append((0, int(piece), "") if piece.isdigit() else (1, 0, piece))
    return tuple(parts)
