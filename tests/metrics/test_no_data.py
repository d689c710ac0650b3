"""No made-up numbers (issue 14 item 4): absent inputs say "no data" with a reason, zero-width
intervals are tiered "degenerate", mean intervals stay inside the scale."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from cx.metrics import Engine, MetricQuery
from cx.storage import Store
from tests.metrics.conftest import insert

DAY = dt.datetime(2026, 3, 2, 12)


def _row(engine: Engine, metric: str) -> dict:
    return engine.run(MetricQuery(metric)).rows.iloc[0].to_dict()


def test_absent_inputs_report_no_data_with_a_reason(store: Store, engine: Engine) -> None:
    insert(store, "responses", pd.DataFrame({"response_id": [f"r{i}" for i in range(40)],
                                             "submitted_at": DAY, "nps": [9] * 40}))
    csat = _row(engine, "csat_mean")  # no csat answer at all
    assert csat["reliability"] == "no_data" and np.isnan(csat["value"])
    assert csat["no_data_reason"] == "no valid csat values in scope"


def test_resolved_within_24h_on_fresh_tickets_is_no_data_not_zero(store: Store,
                                                                  engine: Engine) -> None:
    # 40 tickets opened an hour before the latest timestamp, none resolved: nobody was followed
    # for 24 h, so S(24) is unknown (Kaplan-Meier is undefined past the last censored time)
    opened = [DAY - dt.timedelta(minutes=m) for m in range(40)]
    insert(store, "tickets", pd.DataFrame({"ticket_id": [f"t{i}" for i in range(40)],
                                           "opened_at": opened, "status": "Open"}))
    row = _row(engine, "resolved_within_24h")
    assert row["reliability"] == "no_data" and np.isnan(row["value"])  # was 0.0 in [0, 0], "ok"
    assert "24 h" in row["no_data_reason"]


def test_all_answers_equal_is_degenerate_not_ok(store: Store, engine: Engine) -> None:
    insert(store, "responses", pd.DataFrame({"response_id": [f"r{i}" for i in range(40)],
                                             "submitted_at": DAY, "csat": [4] * 40}))
    row = _row(engine, "csat_mean")
    assert row["value"] == 4.0 and row["ci_low"] == row["ci_high"] == 4.0
    assert row["reliability"] == "degenerate"


def test_mean_interval_is_clipped_to_the_scale(store: Store, engine: Engine) -> None:
    answers = [5] * 5 + [3]
    insert(store, "responses", pd.DataFrame({"response_id": [f"r{i}" for i in range(6)],
                                             "submitted_at": DAY, "csat": answers}))
    row = _row(engine, "csat_mean")
    # scipy.stats.t.interval(0.95, 5, loc=mean, scale=sem) reaches above 5
    ref = sps.t.interval(0.95, len(answers) - 1, loc=np.mean(answers), scale=sps.sem(answers))
    assert ref[1] > 5.0
    assert row["ci_low"] == pytest.approx(ref[0], rel=1e-9) and row["ci_high"] == 5.0


def test_derived_clv_at_its_horizon_cap_is_flagged(store: Store, engine: Engine) -> None:
    # 1 churned over 10 customers x 20 months = 0.005 per month: lifetime 200 > cap 60 months,
    # so CLV = ARPU 100 x margin 1 x 60 (METHODS.md §4.2), and it says it is the cap's number
    frame = pd.DataFrame({"customer_id": [f"c{i}" for i in range(10)], "churned": [True] + [False] * 9,
                          "monthly_revenue": 100.0, "tenure_months": 20.0})
    insert(store, "customers", frame)
    result = engine.run(MetricQuery("clv"))
    row = result.rows.iloc[0]
    assert row["value"] == pytest.approx(6000.0) and bool(row["horizon_capped"])
    assert any("lifetime cap" in note for note in result.notes)


def test_ttr_help_states_the_minute_rounding() -> None:
    from cx.metrics import get_metric

    for name in ("ttr_median", "ttr_p90", "resolved_within_24h"):
        assert "rounded to the minute" in get_metric(name).help
