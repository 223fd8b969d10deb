"""Similarity signals: one small object each, behind one interface.

A signal looks at a source and a target document once (``prepare``) and then scores every candidate bead of one
shape (a source sentences, b target sentences, a, b >= 1) in a band of the alignment matrix (``score``). A score is
a gain: about 0 for unrelated text, about 1 for a good translation, negative for evidence against. The search
(aligner.align.search) and the weights (aligner.align.combine) know nothing about what a signal looks at.

Signals are plug-ins: a new one is one module with a ``Signal`` subclass decorated with ``@register``, giving its
``name``, ``order`` (its place in the default set), ``weight`` (what it weighs in a combination no profile was
tuned for), ``help`` (for the CLI) and ``build`` (how it is made for one pair, or None when it cannot run here);
its tuned settings are the profiles it takes part in (``aligner.align.combine.register_profile``). The CLI's
choices and help, the default set and the signature all come from ``REGISTRY`` (docs/alignment.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Optional

import numpy as np

from aligner.align.band import Band
from aligner.model import Sentence


@dataclass(frozen=True)
class BuildContext:
    """What a signal may need to be made for one pair: the options, the loaded models, an MT file's lines."""
    options: Any                            # aligner.model.AlignOptions
    resources: Any                          # aligner.resources.Resources
    mt_lines: Optional[list[str]] = None    # --mt FILE, read
    asked: bool = False                     # named in --signals: unavailable is an error, not a silent skip

    @property
    def src_lang(self) -> str:
        return (self.options.src_lang or "ru")[:2].lower()

    @property
    def tgt_lang(self) -> str:
        return (self.options.tgt_lang or "en")[:2].lower()


class Signal:
    name: ClassVar[str] = ""
    order: ClassVar[int] = 100        # place in the default set, the log and the signature
    weight: ClassVar[float] = 1.0     # weight in a combination that has no tuned profile
    help: ClassVar[str] = ""          # one phrase for `aligner align --help`
    cheap: ClassVar[bool] = True      # cheap signals also drive the coarse first pass on long documents
    lazy: ClassVar[bool] = False      # costly per sentence: told first where the other signals were unsure (plan)
    opt_in: ClassVar[bool] = False    # used only when --signals names it, never in the default set

    @classmethod
    def build(cls, context: BuildContext) -> Optional["Signal"]:
        """The signal for one pair, or None when it cannot run here and was not asked for."""
        return cls()

    def prepare(self, src: list[Sentence], tgt: list[Sentence]) -> None:
        raise NotImplementedError

    def configure(self, weights, max_bead: int = 2) -> None:
        """Take any tuned setting of this signal's own from the weights profile, and the widest bead searched."""

    def plan(self, beads: list) -> None:
        """Before ``prepare``, for a lazy signal: the path the other signals found, with their confidences."""

    def refine(self, beads: list) -> bool:
        """Look again, more expensively, where a first path found it hard; True asks for another search."""
        return False

    def allows(self, a: int, b: int) -> bool:
        """Whether an a-b bead can be taken anywhere now: a search leaves out a shape some signal rules out
        everywhere, which saves its pass over the band."""
        return True

    def score(self, band: Band, a: int, b: int) -> np.ndarray:
        """(n+1, width) gains of the a-b bead ending at each cell of the band."""
        raise NotImplementedError

    def coarse(self, src: list[Sentence], tgt: list[Sentence],
               src_blocks: list[range], tgt_blocks: list[range]) -> "Signal":
        """The same signal for the coarse pass, whose 'sentences' are blocks of joined sentences."""
        return type(self)()


class VectorSignal(Signal):
    """A signal whose evidence is a vector per sentence and whose similarity is cosine.

    Vectors of a multi-sentence candidate are the sum of its sentences' vectors, so every bead shape is scored
    from the 1-1 dot products and running sums: no text is encoded twice.
    """
    baseline_samples: ClassVar[int] = 2000
    local_baseline: ClassVar[bool] = True

    def vectors(self, src: list[Sentence], tgt: list[Sentence]) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def prepare(self, src: list[Sentence], tgt: list[Sentence]) -> None:
        self.x, self.y = (np.asarray(v, dtype=np.float32) for v in self.vectors(src, tgt))
        self._pair = None
        self._band = None
        self.baseline = self._random_pair_cosine()
        self.bx = self._sentence_baseline(self.x, self.y)
        self.by = self._sentence_baseline(self.y, self.x)

    def _random_pair_cosine(self) -> float:
        """Mean cosine of unrelated pairs: what 'no evidence' looks like for this document."""
        n, m = len(self.x), len(self.y)
        if n < 2 or m < 2:
            return 0.0
        rng = np.random.default_rng(12345)
        k = min(self.baseline_samples, n * m)
        i = rng.integers(0, n, k)
        j = rng.integers(0, m, k)
        nx = np.linalg.norm(self.x[i], axis=1)
        ny = np.linalg.norm(self.y[j], axis=1)
        ok = (nx > 0) & (ny > 0)
        if not ok.any():
            return 0.0
        cos = np.einsum("kd,kd->k", self.x[i][ok], self.y[j][ok]) / (nx[ok] * ny[ok])
        return float(np.mean(cos))

    def _sentence_baseline(self, x: np.ndarray, y: np.ndarray, k: int = 64) -> np.ndarray:
        """Mean cosine of each sentence with unrelated sentences of the other side.

        Some sentences are close to everything (short ones, lists of names): measured against their own
        baseline they stop attracting wrong partners, as in Vecalign's normalisation.
        """
        y = y[np.linalg.norm(y, axis=1) > 0]           # sentences a lazy signal left without a vector
        if len(x) == 0 or len(y) < 2:
            return np.full(len(x), self.baseline, dtype=np.float32)
        rng = np.random.default_rng(54321)
        sample = y[rng.integers(0, len(y), min(k, len(y)))]
        ny = np.linalg.norm(sample, axis=1)
        nx = np.linalg.norm(x, axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            cos = (x @ sample.T) / np.maximum(nx[:, None] * ny[None, :], 1e-9)
        return cos.mean(axis=1).astype(np.float32)

    def cosine(self, band: Band, a: int, b: int) -> np.ndarray:
        if self._band is not band:
            self._band = band
            self._pair = band.pair_dots(self.x, self.y)
        dots = band.bead_sum(self._pair, a, b)
        nx = _run_norms(self.x, a)                               # (n+1,)
        ny = _run_norms(self.y, b)                               # (m+1,)
        cols = np.clip(band.columns(), 0, band.m)
        denom = nx[:, None] * ny[cols]
        with np.errstate(divide="ignore", invalid="ignore"):
            cos = np.where(denom > 0, dots / denom, 0.0)
        return cos.astype(np.float32)

    def score(self, band: Band, a: int, b: int) -> np.ndarray:
        cos = self.cosine(band, a, b)
        if not self.local_baseline:
            return ((cos - self.baseline) / max(1.0 - self.baseline, 1e-3)).astype(np.float32)
        local = (band.row_run(self.bx, a)[:, None] / a + band.col_run(self.by, b) / b) / 2
        return ((cos - local) / max(1.0 - self.baseline, 1e-3)).astype(np.float32)


def _run_norms(v: np.ndarray, k: int) -> np.ndarray:
    """(len+1,) norm of the sum of the k vectors ending before each position."""
    c = np.concatenate([np.zeros((1, v.shape[1]), dtype=np.float64), np.cumsum(v, axis=0, dtype=np.float64)])
    idx = np.arange(len(v) + 1)
    sums = c[idx] - c[np.clip(idx - k, 0, None)]
    return np.linalg.norm(sums, axis=1).astype(np.float32)


REGISTRY: dict[str, type[Signal]] = {}


def register(cls: type[Signal]) -> type[Signal]:
    if not cls.name:
        raise ValueError(f"{cls.__name__}: a signal needs a name to be registered")
    REGISTRY[cls.name] = cls
    return cls


def signal_names() -> tuple[str, ...]:
    """Every registered signal, in their ``order``."""
    return tuple(sorted(REGISTRY, key=lambda n: (REGISTRY[n].order, n)))


# The built-in signals register themselves on import.
from aligner.align.signals import anchors, embeddings, length, mt, muse  # noqa: E402,F401
