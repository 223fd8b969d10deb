"""Where the tests find their data: small fixtures under tests/fixtures (shipped, with their licence notes), the TMX
DTD the package ships, and ../shared, the large benchmark data that a fresh clone does not have.

Only benchmark-level checks (figures over a whole test set, the builders of the benchmark and of corpora/) read
../shared; they are marked ``needs_shared`` and skip with the reason below when it is missing.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
DTD = REPO / "aligner" / "data" / "tmx14.dtd"          # the official TMX 1.4 DTD, shipped with the package
UN = FIXTURES / "un"                                   # UNv1.0.devset.excerpt.{ru,en}: 300 lines
WMT = FIXTURES / "wmt22"                               # 4 documents of WMT22 ru-en with 10 systems
SHARED = Path(os.environ.get("ALIGNER_SHARED") or REPO.parent / "shared")

needs_shared = pytest.mark.skipif(
    not (SHARED / "data").is_dir(),
    reason=f"benchmark-level check: no benchmark data at {SHARED}/data (a fresh clone has none; "
           "README.md 'Benchmark data' says where to get it)")
