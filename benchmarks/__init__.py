"""Benchmarks built from ../shared/data (a package: pysbd installs a top-level `benchmarks` that would shadow it)."""
