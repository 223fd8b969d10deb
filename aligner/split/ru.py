"""Russian: razdel, which handles initials ("С.В.Лавров") and most abbreviations ("т.е.", "им.")."""
from __future__ import annotations

import re

import razdel

# razdel keeps "в 2023 г. Москва ..." together; after a year, "г." followed by a capitalised word that is not
# itself followed by a lower-case continuation of a name ends the sentence.
_YEAR_END = re.compile(r"(\b\d{4}\s?гг?\.)\s+(?=[«\"„(]?[А-ЯЁA-Z][а-яёa-z])")


def split_ru(text: str) -> list[str]:
    out: list[str] = []
    for sentence in razdel.sentenize(text):
        out.extend(p for p in _YEAR_END.split(sentence.text) if p)
    return _rejoin_years(out)


def _rejoin_years(pieces: list[str]) -> list[str]:
    # _YEAR_END.split returns the "2023 г." group as its own piece: glue it back to what precedes it.
    merged: list[str] = []
    for piece in pieces:
        if merged and re.fullmatch(r"\d{4}\s?гг?\.", piece):
            merged[-1] = merged[-1] + piece
        else:
            merged.append(piece)
    return merged
