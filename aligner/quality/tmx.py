"""Segment pairs from an aligned TMX, for scoring one side against the other."""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from aligner.errors import InputError
from aligner.quality.wmt import safe_parser

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_TMX_BYTES = 200 * 1024 * 1024   # a corpus of merged files (10,000 units each) is read file by file


@dataclass(frozen=True)
class TmxPair:
    src: str
    tgt: str
    mt: bool            # the target is machine translation (gap filling), not a human reference


def read_tmx_pairs(path: str, src_lang: str = "ru", tgt_lang: str = "en",
                   keep_incomplete: bool = False) -> list[TmxPair]:
    """Every <tu> with a ``src_lang`` and a ``tgt_lang`` variant, in order.

    "en" matches any English variant (en-GB, en-US); "en-GB" only that one. With ``keep_incomplete`` a unit
    missing a side is kept with "" for it, so a file with one line per unit stays parallel.
    """
    from aligner.fsutil import read_input   # regular files only, size-bounded, never blocks on a FIFO

    data = read_input(path, limit=MAX_TMX_BYTES, what="cannot read")
    try:
        root = etree.fromstring(data, safe_parser()) if data.strip() else None
        if root is None:
            raise InputError(path, "not well-formed XML: empty file")
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"not well-formed XML: {exc}") from None
    if root.tag != "tmx":
        raise InputError(path, f"not a TMX file (root element <{root.tag}>)")
    pairs = []
    for tu in root.iter("tu"):
        src = tgt = None
        for tuv in tu.findall("tuv"):
            lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower()
            seg = tuv.find("seg")
            if seg is None:
                continue
            # XPath's string value: inline markup's text, but never an (unresolved) entity reference.
            text = seg.xpath("string()").strip()
            if src is None and _lang_matches(lang, src_lang):
                src = text
            elif tgt is None and _lang_matches(lang, tgt_lang):
                tgt = text
        if (src is not None and tgt is not None) or keep_incomplete:
            pairs.append(TmxPair(src or "", tgt or "", mt=_is_mt(tu)))
    if not pairs:
        raise InputError(path, f"no translation units with both {src_lang} and {tgt_lang} text")
    return pairs


def _lang_matches(lang: str, wanted: str) -> bool:
    wanted = wanted.lower()
    return lang == wanted or ("-" not in wanted and lang.split("-")[0] == wanted)


def _is_mt(tu) -> bool:
    """A unit whose English came from gap filling: the writer marks it with a prop (x-origin=MT or an MT engine)."""
    for prop in tu.iter("prop"):
        kind, value = (prop.get("type") or "").lower(), (prop.text or "").strip().lower()
        if kind in ("x-origin", "x-translation-origin") and value in ("mt", "machine", "machine translation"):
            return True
        if kind in ("x-mt-engine", "x-mt") and value:
            return True
    return False
