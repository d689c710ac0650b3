"""Key drivers: METHODS.md KDA-1 (toy data §6.2) and the §6.3 quadrant, read from the DB."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from cx.analysis.drivers import bootstrap_share_ci, drivers_core, key_drivers
from cx.domain import Filters
from cx.stats.drivers import driver_importance
from cx.metrics import Engine
from cx.storage import FieldInfo, Store, add_extra_field
from tests.analysis.conftest import load, monday

EASE = [4, 4, 4, 2, 3, 1, 2, 2, 1, 3]
SPEED = [5, 4, 5, 2, 4, 3, 2, 4, 1, 3]
FRIENDLY = [5, 5, 5, 4, 5, 4, 4, 4, 3, 4]
OVERALL = [5, 5, 5, 1, 3, 2, 2, 3, 1, 4]
NAMES = ("ease", "speed", "friendly")


def test_kda_1_core() -> None:
    X = np.column_stack([EASE, SPEED, FRIENDLY]).astype(float)
    table, r2, method = drivers_core(X, np.array(OVERALL, float), NAMES, NAMES, seed=7, reps=200)
    t = table.set_index("name")
    # METHODS.md KDA-1: Shapley 0.3899 / 0.3136 / 0.2228, R² 0.9262; beta friendly -0.4743
    assert method == "shapley" and r2 == pytest.approx(0.9262, abs=1e-4)
    assert list(t.loc[list(NAMES), "importance"]) == pytest.approx([0.3899, 0.3136, 0.2228],
                                                                   abs=1e-4)
    assert t["share"].sum() == pytest.approx(1.0)
    assert t["importance"].sum() == pytest.approx(r2)
    assert list(t.loc[list(NAMES), "r"]) == pytest.approx([0.9139, 0.8697, 0.7947], abs=1e-4)
    assert list(t["sign_flip"]) == [False, False, True]  # friendly: beta < 0 < r
    # METHODS.md §6.3: cut-offs 33.33% / 3.4 -> ease, speed fix first; friendly over-investment
    assert list(t.loc[list(NAMES), "performance"]) == pytest.approx([2.6, 3.3, 4.3])
    assert list(t.loc[list(NAMES), "quadrant"]) == ["fix first", "fix first",
                                                   "possible over-investment"]
    assert (t["ci_low"] <= t["share"]).all() and (t["share"] <= t["ci_high"]).all()
    again, _, _ = drivers_core(X, np.array(OVERALL, float), NAMES, NAMES, seed=7, reps=200)
    assert list(again["ci_low"]) == list(table["ci_low"])  # seeded: same CIs


def _toy_frame(copies: int) -> pd.DataFrame:
    frame = pd.DataFrame({"ease": EASE, "speed": SPEED, "friendly": FRIENDLY, "csat": OVERALL,
                          "channel": ["a"] * 10, "submitted_at": monday(0)})
    return pd.concat([frame] * copies, ignore_index=True)


def test_kda_1_from_database(store: Store, engine: Engine) -> None:
    # 6 copies of the toy rows (n = 60 >= max(50, 10·3)): correlations, hence shares, unchanged
    frame = _toy_frame(6)
    frame.loc[0, "ease"] = None  # listwise deletion drops this row
    frame.loc[1, "channel"] = "b"  # the filter drops this one
    load(store, "responses", frame, ratings=NAMES)
    full = _toy_frame(6).iloc[2:]
    res = key_drivers(engine, "responses", "csat", filters=Filters.of(channel="a"), reps=50)
    X = full[list(NAMES)].to_numpy(float)
    ref, r2, _ = drivers_core(X, full["csat"].to_numpy(float), NAMES, NAMES, reps=0)
    assert res.n == 58 and not res.suppressed
    assert res.r2 == pytest.approx(r2, abs=1e-12)
    assert list(res.drivers["name"]) == list(ref["name"])
    assert list(res.drivers["importance"]) == pytest.approx(list(ref["importance"]), abs=1e-12)
    assert "drive csat most" in res.reading


def test_yes_no_outcome_and_suppression(store: Store, engine: Engine) -> None:
    frame = _toy_frame(6).assign(verdict=lambda f: np.where(f["csat"] >= 4, "happy", "not"))
    load(store, "responses", frame, ratings=NAMES, dimensions=("verdict",))
    res = key_drivers(engine, "responses", "verdict=happy", reps=0)
    y = (frame["csat"] >= 4).to_numpy(float)
    ref, r2, _ = drivers_core(frame[list(NAMES)].to_numpy(float), y, NAMES, NAMES, reps=0)
    assert res.r2 == pytest.approx(r2, abs=1e-12)
    assert any("linear-probability" in n for n in res.notes)
    small = key_drivers(engine, "responses", "csat", filters=Filters.of(channel="zzz"))
    assert small.suppressed and small.n == 0 and small.drivers["importance"].isna().all()
    assert "need at least 50" in small.reading
    with pytest.raises(ValueError, match="not a numeric field"):
        key_drivers(engine, "responses", "csat", drivers=["ease", "channel"])


def test_bootstrap_matches_per_replicate_refits() -> None:
    """Weighted-moment resamples = refitting on each resampled copy (same draws, same seed)."""
    rng = np.random.default_rng(5)
    X = rng.normal(size=(120, 3)) + rng.normal(size=(120, 1))
    y = X @ np.array([1.0, 0.5, 0.1]) + rng.normal(size=120)
    low, high = bootstrap_share_ci(X, y, reps=40, seed=9, conf=0.9)
    draws = np.random.default_rng(9)
    shares = []
    for _ in range(40):
        idx = draws.integers(0, 120, 120)
        res = driver_importance(X[idx], y[idx], NAMES, "shapley")  # cx.stats reference
        shares.append(res.importance / res.importance.sum())
    np.testing.assert_allclose(low, np.percentile(shares, 5, axis=0), atol=1e-10)
    np.testing.assert_allclose(high, np.percentile(shares, 95, axis=0), atol=1e-10)


def _churn_customers(store: Store, rng: np.random.Generator, n: int = 120) -> pd.DataFrame:
    """Customers with two 1-5 ratings and one 0-10 rating; churn unrelated to all of them."""
    frame = pd.DataFrame({"ease": rng.integers(1, 6, n), "speed": rng.integers(1, 6, n),
                          "value_for_money": rng.integers(0, 11, n),
                          "churned": rng.random(n) < 0.3})
    with store.transaction() as cur:
        add_extra_field(cur, "customers", FieldInfo("customers", "value_for_money", "rating",
                                                    True, "value_for_money", 0, 10), "b0")
    load(store, "customers", frame, ratings=("ease", "speed"))
    return frame


def test_boolean_outcome_weak_model_and_mixed_scales(store: Store, engine: Engine) -> None:
    frame = _churn_customers(store, np.random.default_rng(11))
    names = ["ease", "speed", "value_for_money"]
    plain = key_drivers(engine, "customers", "churned", drivers=names, reps=0)
    for spelled in ("churned=1", "churned=true", "churned=TRUE"):
        res = key_drivers(engine, "customers", spelled, drivers=names, reps=0)
        assert res.r2 == pytest.approx(plain.r2, abs=1e-12) and res.n == 120
    X = frame[names].to_numpy(float)
    _, r2, _ = drivers_core(X, frame["churned"].to_numpy(float), names, names, reps=0)
    assert plain.r2 == pytest.approx(r2, abs=1e-12)
    # overall F test: scipy.stats.f.sf((R²/p) / ((1-R²)/(n-p-1)), p, n-p-1)
    p_model = sps.f.sf((r2 / 3) / ((1 - r2) / (120 - 4)), 3, 116)
    assert r2 < 0.10 and plain.reading.startswith("The drivers explain little of churned")
    assert f"p = {p_model:.3g}" in plain.reading
    # 1-5 and 0-10 drivers: their means are not comparable, so no quadrant
    assert plain.drivers["quadrant"].isna().all()
    assert any("not all on one rating scale" in n for n in plain.notes)
    same = key_drivers(engine, "customers", "churned", drivers=["ease", "speed"], reps=0)
    assert same.drivers["quadrant"].notna().all()
