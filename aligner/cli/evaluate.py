"""`aligner evaluate`: score test beads against gold beads."""
from __future__ import annotations

import json

import click

from aligner.cli import main


@main.command()
@click.argument("gold", metavar="GOLD")
@click.argument("test", metavar="TEST")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
def evaluate(gold: str, test: str, fmt: str) -> None:
    """Strict and lax precision, recall and F1 of TEST beads against GOLD beads (Vecalign's convention).

    GOLD and TEST are bead files (one bead per line, e.g. [0, 1]:[0]) or two folders of NAME.gold and
    NAME.beads files; counts are pooled over documents.

    \b
    Examples:
      aligner evaluate doc.gold doc.beads
      aligner evaluate gold/ out/ --format text
    """
    from aligner.evaluate import format_text, load_pairs, score_beads

    _, gold_docs, test_docs = load_pairs(gold, test)
    result = score_beads(gold_docs, test_docs)
    click.echo(format_text(result) if fmt == "text" else json.dumps(result, indent=2))
