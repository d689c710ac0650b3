"""Shared helpers for the statistics tests: 4-dp comparisons as METHODS.md prints them."""

from __future__ import annotations

import pytest


def approx4(value: object) -> object:
    """METHODS.md rounds to 4 dp, so a match means within half a unit of the 4th decimal."""
    return pytest.approx(value, abs=5e-5)
