"""p-chart (and Laney p′) for weekly shares such as CSAT top-2-box: METHODS.md §8.2.

Limits come from a baseline (phase I) so that a special-cause week does not widen the limits
used to judge it; they vary with each week's n and are clipped to [0, 1].
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# d2 constant for moving ranges of two: the expected range of 2 normals is 1.128 sigma.
D2_MOVING_RANGE = 1.128
BaselineIndex = slice | Sequence[bool] | Sequence[int] | np.ndarray | None


@dataclass(frozen=True)
class PChartPoint:
    p: float
    n: int
    lcl: float
    ucl: float
    centre: float
    out_of_control: bool
    side: str  # "low" | "high" | ""


def _inputs(x: Sequence[int], n: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    xa = np.asarray(x, dtype=float).ravel()
    na = np.asarray(n, dtype=float).ravel()
    if xa.shape != na.shape:
        raise ValueError(f"x and n must have the same length, got {xa.size} and {na.size}")
    if np.any(~np.isfinite(xa) | ~np.isfinite(na) | (xa < 0) | (xa > na)):
        raise ValueError("each x must be a count between 0 and its n")
    return xa, na


def _baseline_mask(size: int, baseline: BaselineIndex) -> np.ndarray:
    """Rows forming phase I: a slice, a boolean mask or row positions (all rows if None)."""
    mask = np.zeros(size, dtype=bool)
    mask[slice(None) if baseline is None else baseline] = True
    return mask


def _centre(xa: np.ndarray, na: np.ndarray, mask: np.ndarray) -> float:
    total = na[mask].sum()
    if total == 0:
        raise ValueError("the baseline has no observations")
    return float(xa[mask].sum() / total)


def laney_sigma_z(x: Sequence[int], n: Sequence[int], baseline: BaselineIndex = None) -> float:
    """Laney (2002) sigma_z = mean |Δz| / 1.128 over consecutive baseline weeks.

    sigma_z = 1 means no overdispersion (Minitab); above 1 the binomial limits are too tight.

    z_i = (p_i - p̄)/sigma_i; weeks with n = 0 are skipped. Needs at least 2 usable weeks.
    """
    xa, na = _inputs(x, n)
    mask = _baseline_mask(xa.size, baseline) & (na > 0)
    pbar = _centre(xa, na, mask)
    sigma = np.sqrt(pbar * (1 - pbar) / na[mask])
    if mask.sum() < 2 or np.any(sigma == 0):
        return math.nan
    z = (xa[mask] / na[mask] - pbar) / sigma
    return float(np.mean(np.abs(np.diff(z))) / D2_MOVING_RANGE)


def p_chart(
    x: Sequence[int], n: Sequence[int], baseline: BaselineIndex = None, laney: bool = False
) -> list[PChartPoint]:
    """One point per period with limits p̄ ∓ 3·sqrt(p̄(1-p̄)/n_i), × sigma_z for Laney p′.

    ``baseline`` selects the phase-I rows for p̄ and sigma_z (slice, boolean mask or positions).
    A period with n = 0 has NaN share and limits and is never out of control.
    """
    xa, na = _inputs(x, n)
    mask = _baseline_mask(xa.size, baseline)
    pbar = _centre(xa, na, mask)
    factor = laney_sigma_z(xa, na, mask) if laney else 1.0
    points = []
    for xi, ni in zip(xa, na):
        if ni == 0:
            points.append(PChartPoint(math.nan, 0, math.nan, math.nan, pbar, False, ""))
            continue
        half = 3.0 * factor * math.sqrt(pbar * (1 - pbar) / ni)
        p, lcl, ucl = float(xi / ni), max(0.0, pbar - half), min(1.0, pbar + half)
        side = "low" if p < lcl else "high" if p > ucl else ""
        points.append(PChartPoint(p, int(ni), lcl, ucl, pbar, side != "", side))
    return points
