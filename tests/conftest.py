"""Shared fixtures. Append new fixtures; other test modules rely on the ones here."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def tiny_argosmodel(tmp_path_factory):
    """A tiny valid ru→en .argosmodel (translates everything to argos_fixture.TINY_OUTPUT), built once."""
    from argos_fixture import build_tiny_package

    return build_tiny_package(tmp_path_factory.mktemp("argos-build"))
