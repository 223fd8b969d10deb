"""`aligner align` and `aligner split`."""
from __future__ import annotations

import logging
import os
from collections import Counter

import click

from aligner.cli import main, note
from aligner.errors import AlignerError
from aligner.align.signals import REGISTRY, signal_names
from aligner.model import AlignOptions

log = logging.getLogger("aligner")

INPUT_FORMATS = click.Choice(["auto", "text", "html", "lines"])
OUTPUT_FORMATS = ("tmx", "tsv", "jsonl", "beads")


def guess_format(path: str) -> str:
    """The output format from OUT's extension; ``-`` (stdout) is TMX. Anything else needs --format: writing TMX
    into ``x.docx`` or ``x.txt`` would only mislead whoever opens it."""
    if path == "-":
        return "tmx"
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext in OUTPUT_FORMATS:
        return ext
    what = f"the extension .{ext}" if ext else "no extension"
    raise click.BadParameter(f"{path}: {what} names no output format; use .tmx, .tsv, .jsonl or .beads, or give "
                             "--format", param_hint="-o/--output")


def input_paths(ru: str, en: str, params: dict) -> list[str]:
    """Every file an aligning command reads: no output may be one of them."""
    mt = params.get("mt")
    return [ru, en] + ([mt] if mt not in (None, "auto", "none") else [])


def input_options(f):
    """Options shared by every command that reads and aligns a pair (align, review)."""
    f = click.option("--strict", is_flag=True,
                     help="Refuse a pair that looks unrelated (low confidence across the document): exit 5 and "
                          "write nothing, instead of a warning.")(f)
    f = click.option("--no-cache", is_flag=True, help="Do not use the persistent translation cache.")(f)
    f = click.option("--mt-threads", type=click.IntRange(1, 256), default=None,
                     help="Threads for machine translation (default: ALIGNER_MT_THREADS or 2).")(f)
    f = click.option("--fill/--no-fill", default=None,
                     help="Give untranslated source sentences a machine translation into the target language, "
                          "marked as MT [default: on when a model for the pair is installed, e.g. ru→en, or a "
                          "pivot through English].")(f)
    f = click.option("--mt", "mt", default="auto", show_default=True, metavar="auto|none|FILE",
                     help="Machine translation for alignment and gap filling: the installed argos model (auto), "
                          "none, or a file with one target-language translation per source sentence (for ru→en: an "
                          "English line for each sentence of the Russian).")(f)
    f = click.option("--max-bead", type=click.IntRange(1, 6), default=AlignOptions.max_bead, show_default=True,
                     help="Most sentences on one side of a bead: every shape up to 3-3, and beyond that 1-N and "
                          "N-1 (5: 1-4, 4-1, 1-5, 5-1). Beads wider than 2 are searched only where a first path "
                          "found it hard (docs/alignment.md).")(f)
    f = click.option("--signals", default=None, metavar="LIST",
                     help="Comma list of " + "; ".join(f"{n}: {REGISTRY[n].help}" for n in signal_names())
                          + ". Default: every signal available"
                          + "".join(f", except {n}" for n in signal_names() if REGISTRY[n].opt_in) + ".")(f)
    f = click.option("--tgt-lang", default="en-GB", show_default=True,
                     help="Language of the target side: ar, de, en, es, fr, ru, zh, or a full tag (en-US); a bare "
                          "code gets the region in docs/languages.md.")(f)
    f = click.option("--src-lang", default="ru-RU", show_default=True,
                     help="Language of the source side (as --tgt-lang).")(f)
    f = click.option("--input-format", type=INPUT_FORMATS, default="auto", show_default=True,
                     help="How to read RU and EN: plain text, an HTML page, or one sentence per line "
                          "(blank line = paragraph break).")(f)
    return f


def options_from(params: dict):
    from aligner.align import parse_signals
    from aligner.model import AlignOptions

    try:
        signals = parse_signals(params.get("signals"))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--signals") from None
    from aligner.read.language import language_tag

    return AlignOptions(input_format=params["input_format"], src_lang=language_tag(params["src_lang"]),
                        tgt_lang=language_tag(params["tgt_lang"]), signals=signals, max_bead=params["max_bead"],
                        mt=params["mt"], fill=params["fill"], mt_threads=params["mt_threads"],
                        mt_cache=not params["no_cache"], strict=params.get("strict", False))


def summary(alignment) -> str:
    kinds = Counter(b.kind for b in alignment.beads)
    parts = ", ".join(f"{k} {kinds[k]}" for k in sorted(kinds, key=lambda k: (-kinds[k], k)))
    n, m = len(alignment.src.sentences or []), len(alignment.tgt.sentences or [])
    mt = sum(1 for b in alignment.beads if b.origin == "MT")
    extra = f", {mt} filled by MT" if mt else ""
    return f"{n} + {m} sentences → {len(alignment.beads)} beads ({parts}{extra}); signals: {', '.join(alignment.signals)}"


@main.command()
@click.argument("ru", metavar="RU")
@click.argument("en", metavar="EN")
@click.option("-o", "--output", required=True, metavar="OUT", help="Output file, or - for stdout.")
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default=None,
              help="Output format [default: from OUT's extension, else tmx].")
@click.option("--mt-separate/--mt-inline", "mt_separate", default=None,
              help="TMX: machine-translated units go to OUT.mt.tmx, never into OUT (the default: CAT tools apply "
                   "a trusted TMX without reading its MT marks), or --mt-inline: into OUT, marked as MT. "
                   "See docs/mt.md.")
@click.option("--review", "review_path", default=None, metavar="FILE",
              help="Also write a side-by-side HTML review page.")
@input_options
def align(ru: str, en: str, output: str, fmt: str | None, mt_separate: bool | None, review_path: str | None,
          **params) -> None:
    """Align a source document RU with its translation EN (Russian and English unless --src-lang and
    --tgt-lang name another pair).

    \b
    Examples:
      aligner align statement.ru.txt statement.en.txt -o statement.tmx
      aligner align ru.html en.html -o - --format tsv
      aligner align ru.txt en.txt -o out.tmx --signals length,anchors --mt none
    """
    from aligner.fill import warn_if_no_model
    from aligner.fsutil import check_outputs
    from aligner.errors import OutputError
    from aligner.pipeline import align_files
    from aligner.write import WriteOptions, mt_path, write_alignment

    options = options_from(params)
    check_outputs([("-o", output)], input_paths(ru, en, params))   # "is a directory" before "no extension"
    fmt = fmt or guess_format(output)
    if mt_separate and output == "-" and fmt == "tmx":
        raise OutputError(output, "--mt-separate needs an output file name, not stdout")
    separate = mt_separate is not False
    # Every output path is checked before the (slow) alignment, and none may be an input.
    outputs = [("-o", output)]
    if separate and fmt == "tmx" and output != "-":
        outputs.append(("the MT file beside -o", mt_path(output)))
    if review_path:
        outputs.append(("--review", review_path))
    check_outputs(outputs, input_paths(ru, en, params))
    from aligner.resources import Resources, run_epoch
    created = run_epoch() if fmt == "tmx" else None   # a malformed SOURCE_DATE_EPOCH stops us before aligning
    alignment = align_files(ru, en, options, resources=Resources.from_env())
    log.info("signature: %s", alignment.signature)
    warn_if_no_model(options)   # once, after the inputs proved readable: a bad input's error stays the only line
    extra = ()
    if review_path:
        from aligner.write.review import render_review
        extra = ((review_path, render_review(alignment)),)
    written = write_alignment(alignment, output, fmt,
                              WriteOptions(created=created, src_lang=options.src_lang, tgt_lang=options.tgt_lang,
                                           mt_separate=separate), extra=extra)
    note(summary(alignment))
    for path in written or []:
        if path != "-":
            note(f"wrote {path}")


@main.command()
@click.argument("file", metavar="FILE")
@click.option("--lang", type=click.Choice(["ar", "de", "en", "es", "fr", "ru", "zh"]), required=True,
              help="Language of FILE.")
@click.option("--input-format", type=INPUT_FORMATS, default="auto", show_default=True)
def split(file: str, lang: str, input_format: str) -> None:
    """Print FILE one sentence per line; a blank line separates paragraphs.

    \b
    Example:
      aligner split statement.ru.txt --lang ru
    """
    from aligner.read import read_document
    from aligner.split import split_document

    doc = split_document(read_document(file, input_format, lang=lang), lang)
    previous = None
    out = []
    for sentence in doc.sentences or []:
        if previous is not None and sentence.paragraph != previous:
            out.append("")
        out.append(sentence.text)
        previous = sentence.paragraph
    click.echo("\n".join(out))
