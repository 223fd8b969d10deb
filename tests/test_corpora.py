"""corpora/: the pairs `make align` aligns are present, UTF-8, documented, and rebuilt byte for byte by
benchmarks/make_corpora.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from datapaths import SHARED, needs_shared

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"

PAIRS = ["udhr/udhr", "un/un-000", "un/un-001", "un/un-002", "un/un-003", "un/un-004"]


def paragraphs(path: Path) -> list[str]:
    return [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]


@pytest.mark.parametrize("stem", PAIRS)
def test_every_pair_exists_and_is_utf8_text(stem):
    for lang in ("ru", "en"):
        path = CORPORA / f"{stem}.{lang}.txt"
        data = path.read_bytes()
        text = data.decode("utf-8")                        # strict: raises on a bad byte
        assert not text.startswith("\ufeff") and "\r" not in text and "\x00" not in text
        assert len(paragraphs(path)) >= 10
    ru = (CORPORA / f"{stem}.ru.txt").read_text(encoding="utf-8")
    en = (CORPORA / f"{stem}.en.txt").read_text(encoding="utf-8")
    cyrillic = lambda s: sum("\u0400" <= c <= "\u04ff" for c in s) / max(1, sum(c.isalpha() for c in s))  # noqa
    assert cyrillic(ru) > 0.8 and cyrillic(en) < 0.01       # each side in its language, not swapped


def test_no_stray_files():
    # the batch job pairs X.ru.txt with X.en.txt: anything else in a group folder would show up as unpaired
    found = sorted(str(p.relative_to(CORPORA)) for p in CORPORA.rglob("*") if p.is_file())
    expected = sorted([f"{s}.{lang}.txt" for s in PAIRS for lang in ("ru", "en")]
                      + ["README.md", "seed/2545-15-12-2023.en.txt"])
    assert found == expected


def test_notes_name_source_and_terms_of_every_folder():
    readme = (CORPORA / "README.md").read_text(encoding="utf-8")
    for folder in ("udhr/", "un/", "seed/"):
        assert f"`{folder}`" in readme
    assert "thammegowda/014-udhr-dataset" in readme                  # UDHR source
    assert "Ziemski" in readme and "UN Parallel Corpus" in readme     # the UN corpus's attribution terms
    assert "Russian original is not available here" in readme        # the seed's missing half is said
    assert "python -m benchmarks.make_corpora" in readme


def test_udhr_keeps_now_therefore_as_its_own_paragraph():
    en = paragraphs(CORPORA / "udhr" / "udhr.en.txt")
    ru = paragraphs(CORPORA / "udhr" / "udhr.ru.txt")
    assert en[0] == "Universal Declaration of Human Rights"
    assert ru[0] == "Всеобщая декларация прав человека"
    k = en.index("Now, therefore,")
    assert en[k - 1].startswith("Whereas") and en[k + 1] == "The General Assembly"
    # the Russian preamble goes straight from the last "принимая во внимание" clause to the Assembly
    assert ru[k - 1].startswith("принимая во внимание") and ru[k].startswith("Генеральная Ассамблея")
    assert len(en) == len(ru) + 1 == 91                               # 91 English segments, 90 Russian
    assert en.index("Article 1") == ru.index("Статья 1") + 1


@needs_shared
def test_seed_is_the_shared_seed_byte_for_byte():
    copy = CORPORA / "seed" / "2545-15-12-2023.en.txt"
    assert copy.read_bytes() == (SHARED / "seeds" / "000_536ce80840e49457.txt").read_bytes()
    assert not list((CORPORA / "seed").glob("*.ru.*"))


@needs_shared
def test_un_documents_come_from_the_dev_set():
    en_rows = {line.strip() for line in (SHARED / "data" / "un-devset" / "UNv1.0.devset.en")
               .read_text(encoding="utf-8").splitlines()}
    for k in range(5):
        text = (CORPORA / "un" / f"un-{k:03d}.en.txt").read_text(encoding="utf-8")
        # each paragraph is dev-set sentences joined by a space: its first sentence is a dev-set row
        for para in paragraphs(CORPORA / "un" / f"un-{k:03d}.en.txt"):
            assert any(para.startswith(row) for row in en_rows if row), para[:80]
        assert text.endswith("\n") and not text.endswith("\n\n")


@needs_shared
def test_generator_rebuilds_the_committed_files(tmp_path):
    from benchmarks.make_corpora import make

    make(tmp_path)
    for stem in PAIRS:
        for lang in ("ru", "en"):
            assert (tmp_path / f"{stem}.{lang}.txt").read_bytes() == (CORPORA / f"{stem}.{lang}.txt").read_bytes()
    assert (tmp_path / "seed" / "2545-15-12-2023.en.txt").exists()
