"""The small dataclasses every stage passes on.

read → Document (paragraphs of text) → split → Document.sentences → align → Alignment (beads)
→ fill (MT targets on 1-0 beads) → write.

``AlignOptions`` says how to align; it lives here so that every stage below can type it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:  # signature.py builds on this module; the type is only for annotations
    from aligner.signature import Signature


def language_code(tag: str) -> str:
    """The primary subtag of a language tag, lower case: "ru-RU" → "ru", "zh_CN" → "zh" (what splitting, anchors,
    QA and the MT packages are chosen by)."""
    return (tag or "").replace("_", "-").split("-")[0].lower()


# Chinese is measured in English-like units: a Han character or full-width mark counts as ZH_CHAR_WEIGHT, anything
# else (figures, Latin names, ASCII punctuation) as one, the same unit as in English (median ratio to the English
# side 1.00 on the UN dev set; counting every character as one, Chinese is 0.265 of English and its spread doubles
# with the share of figures and names in a sentence).
ZH_CHAR_WEIGHT = 4.0
_WIDE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def text_size(text: str) -> float:
    """Length in English-like characters: Han characters and full-width marks count ZH_CHAR_WEIGHT each."""
    wide = len(_WIDE.findall(text))
    return wide * ZH_CHAR_WEIGHT + (len(text) - wide)


@dataclass(frozen=True)
class AlignOptions:
    """Everything that decides how a pair is read, aligned, filled and flagged (not where models live: that is
    ``aligner.resources.Resources``)."""
    input_format: str = "auto"          # auto | text | html | lines
    src_lang: str = "ru-RU"             # language tags written to TMX
    tgt_lang: str = "en-GB"
    signals: Optional[tuple[str, ...]] = None   # None: every signal available (length, anchors, embeddings, mt)
    max_bead: int = 5                   # most sentences on one side of a bead (chosen by measurement: docs/alignment.md)
    mt: str = "auto"                    # auto | none | path to a line-parallel English MT of the Russian input
    fill: Optional[bool] = None         # gap filling; None: on when a ru→en model is installed
    mt_threads: Optional[int] = None
    mt_cache: bool = True
    flags: bool = True                  # QA flags on every bead
    strict: bool = False                # an unrelated-looking pair is an error (exit 5), not a warning


@dataclass(frozen=True)
class Sentence:
    text: str
    index: int      # 0-based position among the document's sentences: what bead indices count
    paragraph: int  # 0-based paragraph number; paragraph breaks are soft anchors for the aligner


@dataclass
class Document:
    """One side of a pair, as read from a file.

    Readers fill ``paragraphs`` (plain text, one string per paragraph). The splitter fills ``sentences``;
    the ``lines`` reader fills both, because its input is already split.
    """
    path: str                                   # as given by the user: every error message names it
    paragraphs: list[str] = field(default_factory=list)
    sentences: Optional[list[Sentence]] = None
    lang: Optional[str] = None                  # "ru" / "en" when known
    title: Optional[str] = None
    date: Optional[str] = None                  # ISO date (YYYY-MM-DD) when the page states one
    number: Optional[str] = None                # MFA document number, e.g. "2545-15-12-2023"
    encoding: Optional[str] = None              # how the bytes were decoded
    format: Optional[str] = None                # text | html | lines

    def texts(self) -> list[str]:
        return [s.text for s in self.sentences or []]


@dataclass(frozen=True)
class Bead:
    """Source sentence indices aligned to target sentence indices (either side may be empty)."""
    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0                  # confidence in [0, 1]
    mt: Optional[str] = None            # machine translation filling an empty target (gap filling)
    mt_engine: Optional[str] = None     # e.g. "argostranslate translate-ru_en 1.9"
    flags: tuple[str, ...] = ()         # QA flags, e.g. ("numbers", "length-ratio")

    @property
    def kind(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    @property
    def origin(self) -> str:
        """"human" when the target is the official translation, "MT" when gap filling supplied it."""
        return "MT" if self.mt is not None and not self.tgt else "human"

    def with_(self, **changes) -> "Bead":
        return replace(self, **changes)


@dataclass
class Alignment:
    src: Document
    tgt: Document
    beads: list[Bead]
    name: str = ""                      # x-document: a stable name for the pair
    signals: tuple[str, ...] = ()       # which similarity signals produced it
    signature: Optional["Signature"] = None   # how it was made (aligner.signature); writers record it

    def src_text(self, bead: Bead) -> str:
        return join_sentences(self.src.sentences, bead.src)

    def tgt_text(self, bead: Bead) -> str:
        return join_sentences(self.tgt.sentences, bead.tgt)


def join_sentences(sentences: Optional[list[Sentence]], indices: tuple[int, ...]) -> str:
    return " ".join(sentences[i].text for i in indices) if sentences else ""


def format_bead(bead: Bead) -> str:
    """Vecalign's notation: ``[0, 1]:[0]``, ``[2]:[]``."""
    return format_indices(bead.src, bead.tgt)


def format_indices(src, tgt) -> str:
    """A bead given as its source and target sentence indices, in Vecalign's notation (``format_bead``)."""
    return f"[{', '.join(map(str, src))}]:[{', '.join(map(str, tgt))}]"


def parse_bead(line: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    left, right = line.strip().split(":")
    def side(s: str) -> tuple[int, ...]:
        s = s.strip()
        if not (s.startswith("[") and s.endswith("]")):
            raise ValueError(f"not a bead side: {s!r}")
        inner = s[1:-1].strip()
        return tuple(int(x) for x in inner.split(",")) if inner else ()
    return side(left), side(right)
