"""Repeated answers from one customer (issue 14 item 7, METHODS.md §0.1): Kish design effect from
SQL cluster sums, used by the intervals; coverage simulation with heavy repeaters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cx.metrics import Engine, MetricQuery
from cx.stats.proportions import wilson
from cx.storage import FieldInfo, Store, add_extra_field
from tests.metrics.conftest import insert

# 400 customers per survey: 20 (5 %) give 57 answers each = 1,140 of 1,520 answers (75 %)
TRUE_P, REPS, LIGHT, HEAVY, PER_HEAVY = 0.7, 1000, 380, 20, 57
COPY = 0.8 ** 0.5  # an answer repeats its customer's own answer with this chance: ICC 0.8


def _simulate(rng: np.random.Generator) -> pd.DataFrame:
    """REPS replications of one survey; each answer satisfied (5) or not (2), truth TRUE_P."""
    sizes = np.array([1] * LIGHT + [PER_HEAVY] * HEAVY)
    customer = np.repeat(np.arange(sizes.size), sizes)
    n = customer.size
    base = rng.random((REPS, sizes.size)) < TRUE_P  # each customer's own answer
    copy = rng.random((REPS, n)) < COPY
    fresh = rng.random((REPS, n)) < TRUE_P
    satisfied = np.where(copy, base[:, customer], fresh)
    rep = np.repeat(np.arange(REPS), n)
    # integer ids: DuckDB casts them to the VARCHAR id columns on insert (fast for 1.5M rows)
    return pd.DataFrame({"response_id": np.arange(REPS * n), "rep": rep,
                         "customer_id": rep * sizes.size + np.tile(customer, REPS),
                         "csat": np.where(satisfied.ravel(), 5, 2),
                         "submitted_at": pd.Timestamp("2026-03-02 12:00")})


def test_design_effect_matches_a_hand_computation(store: Store, engine: Engine) -> None:
    # customers a (3 answers: 5, 5, 4), b (1: 2), c (2: 1, 2); mean of x: METHODS.md §0.1 by hand
    frame = pd.DataFrame({"response_id": list("123456"), "customer_id": list("aaabcc"),
                          "csat": [5, 5, 4, 2, 1, 2], "submitted_at": pd.Timestamp("2026-03-02")})
    insert(store, "responses", frame)
    row = engine.run(MetricQuery("csat_mean")).rows.iloc[0]
    x = frame["csat"].to_numpy(float)
    m, n = x.mean(), x.size
    e = frame.assign(e=x - m).groupby("customer_id")["e"].sum().to_numpy()
    v_cl = 3 / 2 * np.sum(e**2) / n**2
    v_srs = np.sum((x - m) ** 2) / (n * (n - 1))
    assert row["deff"] == pytest.approx(v_cl / v_srs, rel=1e-9)
    assert row["n_eff"] == pytest.approx(n * v_srs / v_cl, rel=1e-9)


def test_heavy_repeaters_keep_95_percent_coverage(store: Store, engine: Engine) -> None:
    with store.transaction() as cur:
        add_extra_field(cur, "responses", FieldInfo("responses", "rep", "dimension", True, "rep"),
                        "b0")
    insert(store, "responses", _simulate(np.random.default_rng(20261129)))
    rows = engine.run(MetricQuery("csat", by=("rep",))).rows
    assert len(rows) == REPS and (rows["deff"] > 1).all()
    covered = ((rows["ci_low"] <= TRUE_P) & (TRUE_P <= rows["ci_high"])).mean()
    naive = np.mean([(lambda e: e.ci_low <= TRUE_P <= e.ci_high)(wilson(int(x), int(k)))
                     for x, k in zip(rows["x"], rows["n"])])
    print(f"coverage with deff {covered:.3f}, naive Wilson {naive:.3f}, "
          f"median deff {rows['deff'].median():.1f}")
    assert 0.93 <= covered <= 0.97  # METHODS.md §0.1 target
    # measured (seed above): 0.941 with the design effect, 0.224 for the naive Wilson interval
    assert naive < 0.50  # the naive interval falls far short
    means = engine.run(MetricQuery("csat_mean", by=("rep",))).rows
    truth = 2 + 3 * TRUE_P  # answers are 5 or 2
    covered_mean = ((means["ci_low"] <= truth) & (truth <= means["ci_high"])).mean()
    print(f"mean: coverage with deff {covered_mean:.3f}")
    assert 0.93 <= covered_mean <= 0.97


def test_repeats_are_noted_and_widen_the_interval(store: Store, engine: Engine) -> None:
    # 10 customers x 8 identical answers each vs the same 80 answers from 80 customers
    scores = [5, 5, 5, 2, 5, 2, 5, 5, 2, 5]
    frame = pd.DataFrame({"response_id": [f"r{i}" for i in range(80)],
                          "customer_id": [f"c{i % 10}" for i in range(80)],
                          "csat": [scores[i % 10] for i in range(80)],
                          "submitted_at": pd.Timestamp("2026-03-02")})
    insert(store, "responses", frame)
    result = engine.run(MetricQuery("csat"))
    row = result.rows.iloc[0]
    # each customer repeats one answer 8 times, so e_c = 8 (s_c - m) and (METHODS.md §0.1)
    # deff = C/(C-1) * 8^2 / n^2 * n(n-1) / 8 = 10/9 * 8 * 79/80, worked by hand
    assert row["deff"] == pytest.approx(10 / 9 * 8 * 79 / 80, rel=1e-9)
    naive = wilson(int(row["x"]), 80)
    assert row["ci_high"] - row["ci_low"] > 2 * (naive.ci_high - naive.ci_low)
    assert row["reliability"] == "low_n"  # n = 80 answers but n_eff = 9 < 30 (§7.3)
    assert any("answers repeat per customer" in note for note in result.notes)
