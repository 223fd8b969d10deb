"""`aligner models install|list|remove` and `aligner translate`: offline MT model management and translation."""
from __future__ import annotations

import click

from aligner.cli import main, pair_codes

INPUT_FORMATS = click.Choice(["auto", "text", "html", "lines"])


@main.group("models")
def models() -> None:
    """Manage offline translation models (argostranslate packages). Never uses the network.

    \b
    Any package between two of ar, de, en, es, fr, ru, zh installs; ru→en is the usual one.
    Without a direct package for a pair, xx→en and en→yy pivot through English.
    On a connected machine, download translate-ru_en-1_9.argosmodel, copy it over, then:
      aligner models install translate-ru_en-1_9.argosmodel
      aligner models list
    Models go to $ARGOS_PACKAGES_DIR (default ~/.local/share/argos-translate/packages).
    """


@models.command("install")
@click.argument("archive", type=click.Path(dir_okay=False))
def models_install(archive: str) -> None:
    """Check and install a .argosmodel file (any pair of ar, de, en, es, fr, ru, zh).

    \b
    Examples:
      aligner models install ~/Downloads/translate-ru_en-1_9.argosmodel
      aligner models install translate-fr_en-1_9.argosmodel    # with en→ru: fr→ru through English
    """
    from aligner.mt.packages import install_package, packages_dir

    directory = packages_dir()
    pkg = install_package(archive, directory)
    click.echo(f"installed {pkg.name} ({pkg.from_code} → {pkg.to_code}, version {pkg.version}) in {directory}")


@models.command("list")
def models_list() -> None:
    """List installed packages: name, pair, version, path; then the pairs reachable only through English.

    \b
    Example:
      aligner models list
    """
    from aligner.mt.packages import list_packages, packages_dir

    directory = packages_dir()
    installed = list_packages(directory)
    if not installed:
        click.echo(f"no packages installed in {directory}")
        return
    width = max(len(p.name) for p in installed)
    for pkg in installed:
        click.echo(f"{pkg.name:<{width}}  {pkg.from_code}→{pkg.to_code}  {pkg.version or '-'}  {pkg.path}"
                   + _unusable(pkg))
    pivots = _pivot_pairs(installed)
    if pivots:
        click.echo("through English: " + ", ".join(f"{a}→{b}" for a, b in pivots))


def _unusable(pkg) -> str:
    """Why a listed package is never used for translation ("" when it is)."""
    from aligner.mt.packages import SUPPORTED_LANGS

    if pkg.type != "translate":
        return f"  (not used: a {pkg.type} package)"
    if not pkg.usable:
        return "  (not used: no sentencepiece.model or model/model.bin)"
    if pkg.from_code not in SUPPORTED_LANGS or pkg.to_code not in SUPPORTED_LANGS:
        return "  (not used: a language aligner does not support)"
    return ""


def _pivot_pairs(installed) -> list[tuple[str, str]]:
    """Pairs with no direct package but xx→en and en→yy: those aligner.mt's route pivots through English."""
    from aligner.mt import route_among
    from aligner.mt.packages import SUPPORTED_LANGS

    return [(a, b) for a in SUPPORTED_LANGS for b in SUPPORTED_LANGS
            if a != b and len(route_among(installed, a, b) or ()) == 2]


@models.command("remove")
@click.argument("name")
def models_remove(name: str) -> None:
    """Remove an installed package by its folder name (as `aligner models list` shows it).

    \b
    Example:
      aligner models remove translate-ru_en-1_9
    """
    from aligner.mt.packages import remove_package

    pkg = remove_package(name)
    click.echo(f"removed {pkg.name} ({pkg.path})")


@main.command("translate")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=False))
@click.option("--src-lang", default="ru", show_default=True,
              help="Language of FILE: ar, de, en, es, fr, ru, zh (or a tag such as fr-FR).")
@click.option("--tgt-lang", default="en", show_default=True,
              help="Language to translate into (as --src-lang). Without a package for the pair, src→en and "
                   "en→tgt are used one after the other (pivot through English).")
@click.option("--input-format", type=INPUT_FORMATS, default="auto", show_default=True,
              help="How to read FILE: plain text, an HTML page, or one sentence per line.")
@click.option("--threads", type=click.IntRange(1, 256), default=None,
              help="CPU threads for translation (default: ALIGNER_MT_THREADS or min(2, cores)).")
@click.option("--beam-size", type=click.IntRange(1, 32), default=None,
              help="Beam size (default: the package's setting, argostranslate's 4).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the persistent translation cache.")
def translate(file: str, src_lang: str, tgt_lang: str, input_format: str, threads: int | None,
              beam_size: int | None, no_cache: bool) -> None:
    """Translate FILE (Russian into English unless told) with the installed models, one sentence per line.

    \b
    Examples:
      aligner translate statement.ru.html > statement.mt.en
      aligner translate --input-format lines --threads 4 sentences.ru
      aligner translate rapport.fr.txt --src-lang fr --tgt-lang ru    # fr→ru, or fr→en→ru
    """
    from aligner.mt import load_translator
    src, tgt = pair_codes(src_lang, tgt_lang)
    # Load the model first: a missing model is the likelier problem, and says how to fix it.
    translator = load_translator(threads=threads, beam_size=beam_size, cache=not no_cache, required=True,
                                 src_lang=src, tgt_lang=tgt)
    from aligner.read import read_document
    from aligner.split import split_document

    document = split_document(read_document(file, input_format, lang=src), src)
    for line in translator.translate(document.texts()):
        click.echo(line)
