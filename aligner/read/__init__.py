"""Reading one side of a pair: a file on disk → Document (paragraphs, plus title/date/number when stated).

Formats (``input_format``):
  text   plain text; paragraphs separated by blank lines; republishing sites' banners and footers dropped
  html   a web page; the statement is found among the site's menus, footers and share buttons
  lines  one sentence per line, a blank line between paragraphs; fills ``sentences`` too
  auto   html when the name ends .html/.htm/.xhtml or the content starts like HTML, else text

Every problem with the file is an InputError whose message is one line: "PATH: problem". See docs/input.md.
"""
from __future__ import annotations

import re

from aligner.errors import InputError
from aligner.model import Document
from aligner.read.encoding import decode_bytes
from aligner.read.language import detect_language
from aligner.read.normalize import normalize_line

__all__ = ["read_document", "document_from_bytes", "decode_bytes", "detect_language", "looks_like_html", "FORMATS", "MAX_BYTES"]

FORMATS = ("auto", "text", "html", "lines")
# A statement is tens of kilobytes and an MFA page well under a megabyte; anything this big is not one.
MAX_BYTES = 50 * 1024 * 1024   # aligner.fsutil.MAX_INPUT_BYTES

_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_LEADING_COMMENTS = re.compile(r"^(\s*<!--.*?-->)*\s*", re.S)


def read_document(path: str, input_format: str = "auto", lang: str | None = None) -> Document:
    """Read path as input_format (auto|text|html|lines). lang ("ru"/"en") is recorded on the Document;
    when not given, the script of the text decides it (or leaves it None)."""
    if input_format not in FORMATS:
        raise InputError(path, f"unknown input format {input_format!r} (use one of: {', '.join(FORMATS)})")
    return document_from_bytes(read_bytes(path), path, input_format, lang)


def document_from_bytes(data: bytes, path: str, input_format: str = "auto", lang: str | None = None) -> Document:
    """A Document from what a file named ``path`` holds (``aligner.align`` reads texts given as strings so)."""
    if input_format not in FORMATS:
        raise InputError(path, f"unknown input format {input_format!r} (use one of: {', '.join(FORMATS)})")
    if not data:
        raise InputError(path, "empty file")
    text, encoding = decode_bytes(data, path)
    if not normalize_line(text):
        raise InputError(path, "contains only whitespace, no text")

    fmt = input_format
    if fmt == "auto":
        fmt = "html" if looks_like_html(path, text) else "text"
    doc = Document(path=path, encoding=encoding, format=fmt)

    if fmt == "lines":
        from aligner.read.lines import read_lines
        doc.paragraphs, doc.sentences = read_lines(text)
    elif fmt == "html":
        from aligner.read.html import read_html
        found = read_html(text, path)
        doc.paragraphs, doc.title, doc.date, doc.number = found.paragraphs, found.title, found.date, found.number
    else:
        from aligner.read.text import read_text
        found = read_text(text)
        doc.paragraphs, doc.title, doc.date, doc.number = found.paragraphs, found.title, found.date, found.number

    from aligner.read.limits import check_count
    # Before splitting: every paragraph is at least one sentence, and splitting a million of them takes minutes.
    check_count(path, len(doc.sentences if doc.sentences is not None else doc.paragraphs),
                "sentences" if doc.sentences is not None else "paragraphs")
    if not doc.paragraphs:
        what = "no text in the page once menus, scripts and other site chrome are removed" if fmt == "html" \
            else "no text once banners and footers are removed"
        raise InputError(path, what)
    doc.lang = lang or detect_language(" ".join(doc.paragraphs))
    return doc


def read_bytes(path: str) -> bytes:
    """The file's bytes, or an InputError saying in plain words why they cannot be had (aligner.fsutil.read_input:
    regular files only, opened without blocking, at most MAX_BYTES read)."""
    from aligner.fsutil import read_input
    return read_input(path, MAX_BYTES)


def looks_like_html(path: str, text: str) -> bool:
    if path.lower().endswith(_HTML_SUFFIXES):
        return True
    head = _LEADING_COMMENTS.sub("", text[:4096].lstrip("\ufeff"), count=1)[:1024].lower()
    if head.startswith(("<!doctype", "<html")):
        return True
    return head.startswith("<?xml") and "<html" in head
