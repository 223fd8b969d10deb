"""Gold beads against test beads: strict and lax precision, recall and F1, pooled over documents.

The convention is Vecalign's ``score.py`` (Thompson & Koehn 2019, after Sennrich & Volk 2011), which published
figures use:
- precision counts every test bead, null beads included: strict when the bead equals a gold bead, lax when it
  shares a source sentence and a target sentence with some gold bead;
- recall is the same computation with the roles swapped, over the beads with both sides non-empty only.
We add the F1 of 1-1 beads and the share of gold null beads (``[i]:[]``, ``[]:[j]``) found exactly.
"""
from __future__ import annotations

import os
from collections import defaultdict
from typing import Iterable

from aligner.errors import InputError

Bead = tuple[tuple[int, ...], tuple[int, ...]]


def _bead_set(beads: Iterable[Bead]) -> set[Bead]:
    """The beads as a set of index tuples, without empty ones ([]:[] holds no sentence)."""
    return {(tuple(s), tuple(t)) for s, t in beads if s or t}


def _counts(gold: Iterable[Bead], test: Iterable[Bead]) -> list[int]:
    """[strict tp, strict fp, lax tp, lax fp] of test against gold."""
    gold_set = _bead_set(gold)
    test_set = _bead_set(test)
    gold_targets = defaultdict(set)
    for src, tgt in gold_set:
        for i in src:
            gold_targets[i].update(tgt)
    tp_s = fp_s = tp_l = fp_l = 0
    for src, tgt in test_set:
        if (src, tgt) in gold_set:
            tp_s += 1
            tp_l += 1
            continue
        fp_s += 1
        reachable = set().union(*(gold_targets[i] for i in src)) if src else set()
        if reachable & set(tgt):
            tp_l += 1
        else:
            fp_l += 1
    return [tp_s, fp_s, tp_l, fp_l]


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_beads(gold_docs: list[list[Bead]], test_docs: list[list[Bead]]) -> dict:
    if len(gold_docs) != len(test_docs):
        raise ValueError("gold and test must have the same number of documents")
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    one_gold = one_test = one_hit = 0
    null_gold = null_found = 0
    for gold, test in zip(gold_docs, test_docs):
        p = [x + y for x, y in zip(p, _counts(gold, test))]
        gold_full = [(s, t) for s, t in gold if s and t]
        test_full = [(s, t) for s, t in test if s and t]
        r = [x + y for x, y in zip(r, _counts(test_full, gold_full))]
        gold_set = {(tuple(s), tuple(t)) for s, t in gold}
        test_set = {(tuple(s), tuple(t)) for s, t in test}
        ones_g = {b for b in gold_set if len(b[0]) == 1 and len(b[1]) == 1}
        ones_t = {b for b in test_set if len(b[0]) == 1 and len(b[1]) == 1}
        one_gold += len(ones_g)
        one_test += len(ones_t)
        one_hit += len(ones_g & ones_t)
        nulls = {b for b in gold_set if bool(b[0]) != bool(b[1])}
        null_gold += len(nulls)
        null_found += len(nulls & test_set)
    ps, pl = _ratio(p[0], p[0] + p[1]), _ratio(p[2], p[2] + p[3])
    rs, rl = _ratio(r[0], r[0] + r[1]), _ratio(r[2], r[2] + r[3])
    p11, r11 = _ratio(one_hit, one_test), _ratio(one_hit, one_gold)
    return {
        "documents": len(gold_docs),
        "precision_strict": ps, "recall_strict": rs, "f1_strict": _f1(ps, rs),
        "precision_lax": pl, "recall_lax": rl, "f1_lax": _f1(pl, rl),
        "f1_1to1": _f1(p11, r11),
        "null_gold": null_gold, "null_found": null_found,
        "null_accuracy": _ratio(null_found, null_gold) if null_gold else None,
    }


def f1_by_type(gold_docs: list[list[Bead]], test_docs: list[list[Bead]]) -> dict[str, dict]:
    """Strict F1 per bead shape ("1-1", "1-2", …, "1-0"), most frequent gold shape first: precision over the test
    beads of that shape, recall over the gold beads of that shape."""
    gold_n: dict[str, int] = defaultdict(int)
    test_n: dict[str, int] = defaultdict(int)
    hits: dict[str, int] = defaultdict(int)
    for gold, test in zip(gold_docs, test_docs):
        gold_set = _bead_set(gold)
        for s, t in _bead_set(test):
            kind = f"{len(s)}-{len(t)}"
            test_n[kind] += 1
            hits[kind] += (s, t) in gold_set
        for s, t in gold_set:
            gold_n[f"{len(s)}-{len(t)}"] += 1
    out = {}
    for kind in sorted(gold_n, key=lambda k: (-gold_n[k], k)):
        p, r = _ratio(hits[kind], test_n[kind]), _ratio(hits[kind], gold_n[kind])
        out[kind] = {"f1": _f1(p, r), "gold": gold_n[kind], "test": test_n[kind], "found": hits[kind]}
    return out


def disagreements(gold: list[Bead], test: list[Bead]) -> list[tuple[list[Bead], list[Bead]]]:
    """Where two alignments of one document differ: (gold beads, test beads) of each place, for a person to judge
    which side is right, in the test's order.

    A place is a group of beads linked by shared sentences (a bead of one alignment and a bead of the other that
    hold a sentence in common are in the same place) whose two sets of beads are not the same. An F1 counts wrong
    beads; this counts places, which is what adjudicating a gold needs: one shifted boundary makes two or three
    wrong beads but one place to look at. Neither side has to cover every sentence or be in order (Text+Berg's gold
    leaves some sentences out and crosses in places).
    """
    beads = [(0, k, bead) for k, bead in enumerate(gold)] + [(1, k, bead) for k, bead in enumerate(test)]
    parent = list(range(len(beads)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    holder: dict[tuple[int, int], int] = {}         # (side, sentence) -> the first bead seen holding it
    for node, (_, _, (src, tgt)) in enumerate(beads):
        for sentence in [(0, i) for i in src] + [(1, j) for j in tgt]:
            if sentence in holder:
                parent[root(node)] = root(holder[sentence])
            else:
                holder[sentence] = node
    groups: dict[int, list[int]] = {}
    for node in range(len(beads)):
        groups.setdefault(root(node), []).append(node)
    out = []
    for nodes in groups.values():
        g = [beads[n][2] for n in nodes if beads[n][0] == 0 and (beads[n][2][0] or beads[n][2][1])]
        t = [beads[n][2] for n in nodes if beads[n][0] == 1 and (beads[n][2][0] or beads[n][2][1])]
        if _bead_set(g) != _bead_set(t):
            first_test = min((beads[n][1] for n in nodes if beads[n][0] == 1), default=len(test))
            first_gold = min((beads[n][1] for n in nodes if beads[n][0] == 0), default=len(gold))
            out.append(((first_test, first_gold), g, t))
    return [(g, t) for _, g, t in sorted(out, key=lambda item: item[0])]


def load_pairs(gold: str, test: str) -> tuple[list[str], list[list[Bead]], list[list[Bead]]]:
    """Two bead files, or two folders of NAME.gold / NAME.beads files paired by NAME."""
    from aligner.write import read_beads

    if os.path.isdir(gold) != os.path.isdir(test):
        raise InputError(test if os.path.isdir(gold) else gold,
                         "give two bead files or two folders, not one of each")
    if not os.path.isdir(gold):
        return [os.path.basename(test)], [read_beads(gold)], [read_beads(test)]
    golds = {f[:-5]: f for f in os.listdir(gold) if f.endswith(".gold")}
    tests = {f[:-6]: f for f in os.listdir(test) if f.endswith(".beads")}
    if not golds:
        raise InputError(gold, "no NAME.gold files in this folder")
    for name in sorted(golds):
        if name not in tests:
            raise InputError(os.path.join(test, name + ".beads"), "missing: the gold folder has " + golds[name])
    for name in sorted(tests):
        if name not in golds:
            raise InputError(os.path.join(gold, name + ".gold"), "missing: the test folder has " + tests[name])
    names = sorted(golds)
    return (names, [read_beads(os.path.join(gold, golds[n])) for n in names],
            [read_beads(os.path.join(test, tests[n])) for n in names])


def format_text(result: dict) -> str:
    null = "n/a" if result["null_accuracy"] is None else f"{result['null_accuracy']:.3f}"
    return "\n".join([
        f"documents          {result['documents']}",
        "              strict    lax",
        f"precision      {result['precision_strict']:.3f}  {result['precision_lax']:.3f}",
        f"recall         {result['recall_strict']:.3f}  {result['recall_lax']:.3f}",
        f"F1             {result['f1_strict']:.3f}  {result['f1_lax']:.3f}",
        f"F1 (1-1 beads) {result['f1_1to1']:.3f}",
        f"null beads     {result['null_found']}/{result['null_gold']} found exactly ({null})",
    ])
