"""The command line: a thin layer over the library. Each submodule registers its commands on ``main``.

Errors reach the user as one line naming the file and the problem; a traceback only with ``--debug``.
"""
from __future__ import annotations

import logging
import sys

import click

from aligner import __version__
from aligner.errors import EXIT_INTERRUPTED, AlignerError


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        debug = bool(ctx.params.get("debug")) or "--debug" in sys.argv
        try:
            return super().invoke(ctx)
        except AlignerError as exc:
            if debug:
                raise
            click.echo(f"aligner: error: {exc.message}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            # the reader went away (`aligner translate FILE | head`): nothing more to say
            import os
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)
        except KeyboardInterrupt:
            click.echo("aligner: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug: still one line for the user, the traceback with --debug
            if debug:
                raise
            click.echo(f"aligner: internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)",
                       err=True)
            ctx.exit(70)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aligner")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.option("-v", "--verbose", count=True, help="More log output on stderr.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
def main(debug: bool, verbose: int, quiet: bool) -> None:
    """Align Russian MFA statements with their English translations into translation memories."""
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    logging.basicConfig(level=level, stream=sys.stderr, format="aligner: %(message)s")


def _register() -> None:
    # One module per family of commands, so each can grow without touching the others.
    import importlib
    for name in ("align", "evaluate", "models", "quality", "batch"):
        try:
            importlib.import_module(f"aligner.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"aligner.cli.{name}":
                raise


_register()
