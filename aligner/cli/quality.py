"""`aligner score`, `aligner evaluate-mt` and `aligner review`: thin wrappers over aligner.quality and
aligner.write.review."""
from __future__ import annotations

import json
import os

import click

from aligner.cli import main, note, pair_codes
from aligner.cli.align import input_options, options_from, summary
from aligner.errors import InputError, OutputError

FORMATS = click.Choice(["json", "text"])


def score_options(f):
    """Options shared by score and evaluate-mt."""
    f = click.option("-o", "--output", default="-", show_default=True, metavar="OUT",
                     help="Write the scores to OUT instead of stdout.")(f)
    f = click.option("--width", type=click.IntRange(0, 10), default=2, show_default=True,
                     help="Decimals in the scores.")(f)
    f = click.option("--format", "fmt", type=FORMATS, default="json", show_default=True,
                     help="json: sacrebleu's shape (a list of {name, score, signature, …}); text: a table.")(f)
    f = click.option("--sentence", is_flag=True,
                     help="Add per-segment chrF and sentence BLEU (effective order).")(f)
    f = click.option("--lowercase", "-lc", is_flag=True, help="Case-insensitive scores.")(f)
    f = click.option("--chrf-word-order", type=click.IntRange(0, 6), default=0, show_default=True,
                     help="Word n-gram order of chrF: 0 is chrF, 2 is chrF++.")(f)
    f = click.option("--metrics", default="bleu,chrf,ter", show_default=True, metavar="LIST",
                     help="Comma list of bleu, chrf, ter.")(f)
    return f


def make_score_options(metrics: str, chrf_word_order: int, lowercase: bool, sentence: bool, width: int):
    from aligner.quality.scoring import ScoreOptions, parse_metrics

    try:
        names = parse_metrics(metrics)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--metrics") from None
    return ScoreOptions(metrics=names, chrf_word_order=chrf_word_order, lowercase=lowercase, sentence=sentence,
                        width=width)


def read_lines(path: str) -> list[str]:
    """A line-parallel text file: one segment per line, UTF-8."""
    from aligner.fsutil import read_input   # regular files only, size-bounded, never blocks on a FIFO

    data = read_input(path, what="cannot read")
    if b"\x00" in data:
        raise InputError(path, "binary file, expected UTF-8 text with one segment per line")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 (byte {exc.start})") from None
    lines = text.splitlines()
    if not lines:
        raise InputError(path, "empty file")
    return lines


def emit(results: dict[str, list[dict]], fmt: str, output: str, width: int) -> None:
    """JSON: one system gives sacrebleu's own list; several add a "system" key to every entry."""
    from aligner.fsutil import atomic_open
    from aligner.quality.scoring import format_segments, format_table

    if fmt == "json":
        if len(results) == 1:
            payload = next(iter(results.values()))
        else:
            payload = [{"system": system, **entry} for system, entries in results.items() for entry in entries]
        text = json.dumps(payload, indent=1, ensure_ascii=False)
    else:
        blocks = [format_table(results, width)]
        for system, entries in results.items():
            segments = format_segments(entries, width)
            if segments:
                blocks.append(f"{system}:\n{segments}" if len(results) > 1 else segments)
        text = "\n\n".join(blocks)
    with atomic_open(output, "w") as handle:
        handle.write(text + "\n")


@main.command()
@click.option("--ref", "ref", default=None, metavar="REF", help="Reference: one segment per line.")
@click.option("--hyp", "hyps", multiple=True, metavar="HYP",
              help="Hypothesis, line-parallel with REF (or with the TMX's units); repeat to score several systems.")
@click.option("--tmx", default=None, metavar="FILE",
              help="Take the reference from an aligned TMX (its --ref-lang side); the hypothesis is --hyp or the "
                   "TMX's --hyp-lang side. MT-filled units have no human reference and are left out.")
@click.option("--ref-lang", default="en", show_default=True, help="With --tmx: the reference language.")
@click.option("--hyp-lang", default="ru", show_default=True,
              help="With --tmx: the TMX's other side (the one --hyp translates); with no --hyp, give it to score that "
                   "side itself, another variant of the reference language (e.g. en-US against en-GB).")
@score_options
def score(ref: str | None, hyps: tuple[str, ...], tmx: str | None, ref_lang: str, hyp_lang: str, metrics: str,
          chrf_word_order: int, lowercase: bool, sentence: bool, fmt: str, width: int, output: str) -> None:
    """Corpus BLEU, chrF and TER (sacrebleu) of HYP against REF, each with its signature.

    \b
    Examples:
      aligner score --ref ref.en --hyp mt.en
      aligner score --ref ref.en --hyp a.en --hyp b.en --metrics bleu,chrf --format text
      aligner score --ref ref.en --hyp mt.en --sentence --chrf-word-order 2
      aligner score --tmx aligned.tmx --hyp mt-of-russian-side.en
    """
    from aligner.quality.scoring import score_systems

    from aligner.fsutil import check_outputs

    options = make_score_options(metrics, chrf_word_order, lowercase, sentence, width)
    if (ref is None) == (tmx is None):
        raise click.UsageError("give exactly one of --ref or --tmx")
    check_outputs([("-o", output)], [p for p in (ref, tmx, *hyps) if p])
    if tmx is None:
        if not hyps:
            raise click.UsageError("--ref needs at least one --hyp")
        refs = read_lines(ref)  # type: ignore[arg-type]
        systems = {path: read_lines(path) for path in hyps}
    else:
        if not hyps:
            from aligner.quality.tmx import read_tmx_pairs
            read_tmx_pairs(tmx, hyp_lang, ref_lang)   # a bad or hostile TMX is refused as such first
            _check_tmx_without_hyp(ref_lang, hyp_lang)
        refs, systems = _tmx_sides(tmx, hyps, ref_lang, hyp_lang)
    for path, lines in systems.items():
        if len(lines) != len(refs):
            raise InputError(path, f"{len(lines)} lines, but the reference has {len(refs)}: the files must be "
                                   "line-parallel")
    emit(score_systems(systems, refs, options), fmt, output, width)


def _check_tmx_without_hyp(ref_lang: str, hyp_lang: str) -> None:
    """Scoring one language side of a TMX against the other (its Russian against its English) means nothing (BLEU
    near 0, no warning): refuse it, and say what to pass. Two variants of one language (--hyp-lang en-US
    --ref-lang en-GB) stay possible."""
    explicit = click.get_current_context().get_parameter_source("hyp_lang") != click.core.ParameterSource.DEFAULT
    same_language = hyp_lang.split("-")[0].lower() == ref_lang.split("-")[0].lower()
    if not (explicit and same_language):
        raise click.UsageError(
            f"--tmx needs --hyp FILE: a machine translation of the TMX's {hyp_lang} side into {ref_lang}, one line "
            f"per translation unit, to score against its {ref_lang} side (or run `aligner evaluate-mt TMX` to "
            "translate and score in one step); scoring one language against another means nothing")


def _tmx_sides(tmx: str, hyps: tuple[str, ...], ref_lang: str, hyp_lang: str):
    """The reference from the TMX; each --hyp has one line per unit of the TMX (MT-filled units dropped too)."""
    from aligner.quality.tmx import read_tmx_pairs

    pairs = read_tmx_pairs(tmx, hyp_lang, ref_lang, keep_incomplete=bool(hyps))
    keep = [not p.mt and bool(p.tgt) for p in pairs]
    refs = [p.tgt for p, k in zip(pairs, keep) if k]
    if not refs:
        raise InputError(tmx, f"no human-translated {ref_lang} units to score against")
    if not hyps:
        return refs, {f"{tmx}:{hyp_lang}": [p.src for p, k in zip(pairs, keep) if k]}
    systems = {}
    for path in hyps:
        lines = read_lines(path)
        if len(lines) != len(pairs):
            raise InputError(path, f"{len(lines)} lines, but {tmx} has {len(pairs)} translation units")
        systems[path] = [line for line, k in zip(lines, keep) if k]
    return refs, systems


@main.command("evaluate-mt")
@click.argument("tmx", metavar="ALIGNED.tmx")
@click.option("--src-lang", default="ru", show_default=True,
              help="The TMX side to translate: ar, de, en, es, fr, ru, zh (or a tag such as fr-FR: only that "
                   "variant's units).")
@click.option("--tgt-lang", default="en", show_default=True,
              help="The side to score against, the language translated into (as --src-lang). Without a package for "
                   "the pair, src→en and en→tgt are used one after the other (pivot through English).")
@click.option("--save-mt", default=None, metavar="FILE", help="Also write the machine translations, one per line.")
@click.option("--mt-threads", type=click.IntRange(1, 256), default=None,
              help="Threads for machine translation (default: ALIGNER_MT_THREADS or 2).")
@click.option("--no-cache", is_flag=True, help="Do not use the persistent translation cache.")
@score_options
def evaluate_mt_command(tmx: str, src_lang: str, tgt_lang: str, save_mt: str | None, mt_threads: int | None,
                        no_cache: bool, metrics: str, chrf_word_order: int, lowercase: bool, sentence: bool,
                        fmt: str, width: int, output: str) -> None:
    """Translate the source side of ALIGNED.tmx with the installed model for the pair (ru→en unless
    --src-lang/--tgt-lang say otherwise) and score it against the TMX's own target side.

    \b
    Examples:
      aligner evaluate-mt statement.tmx --format text
      aligner evaluate-mt rapport.tmx --src-lang fr --tgt-lang zh    # fr→zh, or fr→en→zh
    """
    from aligner.fsutil import write_text
    from aligner.quality.evaluate import evaluate_mt

    from aligner.quality.tmx import read_tmx_pairs

    from aligner.fsutil import check_outputs

    options = make_score_options(metrics, chrf_word_order, lowercase, sentence, width)
    src, tgt = pair_codes(src_lang, tgt_lang)
    check_outputs([("-o", output)] + ([("--save-mt", save_mt)] if save_mt else []), [tmx])
    pairs = read_tmx_pairs(tmx, src_lang, tgt_lang)    # a bad TMX is an input error before any model is loaded
    translator = _load_translator(mt_threads, not no_cache, src_lang=src, tgt_lang=tgt)
    result = evaluate_mt(pairs, translator, options, tmx_path=tmx)
    name = result.engine or "mt"
    emit({name: result.scores}, fmt, output, width)
    if save_mt:
        write_text(save_mt, "".join(line + "\n" for line in result.translations))
    note(f"scored {len(result.sources)} units of {tmx} ({name})")


def _load_translator(threads: int | None, cache: bool, src_lang: str = "ru", tgt_lang: str = "en"):
    """The src_lang→tgt_lang translator, a pivot through English included; ModelError naming the pair without one."""
    from aligner.mt import load_translator

    return load_translator(threads=threads, cache=cache, required=True, src_lang=src_lang, tgt_lang=tgt_lang)


@main.command()
@click.argument("ru", metavar="RU")
@click.argument("en", metavar="EN")
@click.option("-o", "--output", required=True, metavar="FILE", help="The HTML page to write.")
@input_options
def review(ru: str, en: str, output: str, **params) -> None:
    """Align RU with EN and write a side-by-side HTML review page (one file, opens offline).

    \b
    Examples:
      aligner review statement.ru.txt statement.en.txt -o review.html
      aligner review ru.html en.html -o review.html --mt none
    Open review.html#flagged or #low-confidence to start with the rows that need a look.
    """
    from aligner.cli.align import input_paths
    from aligner.fill import warn_if_no_model
    from aligner.fsutil import check_outputs, write_bytes
    from aligner.pipeline import align_files
    from aligner.write.review import render_review

    check_outputs([("-o", output)], input_paths(ru, en, params))   # before the (slow) alignment, not after
    options = options_from(params)
    from aligner.resources import Resources
    alignment = align_files(ru, en, options, resources=Resources.from_env())
    warn_if_no_model(options)   # once, after the inputs proved readable
    write_bytes(output, render_review(alignment))
    note(summary(alignment))
    note(f"wrote {output}")
