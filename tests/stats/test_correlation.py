"""Correlations with CIs: METHODS.md COR-1 (§5.2) and COR-2 (§5.4, Simpson's paradox)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from cx.stats.correlation import correlate, partial_correlation

from .helpers import approx4

HOURS = [1, 2, 2, 3, 4, 6, 8, 12, 24, 36, 48, 96]
CSAT = [5, 5, 4, 5, 4, 4, 3, 4, 2, 3, 1, 2]


@pytest.mark.parametrize(
    ("method", "r", "p", "low", "high"),
    [
        # METHODS.md COR-1 / §5.2 table
        ("pearson", -0.7366, 0.0063, -0.9211, -0.2817),
        ("pearson_log", -0.8793, 0.0002, -0.9658, -0.6164),
        ("spearman", -0.8886, 0.0001, -0.9751, -0.5674),  # Bonett–Wright
        ("kendall", -0.7693, 0.0011, -0.9009, -0.5084),  # tau-b, Fieller
    ],
)
def test_cor1_table(method: str, r: float, p: float, low: float, high: float) -> None:
    res = correlate(HOURS, CSAT, method)
    assert (res.r, res.p, res.n) == (approx4(r), approx4(p), 12)
    assert (res.ci_low, res.ci_high) == (approx4(low), approx4(high))


def test_pearson_ci_matches_scipy() -> None:
    # scipy.stats.pearsonr(log(hours), csat).confidence_interval() (Fisher)
    ref = stats.pearsonr(np.log(HOURS), CSAT).confidence_interval(0.95)
    res = correlate(HOURS, CSAT, "pearson_log")
    assert (res.ci_low, res.ci_high) == (pytest.approx(ref.low), pytest.approx(ref.high))


def test_spearman_naive_fisher_is_narrower() -> None:
    # METHODS.md §5.2: pingouin's naive Fisher SE gives [-0.9686, -0.6422], too narrow
    rho = correlate(HOURS, CSAT).r
    z = np.arctanh(rho)
    naive = np.tanh([z - 1.959963984540054 / 3, z + 1.959963984540054 / 3])
    assert list(naive) == [approx4(-0.9686), approx4(-0.6422)]
    assert correlate(HOURS, CSAT).ci_low < naive[0]


def test_point_biserial() -> None:
    # METHODS.md §5.2: point-biserial T2B vs log hours = Pearson: -0.8215, p 0.0010
    t2b = [1 if c >= 4 else 0 for c in CSAT]
    res = correlate(HOURS, t2b, "pearson_log")
    assert (res.r, res.p) == (approx4(-0.8215), approx4(0.0010))


def test_nan_pairs_dropped_and_degenerate_cases() -> None:
    res = correlate([*HOURS, math.nan, 5], [*CSAT, 3, math.nan])
    assert res.n == 12 and res.r == approx4(-0.8886)
    assert math.isnan(correlate([1, 2], [3, 4]).r)
    assert math.isnan(correlate([1, 2, 3, 4], [2, 2, 2, 2]).r)
    with pytest.raises(ValueError, match="x > 0"):
        correlate([0, 1, 2, 3], [1, 2, 3, 4], "pearson_log")
    with pytest.raises(ValueError, match="method"):
        correlate(HOURS, CSAT, "distance")
    with pytest.raises(ValueError, match="same length"):
        correlate([1, 2, 3], [1, 2])


CHAT_H, CHAT_C = [1, 2, 3, 4, 5, 6], [3.0, 2.8, 2.6, 2.4, 2.2, 2.0]
MAIL_H, MAIL_C = [20, 22, 24, 26, 28, 30], [4.8, 4.6, 4.4, 4.2, 4.0, 3.8]


def test_cor2_simpson() -> None:
    # METHODS.md COR-2: pooled r +0.8248, within each channel -1.0000, partial | channel -0.9487
    x, y, g = CHAT_H + MAIL_H, CHAT_C + MAIL_C, ["chat"] * 6 + ["email"] * 6
    assert correlate(x, y, "pearson").r == approx4(0.8248)
    assert correlate(CHAT_H, CHAT_C, "pearson").r == approx4(-1.0)
    part = partial_correlation(x, y, g)
    assert (part.r, part.n) == (approx4(-0.9487), 12)
    assert part.ci_high < 0 and part.p < 0.001


def test_partial_equals_ols_residual_correlation() -> None:
    # numpy.linalg.lstsq residuals on [1, dummies] then numpy.corrcoef (the residual method)
    rng = np.random.default_rng(5)
    g = rng.choice(["a", "b", "c"], size=60)
    x = rng.normal(size=60) + (g == "b") * 2
    y = 0.4 * x + rng.normal(size=60) - (g == "c")
    design = np.column_stack([np.ones(60), g == "b", g == "c"]).astype(float)
    res_x = x - design @ np.linalg.lstsq(design, x, rcond=None)[0]
    res_y = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
    part = partial_correlation(x, y, g)
    assert part.r == pytest.approx(np.corrcoef(res_x, res_y)[0, 1])
    # t test with n - 2 - k df (k = 2 dummies), as pingouin.partial_corr
    t = part.r * math.sqrt(56 / (1 - part.r**2))
    assert part.p == pytest.approx(2 * stats.t.sf(abs(t), 56))


def test_partial_spearman_ranks_first() -> None:
    # Rank version of COR-2: ranks are monotone within channel, so the partial is strongly negative
    x, y, g = CHAT_H + MAIL_H, CHAT_C + MAIL_C, ["chat"] * 6 + ["email"] * 6
    part = partial_correlation(x, y, g, method="spearman")
    rx, ry = stats.rankdata(x), stats.rankdata(y)
    assert part.r == pytest.approx(partial_correlation(rx, ry, g).r)
    assert part.r == approx4(-1.0)


def test_partial_spearman_interval_uses_bonett_wright() -> None:
    # Bonett & Wright (2000): SE of atanh(r_s) = sqrt((1 + r^2/2) / (n - 3)), here n - k cases
    rng = np.random.default_rng(5)
    groups = np.repeat(["a", "b", "c"], 20)
    x = rng.normal(size=60)
    y = x + rng.normal(size=60) + (groups == "b") * 2
    res = partial_correlation(x, y, groups, method="spearman")
    k = 2  # three groups, two dummies
    se = math.sqrt((1 + res.r**2 / 2) / (60 - k - 3))
    z = 1.959963984540054
    assert res.ci_low == pytest.approx(math.tanh(math.atanh(res.r) - z * se), rel=1e-12)
    assert res.ci_high == pytest.approx(math.tanh(math.atanh(res.r) + z * se), rel=1e-12)
