"""`aligner models install|list|remove` and `aligner translate`: offline MT model management and translation."""
from __future__ import annotations

import click

from aligner.cli import main

INPUT_FORMATS = click.Choice(["auto", "text", "html", "lines"])


@main.group("models")
def models() -> None:
    """Manage offline ru→en translation models (argostranslate packages). Never uses the network.

    \b
    On a connected machine, download translate-ru_en-1_9.argosmodel, copy it over, then:
      aligner models install translate-ru_en-1_9.argosmodel
      aligner models list
    Models go to $ARGOS_PACKAGES_DIR (default ~/.local/share/argos-translate/packages).
    """


@models.command("install")
@click.argument("archive", type=click.Path(dir_okay=False))
def models_install(archive: str) -> None:
    """Check and install a .argosmodel file.

    \b
    Example:
      aligner models install ~/Downloads/translate-ru_en-1_9.argosmodel
    """
    from aligner.mt.packages import install_package, packages_dir

    directory = packages_dir()
    pkg = install_package(archive, directory)
    click.echo(f"installed {pkg.name} ({pkg.from_code} → {pkg.to_code}, version {pkg.version}) in {directory}")


@models.command("list")
def models_list() -> None:
    """List installed packages: name, languages, version, path.

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
        click.echo(f"{pkg.name:<{width}}  {pkg.from_code}→{pkg.to_code}  {pkg.version or '-'}  {pkg.path}")


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
@click.option("--input-format", type=INPUT_FORMATS, default="auto", show_default=True,
              help="How to read FILE: plain text, an HTML page, or one sentence per line.")
@click.option("--threads", type=click.IntRange(1, 256), default=None,
              help="CPU threads for translation (default: ALIGNER_MT_THREADS or min(2, cores)).")
@click.option("--beam-size", type=click.IntRange(1, 32), default=None,
              help="Beam size (default: the package's setting, argostranslate's 4).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the persistent translation cache.")
def translate(file: str, input_format: str, threads: int | None, beam_size: int | None, no_cache: bool) -> None:
    """Translate a Russian FILE into English with the installed model, one sentence per line.

    \b
    Example:
      aligner translate statement.ru.html > statement.mt.en
      aligner translate --input-format lines --threads 4 sentences.ru
    """
    from aligner.mt import load_translator

    # Load the model first: a missing model is the likelier problem, and says how to fix it.
    translator = load_translator(threads=threads, beam_size=beam_size, cache=not no_cache, required=True)
    from aligner.read import read_document
    from aligner.split import split_document

    document = split_document(read_document(file, input_format, lang="ru"), "ru")
    for line in translator.translate(document.texts()):
        click.echo(line)
