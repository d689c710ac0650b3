"""Repeated answers from one customer: Kish design effect and effective n (METHODS.md §0.1).

Per-ticket surveys let one customer answer many times; their answers are correlated, so the
usual intervals (which assume independent answers) are too narrow. The customer is the cluster:
with per-answer scores s_i (NPS -1/0/+1, share 1/0, mean the value), m = mean, cluster totals
e_c = sum over c of (s_i - m), C clusters and n answers,

    V_cl  = C/(C-1) * sum_c e_c^2 / n^2          (linearisation, small-sample factor)
    V_srs = sum_i (s_i - m)^2 / (n (n-1))
    deff  = max(1, V_cl / V_srs),   n_eff = n / deff.

The SQL returns the sums below per group (one GROUP BY customer, then one per group), so the
design effect never needs raw rows: sum_c e_c^2 = SS - 2 m NS + m^2 NN with SS = sum S_c^2,
NS = sum n_c S_c, NN = sum n_c^2 (S_c, n_c: the cluster's score sum and size).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.stats import fisher_exact, norm
from scipy.stats import t as student_t
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

from cx.stats.nps import _adjusted
from cx.stats.proportions import MIN_EXPECTED
from cx.stats.types import Estimate, TestResult, check_conf, t_value, z_value

# Below this the design effect is 1 up to rounding (every answer its own cluster gives exactly 1).
DEFF_TOLERANCE = 1e-9
# METHODS.md §0.1: the design effect is shown next to n when it is above this.
SHOW_DEFF = 1.1


@dataclass(frozen=True)
class ClusterSums:
    """The per-group aggregates of the cluster statement (cx.metrics.plans)."""

    n: int
    clusters: int
    s1: float  # sum of scores
    s2: float  # sum of squared scores
    ss: float  # sum over clusters of S_c^2
    ns: float  # sum over clusters of n_c * S_c
    nn: float  # sum over clusters of n_c^2


def effective_n_text(deff: object, n_eff: object) -> str:
    """'answers repeat per customer: effective n = …' when deff > 1.1, else '' (METHODS.md
    §0.1): every place that shows a value with its n shows this beside it, so a reader knows
    the interval is as wide as n_eff independent answers would give, not n."""
    try:
        d, e = float(deff), float(n_eff)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    if not (math.isfinite(d) and math.isfinite(e)) or d <= SHOW_DEFF:
        return ""
    return f"answers repeat per customer: effective n = {e:,.0f} (design effect {d:.2f})"


def design_effect(c: ClusterSums) -> float:
    """Kish deff = max(1, V_cl / V_srs); 1 when it cannot be estimated (n < 2, C < 2, V = 0)."""
    if c.n < 2 or c.clusters < 2:
        return 1.0
    m = c.s1 / c.n
    v_srs = (c.s2 - c.n * m * m) / (c.n * (c.n - 1))
    if not v_srs > 0:
        return 1.0
    e2 = max(c.ss - 2.0 * m * c.ns + m * m * c.nn, 0.0)
    v_cl = c.clusters / (c.clusters - 1) * e2 / (c.n * c.n)
    deff = v_cl / v_srs
    return deff if deff > 1.0 + DEFF_TOLERANCE else 1.0


def nps_clustered(raw: Estimate, det: int, pas: int, pro: int, deff: float,
                  conf: float = 0.95) -> Estimate:
    """Adjusted-Wald NPS interval with the counts scaled by n_eff / n = 1 / deff (§0.1)."""
    if deff <= 1.0 or raw.n == 0:
        return raw
    centre, se = _adjusted(det / deff, pas / deff, pro / deff)
    z = z_value(conf)
    return Estimate(raw.value, raw.n, max(-1.0, centre - z * se), min(1.0, centre + z * se),
                    se, centre)


def wilson_clustered(raw: Estimate, deff: float, conf: float = 0.95) -> Estimate:
    """Wilson interval of the raw share computed with n_eff in place of n (§0.1)."""
    if deff <= 1.0 or raw.n == 0:
        return raw
    check_conf(conf)
    p, n, z = raw.value, raw.n / deff, z_value(conf)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Estimate(p, raw.n, max(0.0, centre - half), min(1.0, centre + half),
                    math.sqrt(p * (1 - p) / n), centre)


def mean_clustered(raw: Estimate, deff: float, clusters: int, conf: float = 0.95) -> Estimate:
    """t interval of the mean with SE s / sqrt(n_eff) and df = C - 1 (§0.1)."""
    if deff <= 1.0 or raw.n < 2 or clusters < 2 or math.isnan(raw.se):
        return raw
    se = raw.se * math.sqrt(deff)
    half = t_value(conf, clusters - 1) * se
    return Estimate(raw.value, raw.n, raw.value - half, raw.value + half, se, raw.centre)


def clustered_test(kind: str, a: dict[str, float], b: dict[str, float],
                   conf: float = 0.95) -> TestResult:
    """Two-group test on effective counts (already scaled by 1/deff, so not whole numbers):
    the same tests as cx.stats (adjusted-Wald NPS, score test + Newcombe, Welch) in float form.
    """
    nan = math.nan
    if kind == "nps":
        na, nb = a["det"] + a["pas"] + a["pro"], b["det"] + b["pas"] + b["pro"]
        if na <= 0 or nb <= 0:
            return TestResult(nan, nan, nan, method="adjusted_wald")
        ca, sa = _adjusted(a["det"], a["pas"], a["pro"])
        cb, sb = _adjusted(b["det"], b["pas"], b["pro"])
        diff, se, z = ca - cb, math.hypot(sa, sb), z_value(conf)
        stat = diff / se if se > 0 else nan
        return TestResult((a["pro"] - a["det"]) / na - (b["pro"] - b["det"]) / nb, stat,
                          float(2.0 * norm.sf(abs(stat))) if se > 0 else nan,
                          max(-2.0, diff - z * se), min(2.0, diff + z * se), se=se,
                          method="adjusted_wald")
    if kind == "share":
        return _shares(a["x"], a["n"], b["x"], b["n"], conf)
    return _welch(a, b, conf)


def _shares(x1: float, n1: float, x2: float, n2: float, conf: float) -> TestResult:
    """Score test and Newcombe interval on effective (float) counts; Fisher's exact p on the
    rounded counts when an expected cell is below 5, as in cx.stats.proportions."""
    nan = math.nan
    if n1 <= 0 or n2 <= 0:
        return TestResult(nan, nan, nan, method="newcombe_score")
    low, high = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff",
                                           alpha=1.0 - conf)
    pooled = (x1 + x2) / (n1 + n2)
    stat, p, method = nan, nan, "newcombe_score"
    if 0.0 < pooled < 1.0:
        res = test_proportions_2indep(x1, n1, x2, n2, method="score", compare="diff")
        stat, p = float(res.statistic), float(res.pvalue)
        if min(n1, n2) * min(pooled, 1.0 - pooled) < MIN_EXPECTED:
            k1, m1, k2, m2 = (int(round(v)) for v in (x1, n1, x2, n2))
            p, method = float(fisher_exact([[k1, m1 - k1], [k2, m2 - k2]])[1]), "newcombe_fisher"
    return TestResult(x1 / n1 - x2 / n2, stat, p, float(low), float(high), method=method)


def _welch(a: dict[str, float], b: dict[str, float], conf: float) -> TestResult:
    """Welch t test on effective n (mean and SD unchanged by the scaling)."""
    nan = math.nan
    if a["n"] < 2 or b["n"] < 2:
        return TestResult(nan, nan, nan, method="welch")
    ma, mb = a["total"] / a["n"], b["total"] / b["n"]
    va = max(a["total_sq"] - a["total"] * ma, 0.0) / (a["n"] - 1)
    vb = max(b["total_sq"] - b["total"] * mb, 0.0) / (b["n"] - 1)
    qa, qb = va / a["n"], vb / b["n"]
    se = math.sqrt(qa + qb)
    if se == 0:
        return TestResult(ma - mb, nan, nan, se=0.0, method="welch")
    df = (qa + qb) ** 2 / (qa * qa / (a["n"] - 1) + qb * qb / (b["n"] - 1))
    stat = (ma - mb) / se
    half = t_value(conf, df) * se
    return TestResult(ma - mb, stat, float(2.0 * student_t.sf(abs(stat), df)),
                      ma - mb - half, ma - mb + half, df=df, se=se, method="welch")
