"""English: pysbd, which knows "Mr.", "U.S.", "etc." and initials ("S.V. Lavrov")."""
from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1)
def _segmenter():
    import pysbd
    return pysbd.Segmenter(language="en", clean=False)


def split_en(text: str) -> list[str]:
    return _segmenter().segment(text)
