"""Trends: METHODS.md WOW-1 and SPC-1 through cx.analysis.trends, read from the DB."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cx.analysis.trends import control_chart, trend_analysis, week_over_week
from cx.metrics import Engine
from cx.storage import Store
from tests.analysis.conftest import load, monday

SPC_X = [160, 170, 165, 172, 158, 168, 140, 166]
SPC_N = [200, 210, 205, 215, 198, 206, 200, 204]


def _weeks(xs: list[int], ns: list[int]) -> pd.DataFrame:
    rows = []
    for week, (x, n) in enumerate(zip(xs, ns)):
        rows += [(monday(week), 5 if i < x else 3) for i in range(n)]
    return pd.DataFrame(rows, columns=["submitted_at", "csat"])


def test_wow_1(store: Store, engine: Engine) -> None:
    # METHODS.md WOW-1: week 7 = 140/200 vs week 6 = 168/206
    load(store, "responses", _weeks([168, 140], [206, 200]))
    res = week_over_week(engine, "csat", monday(1).date())
    assert res.previous == monday(0).date()
    assert res.change == pytest.approx(-0.1155, abs=1e-4)
    assert (res.ci_low, res.ci_high) == pytest.approx((-0.1972, -0.0322), abs=1e-4)
    assert res.p == pytest.approx(0.0066, abs=1e-4)
    assert res.significant and res.n == 200 and res.previous_n == 206
    assert "week over week: -11.6 pp" in res.reading and "significant" in res.reading
    with pytest.raises(ValueError, match="Monday"):
        week_over_week(engine, "csat", dt.date(2026, 1, 6))


def test_spc_1(store: Store, engine: Engine) -> None:
    load(store, "responses", _weeks(SPC_X, SPC_N))
    trend = trend_analysis(engine, "csat", "week", baseline="all")
    c = trend.control
    # METHODS.md SPC-1: p-bar 0.7930; week 7: 0.7000 < LCL 0.7071 (UCL 0.8790)
    assert c["centre"].iloc[0] == pytest.approx(0.7930, abs=1e-4)
    assert c["lcl"].iloc[6] == pytest.approx(0.7071, abs=1e-4)
    assert c["ucl"].iloc[6] == pytest.approx(0.8790, abs=1e-4)
    assert list(c["out_of_control"]) == [False] * 6 + [True, False]
    assert "Outside the control limits: 2026-02-16 (low)" in trend.reading
    assert len(trend.table) == 8 and np.isnan(trend.table["change"].iloc[0])
    # baseline without week 7 (METHODS.md §8.2): p-bar 0.8060, week-7 LCL 0.7221, still out
    others = trend_analysis(engine, "csat", "week").control
    assert others["centre"].iloc[6] == pytest.approx(0.8060, abs=1e-4)
    assert others["lcl"].iloc[6] == pytest.approx(0.7221, abs=1e-4)
    assert others["out_of_control"].sum() == 1


def test_trailing_baseline_and_quantile_trend() -> None:
    chart = control_chart(pd.Series(range(8)), np.array(SPC_X, float), np.array(SPC_N, float),
                          "trailing")
    assert np.isnan(chart["lcl"].iloc[0])  # nothing before the first week
    # week 7 judged on weeks 1-6 only: p-bar = 993 / 1234
    assert chart["centre"].iloc[6] == pytest.approx(993 / 1234)
    assert bool(chart["out_of_control"].iloc[6])


def test_nps_trend_changes(store: Store, engine: Engine) -> None:
    frame = pd.DataFrame({"nps": [10] * 50 + [0] * 50 + [10] * 30 + [0] * 70,
                          "submitted_at": [monday(0)] * 100 + [monday(1)] * 100})
    load(store, "responses", frame)
    trend = trend_analysis(engine, "nps", "week")
    assert trend.control is None
    # raw NPS 0 -> -40 points: change -40 (cx.stats.nps_diff_test, adjusted Wald)
    assert trend.table["change"].iloc[1] == pytest.approx(-40.0)
    assert trend.table["change_p"].iloc[1] < 0.01


def test_p_chart_with_too_few_periods_says_so_and_hides_small_weeks() -> None:
    # METHODS.md §8.2: limits need a baseline; 3 weeks cannot give one, so no "in control"
    few = control_chart(pd.Series(range(3)), np.array([16.0, 17, 15]), np.array([20.0, 20, 20]))
    assert few["lcl"].isna().all() and not few["out_of_control"].any()
    assert list(few["status"]) == ["too few periods for limits (2 of 5)"] * 3
    # a week of n = 3 (below the privacy floor) shows no share and leaves every baseline
    x, n = np.array(SPC_X[:7] + [2], float), np.array(SPC_N[:7] + [3], float)
    chart = control_chart(pd.Series(range(8)), x, n, "all", privacy_floor=5)
    assert np.isnan(chart["p"].iloc[7]) and chart["status"].iloc[7] == "suppressed"
    assert chart["centre"].iloc[0] == pytest.approx(sum(SPC_X[:7]) / sum(SPC_N[:7]))
