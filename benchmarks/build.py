"""Build the alignment benchmark from ../shared/data, with fixed seeds.

dev/       WMT22 ru-en documents and UN dev documents, 1-1 by construction, perturbed the way MFA translations
           differ from their originals: two English sentences merged, two Russian sentences merged, an English
           sentence dropped (the Russian stays untranslated), a Russian sentence dropped (an English addition), and now
           and then a whole English paragraph dropped. WMT documents also get NAME.mt: the Online-G system's
           translation of each Russian line (merged lines get the outputs joined).
textberg/  Text+Berg test0–6 (German–French, the standard set), gold as published, NAME.mt from Bleualign's
           eval1989.google.fr (a line-by-line MT of eval1989.de, whose 7 articles are test0–6 in order).
textberg-dev/  Text+Berg dev (its own gold): the part of Text+Berg that weights may be tuned on.
karenina/  a real Russian–English book translation with its human-checked alignment (Anna Karenina vol. 1, OPUS
           Books as packaged by CroCoAlign; non-commercial terms: built here, never copied into the repository).
           tune = gold beads 0–2499 (the first ~27% of the book: weights may be fitted on it); val = beads
           2500–4639 (consulted when choosing between variants of a rule, never fitted on); report = beads 4640
           to the end (the second half, 4.9k + 5.3k sentences, one document as a user would align a book): the
           figure we report.

Each document is NAME.ru / NAME.en (NAME.de / NAME.fr for Text+Berg) in `lines` format (one sentence per line,
blank line = paragraph break), NAME.gold (beads; indices count sentences only) and optionally NAME.mt (one line per
source sentence). Rates: each of the four sentence events with probability RATE per sentence (mutually exclusive,
merges only inside a paragraph), a whole English paragraph with probability PARAGRAPH_DROP; every document has its
own generator seeded with "SEED:NAME", so adding or removing a document leaves the others unchanged.
"""
from __future__ import annotations

import os
import random
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from aligner.model import format_indices, parse_bead

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ALIGNER_SHARED", ROOT.parent / "shared")) / "data"
MT_SYSTEM = "Online-G"          # the strongest ru-en system by WMT22's official BLEU
RATE = 0.05                     # per sentence, for each of the four sentence-level events
PARAGRAPH_DROP = 0.04           # per paragraph (documents with 3+ paragraphs)
UN_DOCS = 20
UN_MIN, UN_MAX = 60, 150


@dataclass
class Doc:
    name: str
    src: list[list[str]]                      # paragraphs of sentences, 1-1 with tgt
    tgt: list[list[str]]
    mt: list[list[str]] | None = None


@dataclass
class Built:
    ru: list[list[str]] = field(default_factory=list)     # paragraphs of sentences
    en: list[list[str]] = field(default_factory=list)
    gold: list[tuple[list[int], list[int]]] = field(default_factory=list)
    mt: list[str] = field(default_factory=list)
    # drop_en and drop_ru count single sentences; drop_paragraph counts whole English paragraphs dropped, whose
    # Russian sentences (paragraph_sentences of them) become [i]:[] beads too
    events: dict = field(default_factory=lambda: {"merge_en": 0, "merge_ru": 0, "drop_en": 0, "drop_ru": 0,
                                                  "drop_paragraph": 0, "paragraph_sentences": 0})


def wmt_docs() -> list[Doc]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    tree = etree.parse(str(SHARED / "wmt22-ruen" / "wmttest2022.ru-en.all.xml"), parser)
    docs = []
    for doc in tree.iter("doc"):
        def paragraphs(el):
            return [[(seg.text or "").strip() for seg in p.iter("seg")] for p in el.iter("p")]
        hyp = next((h for h in doc.iter("hyp") if h.get("system") == MT_SYSTEM), None)
        ref = next(r for r in doc.iter("ref") if r.get("translator", "A") == "A")
        docs.append(Doc("wmt-" + doc.get("id"), paragraphs(doc.find("src")), paragraphs(ref),
                        paragraphs(hyp) if hyp is not None else None))
    return docs


def un_docs(limit: int = UN_DOCS, src: str = "ru", tgt: str = "en") -> list[Doc]:
    """UN dev sentences regrouped by document symbol, in order (of the English positions), joined into documents
    of 60–150 sentences; ``src`` and ``tgt`` are any two of the six languages, line for line."""
    base = SHARED / "un-devset"
    ru = (base / f"UNv1.0.devset.{src}").read_text(encoding="utf-8").splitlines()
    en = (base / f"UNv1.0.devset.{tgt}").read_text(encoding="utf-8").splitlines()
    ids = (base / "UNv1.0.devset.ids").read_text(encoding="utf-8").splitlines()
    by_symbol: OrderedDict[str, list[tuple[int, int, int]]] = OrderedDict()
    for k, line in enumerate(ids):
        fields = line.split()
        pos = dict(f.split(":", 1) for f in fields[1:])
        par, sent = (int(x) for x in pos["en"].split(":"))
        by_symbol.setdefault(fields[0], []).append((par, sent, k))
    docs, src, tgt = [], [], []
    count = 0
    for symbol, rows in by_symbol.items():
        rows.sort()
        last = None
        for par, _, k in rows:
            if par != last:
                src.append([])
                tgt.append([])
                last = par
            src[-1].append(ru[k].strip())
            tgt[-1].append(en[k].strip())
            count += 1
        if count >= UN_MIN:
            if count <= UN_MAX:
                docs.append(Doc(f"un-{len(docs):03d}", src, tgt))
            src, tgt, count = [], [], 0
            if len(docs) == limit:
                break
    return docs


def perturb(doc: Doc, rng: random.Random) -> Built:
    out = Built()
    units = [(s, t, (doc.mt[p][k] if doc.mt else None), p)
             for p, (ps, pt) in enumerate(zip(doc.src, doc.tgt)) for k, (s, t) in enumerate(zip(ps, pt))]
    npar = len(doc.src)
    dropped = {p for p in range(npar) if npar >= 3 and rng.random() < PARAGRAPH_DROP}
    out.events["drop_paragraph"] = len(dropped)
    n_ru = n_en = 0
    cur_par = None

    def add(ru_texts, en_texts, mt_texts, par):
        nonlocal n_ru, n_en, cur_par
        if par != cur_par:
            out.ru.append([])
            out.en.append([])
            cur_par = par
        ru_ids = list(range(n_ru, n_ru + len(ru_texts)))
        en_ids = list(range(n_en, n_en + len(en_texts)))
        out.ru[-1].extend(ru_texts)
        out.en[-1].extend(en_texts)
        out.mt.extend(mt_texts)
        out.gold.append((ru_ids, en_ids))
        n_ru += len(ru_texts)
        n_en += len(en_texts)

    i = 0
    while i < len(units):
        s, t, m, p = units[i]
        nxt = units[i + 1] if i + 1 < len(units) and units[i + 1][3] == p else None
        x = rng.random()
        if p in dropped:
            add([s], [], [m], p)
            out.events["paragraph_sentences"] += 1
            i += 1
        elif x < RATE and nxt:
            add([s, nxt[0]], [t + " " + nxt[1]], [m, nxt[2]], p)
            out.events["merge_en"] += 1
            i += 2
        elif x < 2 * RATE and nxt:
            add([s + " " + nxt[0]], [t, nxt[1]], [f"{m} {nxt[2]}" if m else None], p)
            out.events["merge_ru"] += 1
            i += 2
        elif x < 2 * RATE:
            # a merge drawn at a paragraph's last sentence has nothing to merge with: keep the pair 1-1 rather than
            # let it fall through to a drop (which would make drops at paragraph ends three times as likely)
            add([s], [t], [m], p)
            i += 1
        elif x < 3 * RATE:
            add([s], [], [m], p)
            out.events["drop_en"] += 1
            i += 1
        elif x < 4 * RATE:
            add([], [t], [], p)
            out.events["drop_ru"] += 1
            i += 1
        else:
            add([s], [t], [m], p)
            i += 1
    # paragraphs emptied on one side (a dropped English paragraph) are not written as blank runs
    out.ru = [p for p in out.ru if p]
    out.en = [p for p in out.en if p]
    return out


def _lines(paragraphs: list[list[str]]) -> str:
    return "\n\n".join("\n".join(p) for p in paragraphs if p) + "\n"


def _beads(gold) -> str:
    return "".join(format_indices(s, t) + "\n" for s, t in gold)


def check_gold(gold, n_src: int, n_tgt: int) -> None:
    """Gold beads must cover every sentence of each side exactly once, in order: what a monotone aligner produces."""
    src = [i for s, _ in gold for i in s]
    tgt = [j for _, t in gold for j in t]
    if src != list(range(n_src)) or tgt != list(range(n_tgt)):
        raise ValueError("gold beads do not cover every sentence exactly once, in order")
    if any(not s and not t for s, t in gold):
        raise ValueError("gold has an empty bead")


def check_readback(path: Path, expected: int) -> None:
    """The aligner's `lines` reader must see as many sentences as the builder wrote, or the gold indices would
    point at the wrong sentences (a line it normalises away, e.g. only invisible characters, shifts them all)."""
    from aligner.read.lines import read_lines

    _, sentences = read_lines(path.read_text(encoding="utf-8"))
    if len(sentences) != expected:
        raise ValueError(f"{path}: the lines reader sees {len(sentences)} sentences, the builder wrote {expected}")


def write_doc(folder: Path, name: str, built: Built) -> None:
    n_ru, n_en = sum(map(len, built.ru)), sum(map(len, built.en))
    check_gold(built.gold, n_ru, n_en)
    (folder / f"{name}.ru").write_text(_lines(built.ru), encoding="utf-8")
    (folder / f"{name}.en").write_text(_lines(built.en), encoding="utf-8")
    (folder / f"{name}.gold").write_text(_beads(built.gold), encoding="utf-8")
    if built.mt and all(m is not None for m in built.mt):
        if len(built.mt) != n_ru:
            raise ValueError(f"{name}: {len(built.mt)} MT lines for {n_ru} Russian sentences")
        (folder / f"{name}.mt").write_text("\n".join(built.mt) + "\n", encoding="utf-8")
    check_readback(folder / f"{name}.ru", n_ru)
    check_readback(folder / f"{name}.en", n_en)


def build_dev(out: Path, seed: int = 20231215) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    totals: dict = {"documents": 0, "ru_sentences": 0}
    for k, doc in enumerate(wmt_docs() + un_docs()):
        built = perturb(doc, random.Random(f"{seed}:{doc.name}"))
        write_doc(out, doc.name, built)
        totals["documents"] += 1
        totals["ru_sentences"] += sum(len(p) for p in built.ru)
        for e, v in built.events.items():
            totals[e] = totals.get(e, 0) + v
    return totals


KARENINA = "opus-books-ruen/karenina-vol1.en-ru.jsonl"
KARENINA_PARTS = {"tune": (0, 2500), "val": (2500, 4640), "report": (4640, None)}


def _placeholder(s: str) -> str:
    # a blank sentence would vanish in `lines` input and shift every index after it: keep a visible placeholder
    return s.strip() or "–"


def build_karenina(out: Path) -> dict:
    """The book's gold beads as `lines` documents, Russian first (the source side), in the two parts above."""
    import json

    path = SHARED / KARENINA
    if not path.exists():
        raise FileNotFoundError(f"{path}: the real ru-en track needs ../shared/data/{KARENINA} (see "
                                "docs/benchmark.md); it is not shipped with the repository")
    out.mkdir(parents=True, exist_ok=True)
    beads = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    counts = {}
    for part, (start, stop) in KARENINA_PARTS.items():
        pairs = [(bead["targets"]["text"], bead["sources"]["text"]) for bead in beads[start:stop]]
        counts[part] = write_bead_document(out, part, "ru", "en", pairs)     # CroCoAlign: English sources
    return counts


def write_bead_document(out: Path, name: str, src_ext: str, tgt_ext: str,
                        beads: list[tuple[list[str], list[str]]]) -> tuple[int, int, int]:
    """Gold beads given as (source sentences, target sentences) as one `lines` document NAME.SRC / NAME.TGT /
    NAME.gold; (source sentences, target sentences, beads)."""
    src: list[str] = []
    tgt: list[str] = []
    gold = []
    for s, t in beads:
        gold.append((list(range(len(src), len(src) + len(s))), list(range(len(tgt), len(tgt) + len(t)))))
        src += [_placeholder(x) for x in s]
        tgt += [_placeholder(x) for x in t]
    (out / f"{name}.{src_ext}").write_text("\n".join(src) + "\n", encoding="utf-8")
    (out / f"{name}.{tgt_ext}").write_text("\n".join(tgt) + "\n", encoding="utf-8")
    (out / f"{name}.gold").write_text(_beads(gold), encoding="utf-8")
    check_readback(out / f"{name}.{src_ext}", len(src))
    check_readback(out / f"{name}.{tgt_ext}", len(tgt))
    return len(src), len(tgt), len(gold)


def build_textberg_dev(out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    base = SHARED / "textberg-defr"
    src = (base / "dev.de").read_text(encoding="utf-8").splitlines()
    tgt = (base / "dev.fr").read_text(encoding="utf-8").splitlines()
    gold = [parse_bead(line) for line in (base / "dev.defr").read_text().splitlines() if line.strip()]
    (out / "dev.de").write_text("\n".join(_placeholder(s) for s in src) + "\n", encoding="utf-8")
    (out / "dev.fr").write_text("\n".join(_placeholder(s) for s in tgt) + "\n", encoding="utf-8")
    (out / "dev.gold").write_text(_beads(gold), encoding="utf-8")
    check_readback(out / "dev.de", len(src))
    check_readback(out / "dev.fr", len(tgt))
    return {"documents": 1}


def build_textberg(out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    base = SHARED / "textberg-defr"
    de = (base / "bleualign_eval" / "eval1989.de").read_text(encoding="utf-8").splitlines()
    fr_mt = (base / "bleualign_eval" / "eval1989.google.fr").read_text(encoding="utf-8").splitlines()
    articles, current, current_mt = [], [], []
    for line, mt in zip(de, fr_mt):
        if line.strip() == ".EOA":
            articles.append((current, current_mt))
            current, current_mt = [], []
        else:
            current.append(line)
            current_mt.append(mt)
    articles.append((current, current_mt))
    if len(articles) != 7:
        raise ValueError(f"eval1989.de has {len(articles)} .EOA-separated articles, expected 7 (test0–6)")
    for k in range(7):
        src = (base / f"test{k}.de").read_text(encoding="utf-8").splitlines()
        tgt = (base / f"test{k}.fr").read_text(encoding="utf-8").splitlines()
        text, mt = articles[k]
        if [s.strip() for s in text] != [s.strip() for s in src]:
            raise ValueError(f"eval1989.de article {k} does not match test{k}.de")
        # the published gold as is: set-based scoring does not need it sorted, and it leaves a few sentences out
        gold = [parse_bead(line) for line in (base / f"test{k}.defr").read_text().splitlines() if line.strip()]
        (out / f"test{k}.de").write_text("\n".join(_placeholder(s) for s in src) + "\n", encoding="utf-8")
        (out / f"test{k}.fr").write_text("\n".join(_placeholder(s) for s in tgt) + "\n", encoding="utf-8")
        (out / f"test{k}.mt").write_text("\n".join(_placeholder(s) for s in mt) + "\n", encoding="utf-8")
        (out / f"test{k}.gold").write_text(_beads(gold), encoding="utf-8")
        check_readback(out / f"test{k}.de", len(src))
        check_readback(out / f"test{k}.fr", len(tgt))
        check_readback(out / f"test{k}.mt", len(src))
    return {"documents": 7}


GOLD_NAME = re.compile(r"^(?P<stem>.+)\.(?P<sources>[a-z]{2,3})-(?P<targets>[a-z]{2,3})\.jsonl$")


def gold_jsonl_languages(path: Path) -> tuple[str, str, str]:
    """(stem, language of the ``sources`` field, of ``targets``) from a name such as book.en-ru.jsonl."""
    match = GOLD_NAME.match(path.name)
    if not match or match["sources"] == match["targets"]:
        raise ValueError(f"{path}: name a gold JSONL file NAME.XX-YY.jsonl, XX the language of its \"sources\" "
                         "and YY of its \"targets\" (e.g. book.en-ru.jsonl)")
    return match["stem"], match["sources"], match["targets"]


def build_gold_jsonl(path: Path, out: Path) -> dict:
    """A human-aligned translation in the CroCoAlign JSONL layout of the book (one gold bead per line,
    ``{"sources": {"text": [...]}, "targets": {"text": [...]}}``) as one `lines` document, ``all``.

    The ``targets`` side is the aligner's source, as in the book's track (CroCoAlign puts the original there)."""
    import json

    _, src_lang, tgt_lang = gold_jsonl_languages(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read it as UTF-8 text ({exc})") from None
    pairs: list[tuple[list[str], list[str]]] = []       # (targets: the aligner's source side, sources)
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            bead = json.loads(line)
            t, s = bead["targets"]["text"], bead["sources"]["text"]
            if not (isinstance(t, list) and isinstance(s, list) and all(isinstance(x, str) for x in t + s)):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise ValueError(f"{path}:{number}: not a gold bead (want {{\"sources\": {{\"text\": [...]}}, "
                             "\"targets\": {\"text\": [...]}} with lists of sentences)") from None
        if t or s:
            pairs.append((t, s))
    if not any(t for t, _ in pairs) or not any(s for _, s in pairs):
        raise ValueError(f"{path}: no sentences on one side: nothing to align")
    out.mkdir(parents=True, exist_ok=True)
    n_src, n_tgt, n_beads = write_bead_document(out, "all", tgt_lang, src_lang, pairs)
    return {"sentences": (n_src, n_tgt), "beads": n_beads}
