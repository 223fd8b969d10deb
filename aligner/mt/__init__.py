"""Offline machine translation through installed argostranslate packages: ru→en, or any pair of ar, de, en, es,
fr, ru, zh with a package for it, or with xx→en and en→yy to pivot through English (find_route).

Sentences go straight to the package's CTranslate2 model, in batches, tokenised with its sentencepiece model.
``argostranslate.translate.translate()`` is deliberately not used: it re-splits text into sentences with MiniSBD,
Stanza or spaCy, whose models it downloads at the first call (fails offline), and it translates one paragraph at
a time. Our input is already split into sentences.

Decoding keeps argostranslate's own settings — beam size 4 (``ARGOS_BEAM_SIZE``), length penalty 0.2,
``replace_unknowns``, the package's ``target_prefix`` — unless the package metadata or the caller overrides them.

    translator = load_translator(required=True)
    translator.translate(["Мир и сотрудничество."])   # ["Peace and cooperation."]
    load_translator(src_lang="fr", tgt_lang="ru", required=True)   # translate-fr_ru, else fr_en + en_ru
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from aligner.errors import ModelError
from aligner.model import language_code
from aligner.mt.cache import TranslationCache
from aligner.mt.packages import (InstalledPackage, _version_key, list_packages, no_model_error,
                                  packages_dir)

log = logging.getLogger("aligner")

__all__ = ["Translator", "PivotTranslator", "TranslatorStats", "load_translator", "find_route", "route_among",
           "default_threads", "package_identity"]

DEFAULT_BEAM_SIZE = 4          # argostranslate.settings.beam_size
DEFAULT_LENGTH_PENALTY = 0.2   # hard-coded in argostranslate.translate.apply_packaged_translation
BATCH_SIZE = 32                # sentences per translate_batch call, sorted by length to waste little padding
MAX_DECODING_LENGTH = 512      # pieces; a batch may decode up to 2 × its longest source + 16, never more
MEMORY_LIMIT = 100_000         # translations a Translator keeps in memory (a few tens of MB), least recent out


@dataclass
class TranslatorStats:
    hits: int = 0          # sentences answered by the cache (persistent or this run's memory)
    misses: int = 0        # sentences the model had to translate
    batches: int = 0       # translate_batch calls
    seconds: float = 0.0   # time spent in the model


def default_threads() -> int:
    """``ALIGNER_MT_THREADS`` if set, else min(2, cores): the machine is usually shared with other jobs."""
    env = os.environ.get("ALIGNER_MT_THREADS")
    if env:
        try:
            value = int(env)
        except ValueError:
            value = 0
        if value < 1:
            raise ModelError(None, f"ALIGNER_MT_THREADS must be a positive integer, not {env!r}")
        return value
    return max(1, min(2, os.cpu_count() or 1))


class Translator:
    """Batched, deduplicated, cached translation with one installed package (its from_code→to_code)."""

    def __init__(self, package: InstalledPackage, threads: int, beam_size: int, length_penalty: float,
                 cache: Optional[TranslationCache] = None, compute_type: str = "default"):
        self.package = package
        self.threads = threads
        self.beam_size = beam_size
        self.length_penalty = length_penalty
        self.target_prefix = str(package.metadata.get("target_prefix") or "")
        self.compute_type = compute_type
        self.engine = f"argostranslate {package.code} {package.version}".strip()
        self.cache = cache
        self.stats = TranslatorStats()
        self.model_id = model_identity(package.path)
        # Everything that changes the output for a given model and sentence: part of the cache key.
        self.settings_key = (f"beam={beam_size};lp={length_penalty:g};prefix={self.target_prefix};unk=1;"
                             f"maxlen=2n+16<={MAX_DECODING_LENGTH};compute={compute_type};v1")
        # This process's translations, most recently used last: one Translator serves every document of a run
        # (aligner.resources.Resources), so the memory is bounded; the persistent cache keeps everything.
        self._memory: OrderedDict[str, str] = OrderedDict()
        self.memory_limit = MEMORY_LIMIT
        self._model, self._sp = _load_model(package, threads, compute_type)

    def _remember(self, pairs: dict[str, str]) -> None:
        for source, target in pairs.items():
            self._memory[source] = target
            self._memory.move_to_end(source)
        while len(self._memory) > self.memory_limit:
            self._memory.popitem(last=False)

    def translate(self, texts: list[str]) -> list[str]:
        """One translation per text, in order; blank texts give ""; each distinct sentence is translated once."""
        keys = [" ".join(text.split()) for text in texts]
        wanted = [k for k in dict.fromkeys(keys) if k]
        known = {k: self._memory[k] for k in wanted if k in self._memory}
        for k in known:
            self._memory.move_to_end(k)
        missing = [k for k in wanted if k not in known]
        if missing and self.cache is not None:
            found = self.cache.get_many(self.model_id, self.settings_key, missing)
            known.update(found)
            self._remember(found)
            missing = [k for k in missing if k not in found]
        self.stats.hits += len(wanted) - len(missing)
        self.stats.misses += len(missing)
        if missing:
            fresh = self._run(missing)
            self._remember(fresh)
            known.update(fresh)
            if self.cache is not None:
                self.cache.put_many(self.model_id, self.settings_key, fresh)
        return [known[k] if k else "" for k in keys]

    def translate_uncached(self, texts: list[str]) -> list[str]:
        """Straight through the model, one batch per BATCH_SIZE texts: for benchmarks and checks."""
        keys = [" ".join(text.split()) for text in texts]
        out = self._run([k for k in keys if k])
        return [out[k] if k else "" for k in keys]

    def _run(self, sentences: list[str]) -> dict[str, str]:
        pieces = {s: self._sp.encode(s, out_type=str) for s in sentences}
        order = sorted(sentences, key=lambda s: len(pieces[s]))
        result: dict[str, str] = {}
        started = time.perf_counter()
        for start in range(0, len(order), BATCH_SIZE):
            chunk = order[start:start + BATCH_SIZE]
            tokens = [pieces[s] for s in chunk]
            longest = max(len(t) for t in tokens)
            prefix = [[self.target_prefix]] * len(chunk) if self.target_prefix else None
            try:
                outputs = self._model.translate_batch(
                    tokens, target_prefix=prefix, beam_size=self.beam_size, length_penalty=self.length_penalty,
                    replace_unknowns=True, max_batch_size=BATCH_SIZE,
                    max_decoding_length=min(MAX_DECODING_LENGTH, 2 * longest + 16))
            except (RuntimeError, ValueError) as exc:
                raise ModelError(str(self.package.path), f"translation failed: {exc}") from None
            self.stats.batches += 1
            for sentence, output in zip(chunk, outputs):
                result[sentence] = self._detokenize(output.hypotheses[0])
        self.stats.seconds += time.perf_counter() - started
        return result

    def _detokenize(self, hypothesis: list[str]) -> str:
        if self.target_prefix and hypothesis and hypothesis[0] == self.target_prefix:
            hypothesis = hypothesis[1:]
        return " ".join(self._sp.decode_pieces(hypothesis).split())


def find_route(src_lang: str = "ru", tgt_lang: str = "en",
               directory: Optional[Path] = None) -> list[InstalledPackage] | None:
    """The installed packages that translate src_lang into tgt_lang: one package (xx→yy) when there is one, else
    two through English (xx→en, en→yy), as argostranslate itself pivots; None when neither is installed.
    Of several packages for one step, the highest version wins."""
    return route_among(list_packages(directory), src_lang, tgt_lang)


def route_among(packages: list[InstalledPackage], src_lang: str, tgt_lang: str) -> list[InstalledPackage] | None:
    """find_route over packages already listed (``models list`` asks it for every pair)."""
    src, tgt = language_code(src_lang), language_code(tgt_lang)
    usable = [p for p in packages if p.type == "translate" and p.usable]

    def best(a: str, b: str) -> InstalledPackage | None:
        found = [p for p in usable if p.from_code == a and p.to_code == b]
        return max(found, key=lambda p: (_version_key(p.version), p.name)) if found else None

    direct = best(src, tgt)
    if direct is not None:
        return [direct]
    if "en" in (src, tgt):
        return None
    first, second = best(src, "en"), best("en", tgt)
    return [first, second] if first is not None and second is not None else None


def load_translator(threads: int | None = None, beam_size: int | None = None, cache: "bool | Path" = True,
                    required: bool = False, src_lang: str = "ru",
                    tgt_lang: str = "en", directory: Optional[Path] = None,
                    default_beam_size: "int | str | None" = None) -> "Translator | PivotTranslator | None":
    """The translator for src_lang→tgt_lang (ru→en unless told) from the installed packages, pivoting through
    English when only xx→en and en→yy are installed; None when there is no route (ModelError if ``required``).

    ``directory``: the packages folder; None: the one the environment names (packages_dir). ``cache``: True for
    the translation cache where the environment says (cache_path), a path for that file, False for none.
    ``default_beam_size``: the beam when the package's metadata names none; None: ``ARGOS_BEAM_SIZE``, else 4.
    Aligning goes through aligner.resources.Resources, which reads the environment once at the edge and passes
    every one of these.
    """
    directory = packages_dir() if directory is None else Path(directory)
    route = find_route(src_lang, tgt_lang, directory)
    pair = f"{language_code(src_lang)}→{language_code(tgt_lang)}"
    if route is None:
        if required:   # names the pair, the pivot it looked for, and how to install a model
            raise no_model_error(directory, src_lang, tgt_lang)
        log.debug("%s: no %s model installed; machine translation off", directory, pair)   # the CLI warns once
        return None
    if threads is None:
        threads = default_threads()
    if threads < 1:
        raise ModelError(None, f"thread count must be at least 1, not {threads}")
    if default_beam_size is None:
        default_beam_size = os.environ.get("ARGOS_BEAM_SIZE")
    translators = [_translator(package, threads, beam_size, cache, default_beam_size) for package in route]
    return translators[0] if len(translators) == 1 else PivotTranslator(*translators)


def _translator(package: InstalledPackage, threads: int, beam_size: int | None, cache: "bool | Path",
                default_beam_size: "int | str | None" = None) -> "Translator":
    meta = package.metadata
    try:
        if beam_size is None:
            beam_size = int(meta.get("beam_size") or default_beam_size or DEFAULT_BEAM_SIZE)
        length_penalty = float(meta.get("length_penalty", DEFAULT_LENGTH_PENALTY))
    except (TypeError, ValueError) as exc:
        raise ModelError(str(package.path), f"bad decoding setting: {exc}") from None
    if beam_size < 1:
        raise ModelError(None, f"beam size must be at least 1, not {beam_size}")
    if cache is True:
        store: Optional[TranslationCache] = TranslationCache()
    else:
        store = TranslationCache(Path(cache)) if cache else None
    return Translator(package, threads=threads, beam_size=beam_size, length_penalty=length_penalty, cache=store)


class PivotTranslator:
    """xx→en then en→yy, each step a Translator with its own cache: what argostranslate does when it has no
    direct package. Quality is below a direct model's (errors compound), so a direct package is always preferred."""

    def __init__(self, first: "Translator", second: "Translator"):
        self.steps = (first, second)
        self.engine = f"{first.engine} + {second.engine} (pivot through English)"
        self.model_id = f"{first.model_id}+{second.model_id}"
        self.stats = TranslatorStats()

    def translate(self, texts: list[str]) -> list[str]:
        out = self.steps[1].translate(self.steps[0].translate(texts))
        self._sum_stats()
        return out

    def translate_uncached(self, texts: list[str]) -> list[str]:
        return self.steps[1].translate_uncached(self.steps[0].translate_uncached(texts))

    def _sum_stats(self) -> None:
        a, b = (t.stats for t in self.steps)
        self.stats = TranslatorStats(a.hits + b.hits, a.misses + b.misses, a.batches + b.batches,
                                     a.seconds + b.seconds)


def package_identity(package: InstalledPackage, model_id: Optional[str] = None) -> str:
    """``argos-translate-ru_en-1.9-<12 hex>``: the package, its version and a hash of its files (model_identity),
    with nothing in it that could be read as a separator of the alignment signature (aligner.signature)."""
    model_id = model_id or model_identity(package.path)
    name = "".join(c for c in f"argos-{package.code}-{package.version or 'unversioned'}" if c not in "|: \t\n+")
    return f"{name}-{model_id[:12]}"


# One loaded model per process: loading a real package takes a second and a few hundred MB, and a batch run
# asks for a translator once per pair.
_loaded_lock = threading.Lock()
_loaded: dict[tuple, tuple] = {}


def _load_model(package: InstalledPackage, threads: int, compute_type: str):
    import ctranslate2
    import sentencepiece

    model_dir = package.path / "model"
    stamp = (model_dir / "model.bin").stat().st_mtime_ns if (model_dir / "model.bin").exists() else 0
    key = (str(package.path.resolve()), stamp, threads, compute_type)
    with _loaded_lock:
        if key in _loaded:
            return _loaded[key]
        try:
            sp = sentencepiece.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))
        except (OSError, RuntimeError) as exc:
            raise ModelError(str(package.path), f"cannot load sentencepiece.model: {exc}") from None
        try:
            model = ctranslate2.Translator(str(model_dir), device="cpu", compute_type=compute_type,
                                           inter_threads=1, intra_threads=threads)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(str(package.path), f"cannot load the CTranslate2 model: {exc}") from None
        if len(_loaded) >= 2:      # two: a pivot keeps both of its models
            _loaded.pop(next(iter(_loaded)))
        _loaded[key] = (model, sp)
        return model, sp


def model_identity(path: Path) -> str:
    """A short hash naming exactly this model: metadata, tokeniser, config, vocabulary and weights.

    Large files contribute their size and first and last megabyte, which changes with any retrained or
    re-quantised model, so a cache entry never outlives the model that made it.
    """
    digest = hashlib.sha256()
    files = [path / "metadata.json", path / "sentencepiece.model"] + sorted((path / "model").glob("*"))
    for file in files:
        if not file.is_file():
            continue
        size = file.stat().st_size
        digest.update(f"{file.relative_to(path)}\0{size}\0".encode())
        with open(file, "rb") as handle:
            if size <= 8 * 1024 ** 2:
                digest.update(handle.read())
            else:
                digest.update(handle.read(1024 ** 2))
                handle.seek(-1024 ** 2, os.SEEK_END)
                digest.update(handle.read())
    return digest.hexdigest()[:32]
