"""Minimum-n and precision tiers of METHODS.md §7.3.

"suppressed": below the privacy floor, show the count only. "low_n": fewer than ``reliable_n``
answers or an interval wider than the precision threshold; show greyed, no badge, no ranking.
"ok": reportable and eligible for significance badges.
"""

from __future__ import annotations

import math

from cx.config import Thresholds

KINDS = ("nps_points", "share", "mean", "time", "count", "currency")


def _half_width_limit(kind: str, thresholds: Thresholds) -> float:
    """Precision threshold per kind; kinds without a configured limit are judged on n only."""
    if kind == "nps_points":
        return thresholds.max_half_width_nps
    if kind == "share":
        return thresholds.max_half_width_share
    return math.inf


def reliability(n: int, half_width: float, kind: str, thresholds: Thresholds) -> str:
    """Tier of one displayed number: "suppressed" | "low_n" | "ok".

    ``half_width`` is in the display unit of ``kind``: NPS *points* (x100) for "nps_points",
    a 0-1 share for "share". A NaN half-width (no interval) is judged on n alone. Counts are
    always "ok" because a count is what stays visible when a metric is suppressed.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if kind == "count":
        return "ok"
    if n < thresholds.privacy_floor_n:
        return "suppressed"
    if n < thresholds.reliable_n:
        return "low_n"
    if not math.isnan(half_width) and half_width > _half_width_limit(kind, thresholds):
        return "low_n"
    return "ok"
