"""Segments vs rest: METHODS.md NPS-4, NPS-5, MT-1 through cx.analysis.segments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats import proportion as smp

from cx.analysis.segments import (
    bh_badges,
    heterogeneity,
    segment_pairs,
    segment_table,
    segments_vs_rest,
)
from cx.metrics import Engine
from cx.storage import Store
from tests.analysis.conftest import load, monday, nps_answers

A, B, C = (20, 30, 50), (30, 30, 40), (10, 40, 50)


def _nps_rows(groups: dict[str, tuple[int, int, int]]) -> pd.DataFrame:
    channel, score = [], []
    for name, counts in groups.items():
        answers = nps_answers(*counts)
        channel += [name] * len(answers)
        score += answers
    return pd.DataFrame({"channel": channel, "nps": score, "submitted_at": monday(0)})


def test_nps_4_two_segments(store: Store, engine: Engine) -> None:
    load(store, "responses", _nps_rows({"A": A, "B": B}))
    res = segment_table(engine, "nps", "channel")
    row = res.table.set_index("segment").loc["A"]
    # METHODS.md NPS-4: raw diff 0.2000, adj CI [-0.0255, 0.4139], p 0.0832 (points here)
    assert row["diff_vs_rest"] == pytest.approx(20.0)
    assert row["diff_ci_low"] == pytest.approx(-2.55, abs=0.01)
    assert row["diff_ci_high"] == pytest.approx(41.39, abs=0.01)
    assert row["p"] == pytest.approx(0.0832, abs=1e-4)
    assert row["badge"] == "none"
    # k = 2: Q = z^2 = 1.7323^2 (METHODS.md §1.6)
    assert res.heterogeneity.statistic == pytest.approx(1.7323**2, abs=1e-3)
    assert "No channel differs significantly" in res.reading


def test_nps_5_three_segments(store: Store, engine: Engine) -> None:
    load(store, "responses", _nps_rows({"A": A, "B": B, "C": C}))
    res = segment_table(engine, "nps", "channel")
    # METHODS.md NPS-5: adjusted Wald Q 7.7629, df 2, p 0.0206
    assert res.heterogeneity.statistic == pytest.approx(7.7629, abs=1e-4)
    assert res.heterogeneity.p == pytest.approx(0.0206, abs=1e-4)
    c = res.table.set_index("segment").loc["C"]
    # METHODS.md §1.5: C vs rest (A+B) p 0.0279
    assert c["p"] == pytest.approx(0.0279, abs=1e-4)
    pairs = segment_pairs(engine, "nps", "channel").set_index(["a", "b"])
    # METHODS.md NPS-5: pairwise Holm A-B 0.1664, A-C 0.3375, B-C 0.0163
    assert pairs.loc[("A", "B"), "p_holm"] == pytest.approx(0.1664, abs=1e-4)
    assert pairs.loc[("A", "C"), "p_holm"] == pytest.approx(0.3375, abs=1e-4)
    assert pairs.loc[("B", "C"), "p_holm"] == pytest.approx(0.0163, abs=1e-4)


def test_mt_1_bh_badges() -> None:
    p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205]
    q, badge = bh_badges([1.0] * 8, p, [True] * 8, 0.95)
    # METHODS.md MT-1: BH 0.0080, 0.0320, 0.0672 x3, 0.0800, 0.0846, 0.2050; 2 rejections
    np.testing.assert_allclose(q, [0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.08, 0.084571, 0.205],
                               atol=1e-4)
    assert list(badge).count("higher") == 2
    # an ineligible (low-n) test leaves the family: q NaN, no badge, m = 7 for the rest
    q2, badge2 = bh_badges([-1.0] * 8, p, [False] + [True] * 7, 0.95)
    assert np.isnan(q2[0]) and badge2[0] == "none"
    assert q2[1] == pytest.approx(0.008 * 7, abs=1e-9)  # 0.056: above 0.05, so no badge
    assert list(badge2) == ["none"] * 8


def test_share_segments_score_test_and_low_n(store: Store, engine: Engine) -> None:
    # X: 90/100 satisfied, Y: 60/100, Z: 3/10 (low n: tested, no q, no badge, no rank)
    rows = []
    for name, sat, n in (("X", 90, 100), ("Y", 60, 100), ("Z", 3, 10)):
        rows += [(name, 5 if i < sat else 2) for i in range(n)]
    frame = pd.DataFrame(rows, columns=["channel", "csat"]).assign(submitted_at=monday(0))
    load(store, "responses", frame)
    table = segment_table(engine, "csat", "channel").table.set_index("segment")
    ref = smp.test_proportions_2indep(90, 100, 63, 110, method="score", compare="diff")
    # statsmodels test_proportions_2indep(90, 100, 63, 110, method="score")
    assert table.loc["X", "p"] == pytest.approx(ref.pvalue, rel=1e-9)
    assert table.loc["X", "diff_vs_rest"] == pytest.approx(0.9 - 63 / 110)
    assert table.loc["X", "badge"] == "higher" and table.loc["Y", "badge"] == "lower"
    assert table.loc["Z", "reliability"] == "low_n"
    assert np.isnan(table.loc["Z", "q"]) and table.loc["Z", "badge"] == "none"
    assert np.isnan(table.loc["Z", "rank"]) and table.loc["X", "rank"] == 1
    # chi-square 3x2 homogeneity: scipy.stats.chi2_contingency(correction=False)
    counts = pd.DataFrame({"x": [90, 60, 3], "n": [100, 100, 10]})
    ref_chi = sps.chi2_contingency([[90, 10], [60, 40], [3, 7]], correction=False)
    assert heterogeneity("share", counts).statistic == pytest.approx(ref_chi[0])


def test_mean_segments_welch(store: Store, engine: Engine) -> None:
    rng = np.random.default_rng(3)
    vals = {"X": rng.integers(1, 6, 40), "Y": rng.integers(2, 6, 50), "Z": rng.integers(1, 4, 35)}
    frame = pd.DataFrame([(k, int(v)) for k, arr in vals.items() for v in arr],
                         columns=["channel", "csat"]).assign(submitted_at=monday(0))
    load(store, "responses", frame)
    res = segment_table(engine, "csat_mean", "channel")
    table = res.table.set_index("segment")
    rest = np.concatenate([vals["Y"], vals["Z"]])
    ref = sps.ttest_ind(vals["X"], rest, equal_var=False)  # scipy Welch t test
    assert table.loc["X", "p"] == pytest.approx(ref.pvalue, rel=1e-9)
    anova = sps.f_oneway(vals["X"], vals["Y"], vals["Z"], equal_var=False)  # Welch ANOVA
    assert res.heterogeneity.statistic == pytest.approx(anova.statistic, rel=1e-9)
    assert res.heterogeneity.p == pytest.approx(anova.pvalue, rel=1e-9)


def test_quantile_metric_is_not_compared(store: Store, engine: Engine) -> None:
    frame = pd.DataFrame({"channel": ["a"] * 40 + ["b"] * 40,
                          "first_response_hours": np.arange(80, dtype=float) + 1,
                          "opened_at": monday(0)})
    load(store, "tickets", frame)
    res = segment_table(engine, "frt_median", "channel")
    assert not res.comparable and res.heterogeneity is None
    assert set(res.table["badge"]) == {"none"} and res.table["p"].isna().all()
    # median of 1..40 = 20.5 (numpy linear quantile)
    assert res.table.set_index("segment").loc["a", "value"] == pytest.approx(20.5)
    assert "no segment-vs-rest significance test" in res.reading


def test_null_segments_keep_false_badges_rare() -> None:
    """200 seeded screens of 10 equal-NPS segments (n = 200 each): BH false badges stay rare."""
    rng = np.random.default_rng(11)
    screens_with_badge = badges = 0
    reps, k = 200, 10
    for _ in range(reps):
        counts = pd.DataFrame(rng.multinomial(200, [0.25, 0.35, 0.40], size=k),
                              columns=["det", "pas", "pro"])
        out = segments_vs_rest("nps", counts, [True] * k, 0.95, 100.0)
        flagged = int((out["badge"] != "none").sum())
        badges += flagged
        screens_with_badge += flagged > 0
    # Under the complete null BH controls P(any false badge) at alpha (FWER = FDR here).
    assert screens_with_badge / reps <= 0.05 + 2 * np.sqrt(0.05 * 0.95 / reps)
    assert badges / (reps * k) <= 0.05
