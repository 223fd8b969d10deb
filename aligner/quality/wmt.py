"""WMT test sets in the WMT22 XML format (``<doc><src><p><seg id>``, ``<ref translator>``, ``<hyp system>``).

Used to check that ``aligner score`` reproduces WMT's official scores, and to measure real length ratios.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field

from lxml import etree

from aligner.errors import InputError


@dataclass
class WmtSet:
    src: list[str] = field(default_factory=list)
    refs: dict[str, list[str]] = field(default_factory=dict)    # translator → lines, parallel to src
    hyps: dict[str, list[str]] = field(default_factory=dict)    # system → lines, parallel to src
    doc_ids: list[str] = field(default_factory=list)             # the document of each line


def safe_parser() -> etree.XMLParser:
    """No entity expansion, no network, no DTD loading: input files are untrusted."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def read_wmt_xml(path: str) -> WmtSet:
    """Segments of every document, in order; a missing ref/hyp segment becomes "" (as sacrebleu's reader does)."""
    from aligner.fsutil import read_input   # regular files only, size-bounded, never blocks on a FIFO

    data = read_input(path, what="cannot read")
    try:
        root = etree.fromstring(data, safe_parser())
    except (OSError, etree.XMLSyntaxError) as exc:
        raise InputError(path, f"not a readable WMT XML file: {exc}") from None
    out = WmtSet()
    for doc in root.iter("doc"):
        src = doc.find("src")
        if src is None:
            continue
        ids = [seg.get("id") for seg in src.iter("seg")]
        out.src += [seg.text or "" for seg in src.iter("seg")]
        out.doc_ids += [doc.get("id", "")] * len(ids)
        for tag, key, table in (("ref", "translator", out.refs), ("hyp", "system", out.hyps)):
            for side in doc.findall(tag):
                segs = {seg.get("id"): seg.text or "" for seg in side.iter("seg")}
                table.setdefault(side.get(key, ""), [""] * (len(out.src) - len(ids)))
                table[side.get(key, "")] += [segs.get(i, "") for i in ids]
        for table in (out.refs, out.hyps):   # a system missing from this document: empty lines keep it parallel
            for lines in table.values():
                lines += [""] * (len(out.src) - len(lines))
    return out


def read_official_scores(path: str, pair: str = "ru-en") -> dict[tuple[str, str], float]:
    """WMT's ``automatic-scores.tsv``: {(system, metric): score}, e.g. ("SRPOL", "bleu-A")."""
    scores = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["pair"] == pair:
                scores[(row["system"], row["metric"])] = float(row["score"])
    return scores
