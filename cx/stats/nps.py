"""Net Promoter Score on the -1..+1 scale (METHODS.md §1); callers multiply by 100 for points.

Hand-written because no PyPI package offers NPS inference (METHODS.md §10). Everything is a
function of the counts (detractors, passives, promoters), so the engine can aggregate in SQL and
re-aggregate exactly by summing counts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.optimize import brentq
from scipy.stats import chi2, norm

from cx.stats.types import Estimate, TestResult, check_count, empty_estimate, nan, z_value

# Rocks (2016) / R package NPS default pseudo-observations: 3/4 det, 3/2 passive, 3/4 promoter.
PSEUDO_DET, PSEUDO_PAS, PSEUDO_PRO = 0.75, 1.50, 0.75
METHODS = ("adjusted_wald", "score", "wald")


def nps_counts(scores: Sequence[int]) -> tuple[int, int, int]:
    """(detractors 0-6, passives 7-8, promoters 9-10) from raw 0-10 answers.

    Out-of-range or fractional answers raise instead of being dropped silently: the caller decides
    what counts as 'missing' and reports it as ``n_missing`` (METHODS.md §0).
    """
    arr = np.asarray(scores, dtype=float).ravel()
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > 10) | (arr != np.round(arr))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"NPS answers must be whole numbers 0-10; position {i} is {arr[i]!r}")
    det = int(np.count_nonzero(arr <= 6))
    pro = int(np.count_nonzero(arr >= 9))
    return det, arr.size - det - pro, pro


def _checked(det: int, pas: int, pro: int) -> tuple[int, int, int]:
    return check_count("det", det), check_count("pas", pas), check_count("pro", pro)


def _adjusted(det: int, pas: int, pro: int) -> tuple[float, float]:
    """Adjusted-Wald centre and SE (METHODS.md §1.3): add 3 pseudo-observations, then Wald."""
    n_adj = det + pas + pro + PSEUDO_DET + PSEUDO_PAS + PSEUDO_PRO
    p_adj = (pro + PSEUDO_PRO) / n_adj
    d_adj = (det + PSEUDO_DET) / n_adj
    centre = p_adj - d_adj
    return centre, math.sqrt(max(p_adj + d_adj - centre**2, 0.0) / n_adj)


def _wald(det: int, pro: int, n: int) -> tuple[float, float]:
    """Plain multinomial Wald centre and SE: sigma^2 = p + d - (p - d)^2 per respondent."""
    p, d = pro / n, det / n
    return p - d, math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)


def _score_interval(det: int, pro: int, n: int, z: float) -> tuple[float, float]:
    """Tango (1998) score interval as ported from Rocks's ``iterative`` (METHODS.md §1.3).

    NPS has the structure of a difference of two discordant proportions; the variance under
    NPS = theta uses the restricted MLE of the detractor share, so the limits need root finding.
    """
    raw = (pro - det) / n

    def z_stat_numerator(theta: float, sign: float) -> float:
        a = 2.0 * n
        b = -(det + pro) + (2.0 * n + det - pro) * theta
        c = -det * theta * (1.0 - theta)
        q = (math.sqrt(max(b * b - 4.0 * a * c, 0.0)) - b) / (2.0 * a)
        var = max(n * (2.0 * q + theta * (1.0 - theta)), 0.0)
        return (pro - det - n * theta) - sign * z * math.sqrt(var)

    def root(sign: float, lo: float, hi: float) -> float:
        # At the raw estimate the statistic is 0 unless the variance vanishes there too (e.g.
        # all passives); step a hair inward so the bracket still changes sign.
        inner = hi if sign > 0 else lo
        if z_stat_numerator(inner, sign) * sign >= 0:
            inner += -1e-9 if sign > 0 else 1e-9
        lo, hi = (lo, inner) if sign > 0 else (inner, hi)
        return float(brentq(z_stat_numerator, lo, hi, args=(sign,), xtol=1e-12))

    low = -1.0 if det == n else root(+1.0, -1.0, raw)
    high = 1.0 if pro == n else root(-1.0, raw, 1.0)
    return low, high


def nps_estimate(
    det: int, pas: int, pro: int, conf: float = 0.95, method: str = "adjusted_wald"
) -> Estimate:
    """NPS with a confidence interval; ``value`` is always the raw NPS (METHODS.md §0).

    ``adjusted_wald`` (default) centres the interval on the adjusted estimate (``centre``),
    ``score`` is the Tango/Rocks interval (better for small n or extreme NPS), ``wald`` is only
    for comparison: it undercovers and collapses to zero width at the boundary. Ends are clipped
    to [-1, 1]. n == 0 gives NaN value and interval ("no data").
    """
    det, pas, pro = _checked(det, pas, pro)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    z = z_value(conf)
    n = det + pas + pro
    if n == 0:
        return empty_estimate(0)
    raw = (pro - det) / n
    if method == "score":
        low, high = _score_interval(det, pro, n, z)
        return Estimate(value=raw, n=n, ci_low=low, ci_high=high)
    centre, se = _adjusted(det, pas, pro) if method == "adjusted_wald" else _wald(det, pro, n)
    return Estimate(
        value=raw,
        n=n,
        ci_low=max(-1.0, centre - z * se),
        ci_high=min(1.0, centre + z * se),
        se=se,
        centre=centre,
    )


def _centre_se(counts: tuple[int, int, int], adjusted: bool) -> tuple[float, float, int]:
    det, pas, pro = _checked(*counts)
    n = det + pas + pro
    if adjusted:
        centre, se = _adjusted(det, pas, pro)
    elif n == 0:
        centre, se = nan, nan
    else:
        centre, se = _wald(det, pro, n)
    return centre, se, n


def _raw(counts: tuple[int, int, int]) -> float:
    det, pas, pro = counts
    n = det + pas + pro
    return (pro - det) / n if n else nan


def nps_diff_test(
    a: tuple[int, int, int],
    b: tuple[int, int, int],
    conf: float = 0.95,
    adjusted: bool = True,
) -> TestResult:
    """Two independent segments: adjusted-Wald z test (MeasuringU; Rocks ``nps_test``), §1.5.

    ``estimate`` is the raw difference a - b (what users see); z, p and the CI use the adjusted
    estimates. Compare a segment with the *rest*, never with the total that contains it.
    ``adjusted=False`` gives the plain Wald test for reference.
    """
    z_crit = z_value(conf)
    ca, sa, na = _centre_se(a, adjusted)
    cb, sb, nb = _centre_se(b, adjusted)
    method = "adjusted_wald" if adjusted else "wald"
    if na == 0 or nb == 0:
        return TestResult(estimate=nan, statistic=nan, p=nan, method=method)
    diff = ca - cb
    se = math.hypot(sa, sb)
    stat = diff / se if se > 0 else nan
    p = float(2.0 * norm.sf(abs(stat))) if se > 0 else nan
    return TestResult(
        estimate=_raw(a) - _raw(b),
        statistic=stat,
        p=p,
        ci_low=max(-2.0, diff - z_crit * se),
        ci_high=min(2.0, diff + z_crit * se),
        se=se,
        method=method,
    )


def nps_heterogeneity(
    groups: Sequence[tuple[int, int, int]], adjusted: bool = True
) -> TestResult:
    """Omnibus 'NPS differs across k segments': Cochran-Q-type Wald statistic, §1.6.

    Q = sum w_i (NPS'_i - weighted mean)^2 with w_i = 1/SE'_i^2, chi-square with k - 1 df; for
    k = 2 it equals z^2 of ``nps_diff_test``. Segments without answers carry no information and
    are skipped. Not the k x 3 chi-square, which also reacts to passives. ``estimate`` holds Q.
    """
    if len(groups) < 2:
        raise ValueError(f"need at least 2 groups, got {len(groups)}")
    rows = [_centre_se(tuple(g), adjusted) for g in groups]  # type: ignore[arg-type]
    rows = [(c, s) for c, s, n in rows if n > 0]
    method = "wald_q_adjusted" if adjusted else "wald_q"
    k = len(rows)
    centres = np.array([c for c, _ in rows])
    ses = np.array([s for _, s in rows])
    if k < 2 or np.any(ses <= 0):
        return TestResult(estimate=nan, statistic=nan, p=nan, df=max(k - 1, 0), method=method)
    w = 1.0 / ses**2
    pooled = float(np.sum(w * centres) / np.sum(w))
    q = float(np.sum(w * (centres - pooled) ** 2))
    return TestResult(estimate=q, statistic=q, p=float(chi2.sf(q, k - 1)), df=k - 1, method=method)
