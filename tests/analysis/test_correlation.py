"""Correlation analysis: METHODS.md COR-1, COR-2 and the §5.3 binned view, read from the DB."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cx.analysis.correlation import correlation_analysis, correlation_core, sla_bins
from cx.config import Thresholds
from cx.domain import Filters
from cx.metrics import Engine
from cx.storage import Store
from tests.analysis.conftest import load, monday

HOURS = [1, 2, 2, 3, 4, 6, 8, 12, 24, 36, 48, 96]
CSAT = [5, 5, 4, 5, 4, 4, 3, 4, 2, 3, 1, 2]


@pytest.fixture
def cor1(store: Store) -> Store:
    frame = pd.DataFrame({"resolution_hours": HOURS, "csat": CSAT, "opened_at": monday(0),
                          "channel": ["email"] * 12})
    # noise the filters must remove: another channel, and a row without CSAT
    extra = pd.DataFrame({"resolution_hours": [1.0, 500.0, 3.0], "csat": [1, 5, None],
                          "opened_at": monday(0), "channel": ["phone", "phone", "email"],
                          "ticket_id": ["x1", "x2", "x3"]})
    load(store, "tickets", pd.concat([frame, extra], ignore_index=True))
    return store


@pytest.mark.parametrize(("method", "r", "p", "low", "high"), [
    # METHODS.md COR-1 (scipy.stats.spearmanr + Bonett–Wright; kendalltau + Fieller; pearsonr(log))
    ("spearman", -0.8886, 0.0001, -0.9751, -0.5674),
    ("kendall", -0.7693, 0.0011, -0.9009, -0.5084),
    ("pearson_log", -0.8793, 0.0002, -0.9658, -0.6164),
])
def test_cor_1(cor1: Store, engine: Engine, method: str, r: float, p: float, low: float,
               high: float) -> None:
    res = correlation_analysis(engine, "tickets", "resolution_hours", "csat", method,
                               filters=Filters.of(channel="email"))
    s = res.summary
    assert s["n"] == 12
    assert s["r"] == pytest.approx(r, abs=1e-4)
    assert s["p"] == pytest.approx(p, abs=1e-4)
    assert (s["ci_low"], s["ci_high"]) == pytest.approx((low, high), abs=1e-4)


def test_sla_bins(cor1: Store, engine: Engine) -> None:
    # METHODS.md §5.3 shows buckets of n = 4 and suppresses n = 1: a privacy floor of 3
    # (the configurable low end, §7.3) reproduces that table.
    bins = sla_bins(np.array(HOURS, float), np.array(CSAT, float), np.full(12, 4.0), 0.95,
                    Thresholds(privacy_floor_n=3)).set_index("bucket")
    # METHODS.md §5.3: <4h n 4 mean 4.75 T2B 1.00; 4-24h 4, 3.75, 0.75; 24-72h 3, 2.00, 0.00
    assert list(bins["n"]) == [4, 4, 3, 1]
    assert list(bins["mean"].iloc[:3]) == pytest.approx([4.75, 3.75, 2.0])
    assert list(bins["value"].iloc[:3]) == pytest.approx([1.0, 0.75, 0.0])
    # statsmodels proportion_confint(3, 4, method="wilson")
    assert bins["ci_low"].iloc[1] == pytest.approx(0.300636, abs=1e-5)
    assert bins["reliability"].iloc[3] == "suppressed" and np.isnan(bins["value"].iloc[3])
    # through the database with the default floor of 5 every bucket is below it
    res = correlation_analysis(engine, filters=Filters.of(channel="email"))
    assert list(res.bins["n"]) == [4, 4, 3, 1]
    assert set(res.bins["reliability"]) == {"suppressed"} and res.bins["mean"].isna().all()
    assert "csat falls as resolution_hours rises" in res.reading


def test_cor_2_simpson(store: Store, engine: Engine) -> None:
    hours = [1, 2, 3, 4, 5, 6, 20, 22, 24, 26, 28, 30]
    score = [3.0, 2.8, 2.6, 2.4, 2.2, 2.0, 4.8, 4.6, 4.4, 4.2, 4.0, 3.8]
    channel = ["chat"] * 6 + ["email"] * 6
    frame = pd.DataFrame({"resolution_hours": hours, "first_response_hours": score,
                          "channel": channel, "opened_at": monday(0)})
    load(store, "tickets", frame)
    # COR-2 is Pearson on the raw values: pearson_log of exp(hours) is exactly that
    x, y = np.array(hours, float), np.array(score)
    codes = np.array([0] * 6 + [1] * 6)
    summary, groups = correlation_core(np.exp(x), y, "pearson_log", codes, ("chat", "email"))
    # METHODS.md COR-2: pooled +0.8248, within each channel -1.0000, partial | channel -0.9487
    assert summary["r"] == pytest.approx(0.8248, abs=1e-4)
    assert summary["partial_r"] == pytest.approx(-0.9487, abs=1e-4)
    assert list(groups["r"]) == pytest.approx([-1.0, -1.0])
    # through the database, with the control fetched as codes
    res = correlation_analysis(engine, "tickets", "resolution_hours", "first_response_hours",
                               "spearman", control="channel")
    assert res.by_group["group"].tolist() == ["chat", "email"]
    assert res.by_group["r"].tolist() == pytest.approx([-1.0, -1.0])
    assert res.summary["partial_r"] < 0 < res.summary["r"]
    assert "Controlling for channel" in res.reading


def test_bad_fields_are_refused(cor1: Store, engine: Engine) -> None:
    with pytest.raises(ValueError, match="not a numeric field"):
        correlation_analysis(engine, "tickets", "channel", "csat")
    with pytest.raises(ValueError, match="unknown filter field"):
        correlation_analysis(engine, filters=Filters.of(nope="x"))
