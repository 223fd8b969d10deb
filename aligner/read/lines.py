"""Pre-split input: one sentence per line, a blank line between paragraphs (what ``aligner split`` prints).

Nothing is dropped or guessed here: the user already decided what a sentence is.
"""
from __future__ import annotations

from aligner.model import Sentence
from aligner.read.normalize import normalize_line, normalize_newlines


def read_lines(text: str) -> tuple[list[str], list[Sentence]]:
    """(paragraphs, sentences): a paragraph is its sentences joined by a space; runs of blank lines are one break."""
    sentences: list[Sentence] = []
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in normalize_newlines(text).split("\n") + [""]:
        line = normalize_line(raw)
        if line:
            sentences.append(Sentence(text=line, index=len(sentences), paragraph=len(paragraphs)))
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return paragraphs, sentences
