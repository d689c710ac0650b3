"""Reliability tiers at the METHODS.md §7.3 boundaries (privacy floor 5, reliable n 30,
half-width ±0.10 for shares and ±20 NPS points)."""

from __future__ import annotations

import math

import pytest

from cx.config import Thresholds
from cx.stats.reliability import eligible, reliability

T = Thresholds()
NAN = math.nan


@pytest.mark.parametrize(
    ("n", "half_width", "kind", "tier"),
    [
        (4, NAN, "share", "suppressed"),
        (5, NAN, "share", "low_n"),
        (29, 0.05, "share", "low_n"),
        (30, 0.10, "share", "ok"),
        (30, 0.1001, "share", "wide"),  # §7.3 revised: display note, still eligible
        (100, 19.6, "nps_points", "ok"),  # worst-case NPS MoE at n = 100 (§7.3)
        (99, 20.01, "nps_points", "wide"),
        (400, 20.0, "nps_points", "ok"),
        (30, NAN, "mean", "ok"),
        (30, 5.0, "time", "ok"),  # no precision threshold for times: judged on n
        (1, NAN, "count", "ok"),
        (0, NAN, "count", "ok"),
        (0, NAN, "currency", "no_data"),  # nothing to hide: there is no number
        (0, NAN, "share", "no_data"),
        (40, 0.0, "mean", "degenerate"),  # every answer equal: zero-width t interval
        (40, 0.0, "share", "degenerate"),
        (29, 0.0, "mean", "low_n"),
    ],
)
def test_tiers(n: int, half_width: float, kind: str, tier: str) -> None:
    # METHODS.md §7.3 table
    assert reliability(n, half_width, kind, T) == tier


def test_custom_thresholds_and_bad_kind() -> None:
    strict = Thresholds(privacy_floor_n=10, reliable_n=50)
    assert reliability(9, NAN, "share", strict) == "suppressed"
    assert reliability(49, NAN, "share", strict) == "low_n"
    with pytest.raises(ValueError, match="kind"):
        reliability(10, NAN, "percent", T)


def test_eligibility_is_a_function_of_n_only() -> None:
    # METHODS.md §7.3 (revised): eligible from n, before any estimate; wide stays eligible
    narrow, wide = reliability(40, 0.05, "share", T), reliability(40, 0.15, "share", T)
    assert eligible(narrow) and eligible(wide) and eligible(reliability(40, 0.0, "share", T))
    assert not eligible(reliability(29, 0.01, "share", T))
    assert not eligible(reliability(4, NAN, "share", T))
