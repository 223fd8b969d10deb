"""TMX 1.4: one <tu> per bead that has text on both sides, built with lxml, valid against the official DTD.

A bead whose English is a machine translation (gap filling) is still a unit, but its English variant says so
three times over — ``x-origin`` MT, ``x-mt-engine`` and a note — so that no tool or reader can take it for the
official translation. A bead with nothing on one side is not a unit at all: a TM entry needs both languages.
"""
from __future__ import annotations

import datetime as _dt
import functools
import io
from importlib import resources
from typing import Iterable, Optional

from lxml import etree

from aligner import __version__
from aligner.errors import AlignerError
from aligner.model import Alignment, Bead
from aligner.write.fields import clean_text, document_name, target_text

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Written by hand: lxml's own declaration uses single quotes. No DOCTYPE, as Trados and memoQ write their TMX: a
# SYSTEM "tmx14.dtd" would name a file that is not beside the output (xmllint --valid, and any reader that loads
# DTDs, then fails), and no CAT tool needs one. Validate against the shipped DTD instead (docs/formats.md).
PROLOG = b'<?xml version="1.0" encoding="UTF-8"?>\n'
UNITS = ("all", "human", "mt")

SIGNATURE_PROP = "x-aligner-signature"


def creation_date(epoch: int) -> str:
    """UTC ``YYYYMMDDThhmmssZ`` of ``epoch`` (seconds since 1970-01-01 UTC)."""
    return _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def parse_epoch(raw: str, name: str = "SOURCE_DATE_EPOCH") -> int:
    """``raw`` as the reproducible-builds spec reads SOURCE_DATE_EPOCH (a non-negative decimal integer, nothing
    else), in a range a date can show; AlignerError naming ``name`` otherwise."""
    raw = raw.strip()
    problem = f"{name}={raw!r} is not a whole number of seconds since 1970-01-01 UTC"
    if not raw.isdigit():
        raise AlignerError(None, problem)
    try:
        creation_date(int(raw))
    except (OverflowError, OSError, ValueError):
        raise AlignerError(None, problem + " in a representable range") from None
    return int(raw)


def tuid(alignment: Alignment, bead: Bead) -> str:
    """``DOC:3-4:3``: the document and the bead's sentence indices, so it never depends on the run or the batch."""
    return f"{document_name(alignment)}:{'-'.join(map(str, bead.src))}:{'-'.join(map(str, bead.tgt))}"


def unit_kind(alignment: Alignment, bead: Bead) -> Optional[str]:
    """"human" or "MT" for a bead that becomes a <tu>; None for one that cannot (a side without text)."""
    if not clean_text(alignment.src_text(bead)).strip():
        return None
    if bead.tgt:
        return "human" if clean_text(alignment.tgt_text(bead)).strip() else None
    if bead.origin == "MT" and clean_text(bead.mt or "").strip():
        return "MT"
    return None


def skipped_beads(alignment: Alignment) -> list[Bead]:
    """The beads no TMX gets: one side empty and no machine translation to fill it."""
    return [bead for bead in alignment.beads if unit_kind(alignment, bead) is None]


def render_tmx(alignments: Iterable[Alignment], src_lang: str, tgt_lang: str, units: str = "all",
               created: Optional[int] = None, signatures: Iterable[str] = ()) -> bytes:
    """A whole TMX document; ``units`` picks all units, only the human ones, or only the MT-filled ones.

    A pure function of its arguments: ``created`` (seconds since 1970, UTC) is the header's creationdate, left out
    when None; the header has one ``x-aligner-signature`` prop per distinct signature, the alignments' own and
    then ``signatures`` (a merged file's, whose alignments are not in memory).
    """
    if units not in UNITS:
        raise ValueError(f"units must be one of {UNITS}, not {units!r}")
    alignments = list(alignments)
    src_lang, tgt_lang = clean_text(src_lang), clean_text(tgt_lang)
    root = etree.Element("tmx", version="1.4")
    attributes = {
        "creationtool": "aligner",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": "aligner",
        "adminlang": "en-US",
        "srclang": src_lang,
        "datatype": "plaintext",
    }
    if created is not None:
        attributes["creationdate"] = creation_date(created)
    header = etree.SubElement(root, "header", attributes)
    signed = [str(a.signature) for a in alignments if a.signature is not None] + list(signatures)
    for signature in dict.fromkeys(signed):
        _prop(header, SIGNATURE_PROP, signature)
    body = etree.SubElement(root, "body")
    for alignment in alignments:
        for bead in alignment.beads:
            kind = unit_kind(alignment, bead)
            if kind is None or (units == "human" and kind == "MT") or (units == "mt" and kind == "human"):
                continue
            body.append(_unit(alignment, bead, src_lang, tgt_lang))
    return PROLOG + etree.tostring(root, encoding="UTF-8", xml_declaration=False, pretty_print=True)


def _unit(alignment: Alignment, bead: Bead, src_lang: str, tgt_lang: str) -> etree._Element:
    tu = etree.Element("tu", tuid=tuid(alignment, bead))
    _prop(tu, "x-align-type", bead.kind)
    _prop(tu, "x-align-score", f"{bead.score:.4f}")
    _prop(tu, "x-document", document_name(alignment))
    # The dateline is metadata, not text to translate: the readers (HTML and plain text alike) take the date out
    # of the body, and it travels here, ISO 8601, on every unit of the document.
    date = clean_text(alignment.src.date or alignment.tgt.date or "").strip()
    if date:
        _prop(tu, "x-date", date)
    flags = ",".join(clean_text(f) for f in bead.flags if clean_text(f))
    if flags:
        _prop(tu, "x-flags", flags)

    src_tuv = etree.SubElement(tu, "tuv", {XML_LANG: src_lang})
    _seg(src_tuv, alignment.src_text(bead))
    tgt_tuv = etree.SubElement(tu, "tuv", {XML_LANG: tgt_lang})
    if bead.origin == "MT":
        # The DTD wants a tuv's notes and props before its seg.
        engine = clean_text(bead.mt_engine or "").strip()
        note = etree.SubElement(tgt_tuv, "note")
        note.text = (f"Machine translation{f' ({engine})' if engine else ''}; no human translation in the source "
                     "document. Check before use.")
        _prop(tgt_tuv, "x-origin", "MT")
        if engine:
            _prop(tgt_tuv, "x-mt-engine", engine)
    _seg(tgt_tuv, target_text(alignment, bead))
    return tu


def _prop(parent: etree._Element, kind: str, value: str) -> None:
    prop = etree.SubElement(parent, "prop", type=kind)
    prop.text = clean_text(value)


def _seg(tuv: etree._Element, text: str) -> None:
    seg = etree.SubElement(tuv, "seg")
    seg.text = clean_text(text).strip()


# -- validation ----------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def tmx14_dtd() -> etree.DTD:
    """The official TMX 1.4 DTD shipped in aligner/data (see NOTICE-tmx14-dtd.txt)."""
    data = resources.files("aligner").joinpath("data").joinpath("tmx14.dtd").read_bytes()
    return etree.DTD(io.BytesIO(data))


def validate_tmx(data: bytes, dtd: Optional[etree.DTD] = None) -> None:
    """Raise ValueError, with the DTD's error log, unless ``data`` is a TMX 1.4 document valid against the DTD."""
    # huge_tree: a sentence may be longer than libxml2's 10 MB text-node limit (a 50 MB page without a full stop);
    # safe here because no entity is ever resolved and this checks what the writer itself rendered.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not well-formed XML: {exc}") from None
    if root.tag != "tmx":
        raise ValueError(f"not a TMX document: the root element is <{root.tag}>, not <tmx>")
    dtd = dtd if dtd is not None else tmx14_dtd()
    if not dtd.validate(root):
        errors = "; ".join(f"line {e.line}: {e.message}" for e in dtd.error_log)
        raise ValueError(f"not valid against the TMX 1.4 DTD: {errors}")
