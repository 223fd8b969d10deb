"""Sentence splitting against hand-written MFA cases (tests/fixtures/split/*.txt), and the no-loss invariant."""
from __future__ import annotations

from pathlib import Path

import pytest

from aligner.model import Document, Sentence
from aligner.split import split_document, split_text

FIXTURES = Path(__file__).parent / "fixtures" / "split"


def load_cases(lang: str) -> list[tuple[str, list[str]]]:
    text = (FIXTURES / f"{lang}.txt").read_text(encoding="utf-8")
    cases = []
    for block in text.split("\n===\n")[1:]:
        lines = [l for l in block.strip("\n").split("\n") if not l.startswith("#")]
        cut = lines.index("---")
        cases.append((" ".join(lines[:cut]), lines[cut + 1:]))
    return cases


RU = load_cases("ru")
EN = load_cases("en")


def test_fixtures_are_big_enough():
    assert len(RU) >= 60 and len(EN) >= 60


@pytest.mark.parametrize("text, expected", RU, ids=[c[0][:40] for c in RU])
def test_russian(text, expected):
    assert split_text(text, "ru") == expected


@pytest.mark.parametrize("text, expected", EN, ids=[c[0][:40] for c in EN])
def test_english(text, expected):
    assert split_text(text, "en") == expected


@pytest.mark.parametrize("lang, cases", [("ru", RU), ("en", EN)])
def test_nothing_is_lost(lang, cases):
    for text, _ in cases:
        assert "".join(split_text(text, lang)).replace(" ", "") == text.replace(" ", "")


def test_split_document_numbers_sentences_and_keeps_paragraphs():
    doc = Document(path="x", paragraphs=["Первое. Второе.", "Третье."])
    out = split_document(doc, "ru-RU")
    assert [(s.text, s.index, s.paragraph) for s in out.sentences] == [
        ("Первое.", 0, 0), ("Второе.", 1, 0), ("Третье.", 2, 1)]
    assert out.lang == "ru"


def test_presplit_documents_are_left_alone():
    sentences = [Sentence("Одно. Два.", 0, 0)]
    doc = Document(path="x", paragraphs=["Одно. Два."], sentences=sentences)
    assert split_document(doc, "ru").sentences == sentences
