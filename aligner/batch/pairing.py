"""Which source file goes with which target file: Russian and English unless the batch names another pair
(``--src-lang fr --tgt-lang zh``: French and Chinese). Only the two languages of the batch are markers.

Three ways, tried in this order on a corpus folder:

1. a shared stem with a language marker: ``X.ru.txt`` + ``X.en.txt`` (also ``X_ru.html``, ``X-en.htm``, ``X.rus``;
   for fr/zh ``X.fr.txt`` + ``X.zh.txt``, ``X_fra``, ``X-chi``);
2. a shared path under language folders: ``ru/X.html`` + ``en/X.html`` (the file extension may differ);
3. the MFA document number (``2545-15-12-2023``), found in the file name or the first few KB of the file,
   for whatever is left — the language then comes from the marker or, without one, from the script (only when
   the two languages are written in different scripts: not for fr/en, de/es).

A file marked as another of aligner's languages (``X.fr.txt`` or ``fr/X.html`` in a ru/en batch) is reported and
not read: its script must not make it the English side of a pair by document number.

Or from a manifest (``--pairs FILE``): one ``SRC<TAB>TGT[<TAB>NAME]`` line per pair.

A pair's name is unique within the corpus and says where it came from (``group/X`` for ``group/X.ru.txt``); it
names the output files and is the TMX ``x-document``. Files that cannot be paired are reported with a reason,
never guessed at: two Russian files for one English file is a duplicate, not a choice.

``langs`` below is the batch's (source, target) pair of ISO 639-1 codes, ``DEFAULT_LANGS`` (ru, en) unless told.
"""
from __future__ import annotations

import functools
import os
import re
import stat
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Optional

from aligner.errors import InputError
from aligner.model import language_code
from aligner.read.language import language_name as lang_name

DOCUMENT_EXTENSIONS = (".txt", ".html", ".htm", ".xhtml")
DEFAULT_LANGS = ("ru", "en")
# The markers of each language aligner supports: its ISO 639-1 code and its ISO 639-2 codes (bibliographic too).
MARKERS = {"ar": ("ar", "ara"), "de": ("de", "deu", "ger"), "en": ("en", "eng"), "es": ("es", "spa"),
           "fr": ("fr", "fra", "fre"), "ru": ("ru", "rus"), "zh": ("zh", "zho", "chi")}
SNIFF_BYTES = 8192  # enough for an MFA page's header block, where the document number sits
# MFA document numbers: a running number, then the day, month and year of publication (2545-15-12-2023).
_MFA_NUMBER = re.compile(r"(?<![\d-])(\d{1,5})-(0[1-9]|[12]\d|3[01])-(0[1-9]|1[0-2])-((?:19|20)\d\d)(?![\d-])")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_SCRIPTS = {"ru": _CYRILLIC, "ar": re.compile(r"[\u0600-\u06ff\u0750-\u077f]"),
            "zh": re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]"), "de": _LATIN, "en": _LATIN, "es": _LATIN,
            "fr": _LATIN}   # another language (aligner does not know it): its script is not told


def lang_codes(langs: tuple[str, str]) -> tuple[str, str]:
    """The primary subtag of each language tag, lower case: ("fr-FR", "zh_CN") → ("fr", "zh")."""
    return tuple(language_code((lang or "").strip()) for lang in langs)  # type: ignore


def check_langs(langs: tuple[str, str]) -> tuple[str, str]:
    """``langs`` as two different language codes (``fr-FR`` → ``fr``); ValueError naming the problem. A code
    aligner has no markers for (``it``) is its own only marker."""
    codes = lang_codes(langs)
    for lang, code in zip(langs, codes):
        if not code.isalpha() or not code.isascii():
            raise ValueError(f"{lang!r} is not a language code")
    if codes[0] == codes[1]:
        raise ValueError(f"both sides are {lang_name(codes[0])}: pairing files by language needs two languages")
    return codes


def _markers(langs: tuple[str, ...]) -> dict[str, str]:
    """marker → language, for ``langs`` only (the batch's two)."""
    return {marker: lang for lang in langs for marker in MARKERS.get(lang, (lang,))}


def _same_script(langs: tuple[str, str]) -> bool:
    """True when the script cannot tell the two languages apart (the same script, or one aligner does not know)."""
    a, b = (_SCRIPTS.get(lang) for lang in langs)
    return a is None or b is None or a is b


@functools.lru_cache(maxsize=None)
def _marked_name(langs: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(sorted(_markers(langs), key=lambda m: (-len(m), m)))
    return re.compile(rf"^(?P<stem>.+?)[._-](?P<lang>{alternatives})$", re.IGNORECASE)


@dataclass(frozen=True)
class Pair:
    name: str   # unique in the corpus: OUT/docs/NAME.tmx, the TMX x-document
    ru: str     # the source file (Russian unless the batch names another pair), as the user would write it
    en: str     # the target file (English unless told); paths are joined to the corpus folder given
    how: str    # stem | folder | number | manifest


@dataclass(frozen=True)
class Unpaired:
    path: str
    reason: str


@dataclass(frozen=True)
class _File:
    path: str               # as the user would write it
    rel: str                # posix path relative to the corpus root
    key: Optional[str]      # what its counterpart shares with it (stem or folder key), None without a marker
    lang: Optional[str]     # from the marker; None without one
    how: str                # stem | folder | none


def find_pairs(corpus: str, exclude: Iterable[str] = (),
               langs: tuple[str, str] = DEFAULT_LANGS) -> tuple[list[Pair], list[Unpaired]]:
    """Pairs and unpaired files under ``corpus``, both sorted (pairs by name, files by path).

    ``exclude`` lists folders to skip (the output folder, when it lies inside the corpus). Hidden files and files
    whose extension is not a document's (.txt, .html, .htm, .xhtml) are not candidates and are not reported.
    ``langs``: the (source, target) languages whose markers pair files (ValueError for two tags of one language,
    or one that is no language code).
    """
    langs = check_langs(langs)
    src, tgt = langs
    if not os.path.exists(corpus):
        raise InputError(corpus, "corpus folder not found")
    if not os.path.isdir(corpus):
        raise InputError(corpus, "not a folder (give a corpus folder, or a manifest with --pairs)")
    files, unpaired = [], []
    for path, rel in _walk(corpus, exclude):
        problem = outside_problem(corpus, path) or _other_language(rel, langs)
        if problem:
            unpaired.append(Unpaired(path, problem))
        else:
            files.append(_classify(path, rel, langs))

    pairs: list[Pair] = []
    leftovers: list[_File] = []
    groups: dict[str, list[_File]] = defaultdict(list)
    for f in files:
        if f.key is None:
            leftovers.append(f)
        else:
            groups[f.key].append(f)
    for key in sorted(groups):
        members = groups[key]
        ru = [f for f in members if f.lang == src]
        en = [f for f in members if f.lang == tgt]
        if len(ru) == 1 and len(en) == 1:
            pairs.append(Pair(key, ru[0].path, en[0].path, ru[0].how))
        elif len(ru) > 1 or len(en) > 1:
            unpaired += _duplicates(members, f"{key!r}", langs)
        else:
            leftovers += members  # one side only: its counterpart may still be found by document number

    number_pairs, rest = _pair_by_number(leftovers, langs)
    taken = {p.name for p in pairs}
    for pair in number_pairs:
        if pair.name in taken:  # a stem pair already has this name: refuse rather than overwrite its output
            unpaired += [Unpaired(p, f"duplicate name: pair {pair.name!r} already exists") for p in (pair.ru, pair.en)]
        else:
            pairs.append(pair)
            taken.add(pair.name)
    unpaired += rest
    named = []
    for pair in pairs:   # file names may hold anything a file system allows (a newline, a control character)
        problem = name_problem(pair.name)
        if problem:
            unpaired += [Unpaired(p, f"pair name {pair.name!r} {problem}") for p in (pair.ru, pair.en)]
        else:
            named.append(pair)
    return sorted(named, key=lambda p: p.name), sorted(unpaired, key=lambda u: u.path)


def outside_problem(corpus: str, path: str) -> Optional[str]:
    """Why a batch must not read ``path`` (found under ``corpus``), or None: only regular files inside the corpus
    are read. A symbolic link to a file elsewhere (/etc/passwd, another user's home) would put that file's text
    into the merged TMX; a FIFO or a device would block or never end."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISLNK(info.st_mode):
        target = os.path.realpath(path)
        root = os.path.realpath(corpus)
        if os.path.commonpath([root, target]) != root:
            return "symbolic link to a file outside the corpus folder; not read (copy the file in instead)"
        try:
            info = os.stat(path)
        except OSError:
            return "broken symbolic link"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a FIFO, socket or device); not read"
    return None


def _walk(corpus: str, exclude: Iterable[str]) -> Iterable[tuple[str, str]]:
    skip = {os.path.realpath(e) for e in exclude}
    for folder, dirs, names in os.walk(corpus):
        # Sorted walk: the order of pairing (and of every report) must not depend on the file system.
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and os.path.realpath(os.path.join(folder, d)) not in skip)
        for name in sorted(names):
            if name.startswith(".") or not name.lower().endswith(DOCUMENT_EXTENSIONS):
                continue
            path = os.path.join(folder, name)
            yield path, os.path.relpath(path, corpus).replace(os.sep, "/")


def document_key(rel: str, langs: tuple[str, ...] = DEFAULT_LANGS) -> tuple[Optional[str], Optional[str], str]:
    """(key, lang, how) for a corpus-relative posix path; key and lang are None when nothing marks the language.

    ``a/X.ru.txt`` → ("a/X", "ru", "stem"); ``a/ru/X.html`` → ("a/X", "ru", "folder"); with ``langs`` ("fr", "zh"):
    ``a/X.zh.txt`` → ("a/X", "zh", "stem"), ``fra/X.html`` → ("X", "fr", "folder"), and ``X.ru.txt`` is unmarked.
    """
    markers = _markers(langs)
    folder, _, base = rel.rpartition("/")
    stem = _strip_extension(base)
    parts = folder.split("/") if folder else []
    in_lang_folder = [i for i, part in enumerate(parts) if part.lower() in markers]
    marked = _marked_name(langs).match(stem)
    if marked:
        lang = markers[marked["lang"].lower()]
        # ru/X.ru.txt + en/X.en.txt: both rules at once; a language folder that agrees with the marker goes.
        if in_lang_folder and markers[parts[in_lang_folder[-1]].lower()] == lang:
            del parts[in_lang_folder[-1]]
        return "/".join(parts + [marked["stem"]]), lang, "stem"
    if in_lang_folder:
        i = in_lang_folder[-1]
        return "/".join(parts[:i] + parts[i + 1:] + [stem]), markers[parts[i].lower()], "folder"
    return None, None, "none"


def _other_language(rel: str, langs: tuple[str, str]) -> Optional[str]:
    """Why a file marked as another of aligner's languages is left out, or None: in a multilingual corpus
    (X.ru.txt, X.en.txt, X.fr.txt) the French file must not be taken for English by its script and paired by its
    document number. A marker of the batch's own languages wins (fr/X.ru.txt is Russian)."""
    if document_key(rel, langs)[1] is not None:
        return None
    _, lang, how = document_key(rel, tuple(lang for lang in MARKERS if lang not in langs))
    if lang is None:
        return None
    what = "its name's marker" if how == "stem" else "its language folder"
    return (f"marked as {lang_name(lang)} ({what}), not a language of this batch ({lang_name(langs[0])}/"
            f"{lang_name(langs[1])}): not read (a batch with --src-lang or --tgt-lang {lang} aligns it)")


def _strip_extension(base: str) -> str:
    for ext in DOCUMENT_EXTENSIONS:
        if base.lower().endswith(ext):
            return base[: -len(ext)]
    return base


def _classify(path: str, rel: str, langs: tuple[str, str]) -> _File:
    key, lang, how = document_key(rel, langs)
    return _File(path, rel, key, lang, how)


def _duplicates(members: list[_File], what: str, langs: tuple[str, str]) -> list[Unpaired]:
    counts = []
    for lang in langs:
        same = [f.rel for f in members if f.lang == lang]
        if len(same) > 1:
            counts.append(f"{len(same)} {lang_name(lang)} files ({', '.join(same)})")
    reason = f"duplicate: {' and '.join(counts)} for {what}; rename or remove all but one"
    return [Unpaired(f.path, reason) for f in members]


def sniff(path: str, langs: tuple[str, str] = DEFAULT_LANGS) -> tuple[Optional[str], Optional[str]]:
    """(MFA number, language by script) from the file name and its first few KB; cheap, no parsing.

    The language is the one of ``langs`` whose script has more letters; None when both are written in the same
    script (fr/en, de/es: the script cannot tell them apart) or there are no letters of either."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return None, None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A cut in the middle of a character at the end is not a decoding problem.
        text = head[: exc.start].decode("utf-8") if exc.start > len(head) - 4 else head.decode("cp1251", "replace")
    found = _MFA_NUMBER.search(os.path.basename(path)) or _MFA_NUMBER.search(text)
    number = "-".join(found.groups()) if found else None
    text = re.sub(r"<[^>]*>", " ", text)  # markup is Latin: count letters of the text only
    src, tgt = langs
    if _same_script(langs):
        return number, None
    n_src, n_tgt = (len(_SCRIPTS[lang].findall(text)) for lang in langs)
    lang = src if n_src > n_tgt else tgt if n_tgt else None
    return number, lang


def _pair_by_number(files: list[_File], langs: tuple[str, str]) -> tuple[list[Pair], list[Unpaired]]:
    src, tgt = langs
    by_number: dict[str, list[tuple[_File, str]]] = defaultdict(list)
    unpaired: list[Unpaired] = []
    for f in files:
        number, script = sniff(f.path, langs)
        lang = f.lang or script
        if number is None or lang is None:
            unpaired.append(Unpaired(f.path, _no_counterpart(f, lang, number, langs)))
        else:
            by_number[number].append((f, lang))
    pairs: list[Pair] = []
    for number in sorted(by_number):
        members = by_number[number]
        ru = [f for f, lang in members if lang == src]
        en = [f for f, lang in members if lang == tgt]
        if len(ru) == 1 and len(en) == 1:
            pairs.append(Pair(number, ru[0].path, en[0].path, "number"))
        elif len(ru) > 1 or len(en) > 1:
            marked = [_File(f.path, f.rel, number, lang, f.how) for f, lang in members]
            unpaired += _duplicates(marked, f"MFA document number {number}", langs)
        else:
            unpaired += [Unpaired(f.path, _no_counterpart(f, lang, number, langs)) for f, lang in members]
    return pairs, unpaired


def _no_counterpart(f: _File, lang: Optional[str], number: Optional[str], langs: tuple[str, str]) -> str:
    src, tgt = langs
    if lang is None:
        if _same_script(langs):
            text = f"the text cannot tell {lang_name(src)} from {lang_name(tgt)}"
        else:
            text = "no text"
        return (f"no counterpart: cannot tell its language (no .{src}/.{tgt} in the name, no {src}/ or {tgt}/ "
                f"folder, {text})")
    other = lang_name(tgt if lang == src else src)
    if f.key is not None:
        where = f"no {other} file for {f.key!r}"
    else:
        where = f"no .{src}/.{tgt} marker in its name and no {other} file in a {src}/ or {tgt}/ folder"
    by_number = (f"no {other} file with its MFA document number {number}" if number
                 else "no MFA document number found")
    return f"no {other} counterpart: {where}, {by_number}"


# -- manifest ------------------------------------------------------------------------------------------------

def read_manifest(path: str, langs: tuple[str, str] = DEFAULT_LANGS) -> tuple[list[Pair], list[Unpaired]]:
    """Pairs from a TSV manifest: ``SRC<TAB>TGT[<TAB>NAME]`` per line (``RU<TAB>EN`` by default), ``#`` comments
    and blank lines ignored.

    Relative paths are relative to the manifest's folder. Without NAME a pair is named like a corpus pair
    (``ru/X.html`` → ``X``; with ``langs`` ("fr", "zh"), ``fr/X.html`` → ``X``). A name used twice makes both rows
    unpaired; a malformed line is an InputError. ``langs`` only names the columns and, for a pair of two
    languages, which markers a default name leaves out (a manifest may pair en-GB with en-US).
    """
    langs = lang_codes(langs)
    columns = "<TAB>".join(lang.upper() or "?" for lang in langs)
    from aligner.fsutil import read_input   # regular files only, size-bounded, never blocks on a FIFO

    if not os.path.lexists(path):
        raise InputError(path, "manifest not found")
    try:
        lines = read_input(path, what="manifest").decode("utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise InputError(path, "manifest is not UTF-8 text") from None
    base = os.path.dirname(path)
    rows: dict[str, list[Pair]] = defaultdict(list)
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) not in (2, 3) or not all(c.strip() for c in cells):
            raise InputError(path, f"line {number}: expected {columns} or {columns}<TAB>NAME")
        ru, en = (os.path.join(base, c.strip()) for c in cells[:2])
        name = cells[2].strip() if len(cells) == 3 else _manifest_name(cells[0].strip(), langs)
        problem = name_problem(name)
        if problem:
            raise InputError(path, f"line {number}: name {name!r} {problem}")
        rows[name].append(Pair(name, ru, en, "manifest"))
    pairs, unpaired = [], []
    for name in sorted(rows):
        if len(rows[name]) == 1:
            pairs.append(rows[name][0])
        else:
            unpaired += [Unpaired(p.ru, f"duplicate: {len(rows[name])} manifest rows named {name!r}")
                         for p in rows[name]]
    return pairs, sorted(unpaired, key=lambda u: u.path)


def _manifest_name(ru: str, langs: tuple[str, str] = DEFAULT_LANGS) -> str:
    rel = os.path.normpath(ru).replace(os.sep, "/").lstrip("/")
    rel = "/".join(part for part in rel.split("/") if part not in ("..", "."))
    try:
        key, _, _ = document_key(rel, check_langs(langs))
    except ValueError:   # en-GB with en-US: no marker tells the sides apart, the name keeps them
        key = None
    return key or _strip_extension(rel)


def name_problem(name: str) -> Optional[str]:
    """Why ``name`` cannot name output files (it becomes OUT/docs/NAME.tmx), or None."""
    parts = name.split("/")
    if not name or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return "must be a relative path without empty, '.' or '..' parts"
    if "\\" in name or any(ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 or c in "\u2028\u2029" for c in name):
        return "must not contain backslashes or control characters"
    return None


# -- array-job shards ----------------------------------------------------------------------------------------

def select_shard(pairs: list[Pair], index: int, count: int) -> list[Pair]:
    """Pairs of shard ``index`` of ``count``: round robin over pairs sorted by name.

    Every shard sees the same sorted list, so the split depends only on the corpus and the shard count, never on
    the machine or the order a file system lists files; round robin keeps the shards within one pair of each other.
    """
    if count < 1 or not 0 <= index < count:
        raise ValueError(f"shard index {index} is not in 0..{count - 1}")
    ordered = sorted(pairs, key=lambda p: p.name)
    return ordered[index::count]
