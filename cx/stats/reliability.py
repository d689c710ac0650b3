"""Minimum-n and precision tiers of METHODS.md §7.3 (revised) and docs/methods.md.

Tiers, decided in this order:
"no_data": nothing to estimate from (n = 0, or the inputs do not identify the number).
"suppressed": below the privacy floor; show the count only.
"low_n": fewer than ``reliable_n`` answers; greyed, no badge, no ranking.
"degenerate": reportable n but a zero-width interval (every answer equal, S(t) = 1 ...): the
    interval says nothing about sampling error, so it is never presented as "ok".
"wide": reportable n but the observed half-width exceeds the precision threshold: a display note.
"ok": reportable.

Which segments are tested, badged and ranked is decided from n alone (``eligible``), before any
estimate is looked at: "wide" and "degenerate" stay eligible. Picking the family by interval
width would be a selection on the estimate (a share near 0 or 1 has a narrow Wilson interval at
small n) and inflates false badges among those picked.
"""

from __future__ import annotations

import math

from cx.config import Thresholds

KINDS = ("nps_points", "share", "mean", "time", "count", "currency")
TIERS = ("no_data", "suppressed", "low_n", "degenerate", "wide", "ok")
ELIGIBLE_TIERS = ("ok", "wide", "degenerate")


def _half_width_limit(kind: str, thresholds: Thresholds) -> float:
    """Precision threshold per kind; kinds without a configured limit are judged on n only."""
    if kind == "nps_points":
        return thresholds.max_half_width_nps
    if kind == "share":
        return thresholds.max_half_width_share
    return math.inf


def reliability(n: int, half_width: float, kind: str, thresholds: Thresholds) -> str:
    """Tier of one displayed number (module docstring; one of TIERS).

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
    if n == 0:
        return "no_data"
    if n < thresholds.privacy_floor_n:
        return "suppressed"
    if n < thresholds.reliable_n:
        return "low_n"
    if half_width == 0.0:
        return "degenerate"
    if not math.isnan(half_width) and half_width > _half_width_limit(kind, thresholds):
        return "wide"
    return "ok"


def eligible(tier: str) -> bool:
    """May this number join a badge family or a ranking? A function of n only (see above)."""
    return tier in ELIGIBLE_TIERS


def hidden(tier: str) -> bool:
    """True when the value must not be shown (nor be computable from anything shown)."""
    return tier in ("no_data", "suppressed")
