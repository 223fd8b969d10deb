"""The command line: a thin layer over the library. Each submodule registers its commands on ``main``.

Errors reach the user as one line naming the file and the problem; a traceback only with ``--debug``.
"""
from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading

import click

from aligner import __version__
from aligner.errors import EXIT_INTERRUPTED, AlignerError


EXIT_TERMINATED = 128 + signal.SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM (kill, a cluster scheduler's time limit), raised like Ctrl-C so that the same clean-up runs:
    atomic_open removes its temporary file and the output path keeps its old content."""


def _on_sigterm(signum, frame):
    raise Terminated()


@contextlib.contextmanager
def _sigterm_raises():
    # Only where Python lets us, and never over a handler someone embedding the CLI installed.
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        debug = bool(ctx.params.get("debug")) or "--debug" in sys.argv
        try:
            with _sigterm_raises():
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
        except Terminated:
            click.echo("aligner: terminated", err=True)
            ctx.exit(EXIT_TERMINATED)
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
    _configure_logging(level)


def quiet() -> bool:
    """-q/--quiet was given: print nothing but errors."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().params.get("quiet"))


def note(text: str) -> None:
    """A progress or summary line on stderr (``aligner: …``), unless -q."""
    if not quiet():
        click.echo(f"aligner: {text}", err=True)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is now: click's test runner (and anything embedding the CLI) swaps it between
    invocations, and a handler holding the first stream would write warnings into a closed buffer."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter("aligner: %(message)s"))

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def pair_codes(src_lang: str, tgt_lang: str) -> tuple[str, str]:
    """The two language codes of --src-lang/--tgt-lang (fr-FR → fr), refused as usage errors when aligner has no
    such language or both are the same."""
    from aligner.model import language_code
    from aligner.mt.packages import SUPPORTED_LANGS

    src, tgt = language_code(src_lang), language_code(tgt_lang)
    for option, code in (("--src-lang", src), ("--tgt-lang", tgt)):
        if code not in SUPPORTED_LANGS:
            raise click.BadParameter(f"{code or '(empty)'!r} is not one of {', '.join(SUPPORTED_LANGS)}",
                                     param_hint=option)
    if src == tgt:
        raise click.BadParameter(f"the source is already in {src}", param_hint="--tgt-lang")
    return src, tgt


def _configure_logging(level: int) -> None:
    # Like logging.basicConfig, but idempotent and honouring -v/-q on every invocation, not only the first.
    root = logging.getLogger()
    if not any(isinstance(h, _StderrHandler) for h in root.handlers):
        root.addHandler(_StderrHandler())
    root.setLevel(level)


def _register() -> None:
    # One module per family of commands, so each can grow without touching the others.
    # Every one is part of the package: a missing one is a broken install, an error, not a command gone quietly.
    import importlib
    for name in ("align", "evaluate", "models", "quality", "batch"):
        importlib.import_module(f"aligner.cli.{name}")


_register()
