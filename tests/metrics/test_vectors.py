"""Every METHODS.md vector of §1-4 and §7 through the engine: fixture rows -> SQL -> estimate."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cx.domain import DateRange, Filters
from cx.metrics import Engine, MetricQuery
from cx.stats.multiplicity import adjust_pvalues
from cx.stats.nps import nps_diff_test, nps_heterogeneity
from cx.storage import Store
from tests.metrics.conftest import expand, insert

DAY = dt.datetime(2024, 3, 4, 9)
NPS_RAW_A = [0] * 5 + [5] * 10 + [6] * 5 + [7] * 15 + [8] * 15 + [9] * 20 + [10] * 30


def _nps_rows(segments: dict[str, tuple[int, int, int]]) -> pd.DataFrame:
    rows = []
    for seg, (d, a, r) in segments.items():
        for score in [3] * d + [7] * a + [10] * r:
            rows.append({"response_id": f"{seg}{len(rows)}", "submitted_at": DAY, "segment": seg,
                         "nps": score})
    return pd.DataFrame(rows)


def _one(engine: Engine, query: MetricQuery) -> dict:
    rows = engine.run(query).rows
    assert len(rows) == 1
    return rows.iloc[0].to_dict()


def test_nps1_adjusted_wald_and_score(store: Store, engine: Engine) -> None:
    # METHODS.md NPS-1: raw vector -> (20, 30, 50); adj-Wald [0.1405, 0.4420];
    # score [0.1396, 0.4434]; Wald [0.1469, 0.4531]
    insert(store, "responses", pd.DataFrame({"response_id": [f"r{i}" for i in range(100)],
                                             "submitted_at": DAY, "nps": NPS_RAW_A}))
    row = _one(engine, MetricQuery("nps"))
    assert (row["det"], row["pas"], row["pro"]) == (20, 30, 50)
    assert row["value"] == pytest.approx(30.0)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((14.05, 44.20), abs=0.005)
    score = _one(engine, MetricQuery("nps", nps_method="score"))
    assert (score["ci_low"], score["ci_high"]) == pytest.approx((13.96, 44.34), abs=0.005)
    wald = _one(engine, MetricQuery("nps", nps_method="wald"))
    assert (wald["ci_low"], wald["ci_high"]) == pytest.approx((14.69, 45.31), abs=0.005)


def test_nps2_nps3_edge_cases_by_segment(store: Store, engine: Engine) -> None:
    # METHODS.md NPS-2 (0,2,8): adj [0.2928, 0.9379] score [0.3004, 0.9433];
    # NPS-3 (0,0,10): adj [0.4750, 1.0000] score [0.4449, 1.0000]
    insert(store, "responses", _nps_rows({"n2": (0, 2, 8), "n3": (0, 0, 10)}))
    rows = engine.run(MetricQuery("nps", by=("segment",))).rows.set_index("segment")
    assert rows.loc["n2", ["value", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [80.0, 29.28, 93.79], abs=0.005)
    assert rows.loc["n3", ["value", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [100.0, 47.50, 100.0], abs=0.005)
    assert set(rows["reliability"]) == {"low_n"}  # n = 10 < 30 (METHODS.md §7.3)
    score = engine.run(MetricQuery("nps", by=("segment",), nps_method="score")).rows
    assert score[["ci_low", "ci_high"]].to_numpy().ravel().tolist() == pytest.approx(
        [30.04, 94.33, 44.49, 100.0], abs=0.005)


def test_nps4_nps5_mt_from_engine_counts(store: Store, engine: Engine) -> None:
    # METHODS.md NPS-4: A vs B adj diff 0.1942 SE 0.1121 z 1.7323 p 0.0832 CI [-0.0255, 0.4139]
    # NPS-5: adj Q 7.7629 p 0.0206; pairwise Holm A-B 0.1664, A-C 0.3375, B-C 0.0163 (MT, §7.2)
    insert(store, "responses", _nps_rows({"A": (20, 30, 50), "B": (30, 30, 40), "C": (10, 40, 50)}))
    stats = engine.sufficient(MetricQuery("nps", by=("segment",))).set_index("segment")
    counts = {s: tuple(int(v) for v in stats.loc[s, ["det", "pas", "pro"]]) for s in "ABC"}
    ab = nps_diff_test(counts["A"], counts["B"])
    assert (ab.statistic, ab.p, ab.se) == pytest.approx((1.7323, 0.0832, 0.1121), abs=1e-4)
    assert (ab.ci_low, ab.ci_high) == pytest.approx((-0.0255, 0.4139), abs=1e-4)
    q = nps_heterogeneity(list(counts.values()))
    assert (q.statistic, q.p, q.df) == pytest.approx((7.7629, 0.0206, 2), abs=1e-4)
    pairs = [nps_diff_test(counts[a], counts[b]).p for a, b in ("AB", "AC", "BC")]
    assert adjust_pvalues(pairs, "holm").tolist() == pytest.approx([0.1664, 0.3375, 0.0163],
                                                                   abs=1e-4)


def _scores(table: str, column: str, values: list[int], **extra: object) -> pd.DataFrame:
    responses = table == "responses"
    key, time = ("response_id", "submitted_at") if responses else ("ticket_id", "opened_at")
    tag = extra.get("channel", "")
    return pd.DataFrame({key: [f"{column}{i}-{tag}" for i in range(len(values))],
                         time: DAY, column: values, **extra})


CSAT_2 = expand({1: 5, 2: 5, 3: 10, 4: 40, 5: 40})


@pytest.mark.parametrize(("table", "share", "mean"), [
    ("responses", "csat", "csat_mean"), ("tickets", "ticket_csat", "ticket_csat_mean")])
def test_csat1_csat2_share_and_mean(store: Store, engine: Engine, table: str, share: str,
                                    mean: str) -> None:
    # METHODS.md CSAT-1: 80/100 Wilson [0.7112, 0.8666]; CSAT-2: mean 4.05 t-CI [3.8364, 4.2636]
    insert(store, table, _scores(table, "csat", CSAT_2))
    row = _one(engine, MetricQuery(share))
    assert (row["value"], row["ci_low"], row["ci_high"]) == pytest.approx((0.8, 0.7112, 0.8666),
                                                                          abs=1e-4)
    row = _one(engine, MetricQuery(mean))
    assert (row["value"], row["ci_low"], row["ci_high"]) == pytest.approx((4.05, 3.8364, 4.2636),
                                                                          abs=1e-4)
    assert row["mixed_scales"] is False or row["mixed_scales"] == False  # noqa: E712


def test_csat3_all_and_none_satisfied(store: Store, engine: Engine) -> None:
    # METHODS.md CSAT-3: 10/10 -> [0.7225, 1.0000]; 0/10 -> [0.0000, 0.2775]
    insert(store, "responses", _scores("responses", "csat", [5] * 10, channel="all"))
    insert(store, "responses", _scores("responses", "csat", [1] * 10, channel="none"))
    rows = engine.run(MetricQuery("csat", by=("channel",))).rows.set_index("channel")
    assert rows.loc["all", ["value", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [1.0, 0.7225, 1.0], abs=1e-4)
    assert rows.loc["none", ["value", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [0.0, 0.0, 0.2775], abs=1e-4)


def test_csat_other_scales_use_their_own_top_two_and_flag_mixing(store: Store,
                                                                  engine: Engine) -> None:
    # METHODS.md §2.6: 1-7 counts -> mean 5.5300, T2B(6-7) 0.6000; 1-10 -> mean 8.12, T2B 0.5
    seven = _scores("responses", "csat", expand({1: 2, 2: 3, 3: 5, 4: 10, 5: 20, 6: 30, 7: 30}),
                    channel="seven", csat_scale_min=1, csat_scale_max=7)
    ten = _scores("responses", "csat", expand({1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 5, 7: 10, 8: 25,
                                               9: 25, 10: 25}),
                  channel="ten", csat_scale_min=1, csat_scale_max=10)
    insert(store, "responses", pd.concat([seven, ten]))
    share = engine.run(MetricQuery("csat", by=("channel",))).rows.set_index("channel")
    mean = engine.run(MetricQuery("csat_mean", by=("channel",))).rows.set_index("channel")
    assert share["value"].tolist() == pytest.approx([0.6, 0.5])
    assert mean["value"].tolist() == pytest.approx([5.53, 8.12])
    assert not share["mixed_scales"].any()
    pooled = engine.run(MetricQuery("csat_mean"))
    assert bool(pooled.rows["mixed_scales"].iloc[0]) and pooled.notes


def test_ces1_mean_and_share_easy(store: Store, engine: Engine) -> None:
    # METHODS.md CES-1: mean 4.0800 t-CI [3.9613, 4.1987]; % easy 0.4600 Wilson [0.4293, 0.4910]
    values = expand({1: 80, 2: 210, 3: 140, 4: 110, 5: 160, 6: 180, 7: 120})
    insert(store, "responses", _scores("responses", "ces", values))
    row = _one(engine, MetricQuery("ces"))
    assert (row["value"], row["ci_low"], row["ci_high"]) == pytest.approx((4.08, 3.9613, 4.1987),
                                                                          abs=1e-4)
    row = _one(engine, MetricQuery("ces_easy"))
    assert (row["value"], row["ci_low"], row["ci_high"]) == pytest.approx((0.46, 0.4293, 0.4910),
                                                                          abs=1e-4)


FRT_1 = [0.5, 1, 1, 2, 3, 4, 6, 10, 24, 48]


def test_frt1_median_p90_with_order_statistic_intervals(store: Store, engine: Engine) -> None:
    # METHODS.md FRT-1: median 3.5 CI [1, 24]; p90 26.4 (quantile_cont), p90 CI [6, undefined]
    frame = pd.DataFrame({"ticket_id": [f"t{i}" for i in range(12)], "opened_at": DAY,
                          "first_response_hours": FRT_1 + [None, None]})
    insert(store, "tickets", frame)
    row = _one(engine, MetricQuery("frt_median"))
    assert (row["value"], row["ci_low"], row["ci_high"], row["n"]) == pytest.approx(
        (3.5, 1.0, 24.0, 10))
    assert row["waiting_share"] == pytest.approx(2 / 12)  # two tickets still waiting
    row = _one(engine, MetricQuery("frt_p90"))
    assert (row["value"], row["ci_low"]) == pytest.approx((26.4, 6.0))
    assert pd.isna(row["ci_high"]) and row["reliability"] == "low_n"  # n < 36


def _ttr_tickets(as_of: dt.datetime) -> pd.DataFrame:
    resolved = [2, 3, 5, 8, 12, 24, 48]
    rows = [{"ticket_id": f"r{h}", "opened_at": as_of - dt.timedelta(hours=100),
             "resolved_at": as_of - dt.timedelta(hours=100 - h), "resolution_hours": float(h),
             "status": "Closed"} for h in resolved]
    rows += [{"ticket_id": f"o{h}", "opened_at": as_of - dt.timedelta(hours=h), "status": "Open"}
             for h in (6, 30, 72)]
    rows.append({"ticket_id": "spam", "opened_at": as_of - dt.timedelta(hours=1), "status": "Spam"})
    return pd.DataFrame(rows)


def test_ttr1_kaplan_meier_with_open_tickets_censored(store: Store, engine: Engine) -> None:
    # METHODS.md TTR-1: KM median 12.0, p90 not reached (> 72), S(24) 0.35 -> within 24h 0.65
    as_of = dt.datetime(2024, 3, 10, 12)
    insert(store, "tickets", _ttr_tickets(as_of))
    row = _one(engine, MetricQuery("ttr_median"))  # default as_of = latest ticket timestamp
    assert (row["value"], row["n"], row["censored"], row["excluded"]) == (12.0, 10, 3, 1)
    p90 = _one(engine, MetricQuery("ttr_p90", as_of=as_of))
    assert pd.isna(p90["value"]) and p90["max_time"] == 72.0 and not p90["reached"]
    within = _one(engine, MetricQuery("resolved_within_24h"))
    assert within["value"] == pytest.approx(0.65)


def _customers(n: int, churned: int, **cols: object) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)],
                         "churned": [i < churned for i in range(n)], **cols})


def test_churn1_flag_based(store: Store, engine: Engine) -> None:
    # METHODS.md CHURN-1: C 50 / S 1000 = 0.0500, Wilson [0.0381, 0.0653]; retention 0.9500
    insert(store, "customers", _customers(1000, 50))
    row = _one(engine, MetricQuery("churn_rate"))
    assert (row["value"], row["ci_low"], row["ci_high"]) == pytest.approx((0.05, 0.0381, 0.0653),
                                                                          abs=1e-4)
    assert _one(engine, MetricQuery("retention_rate"))["value"] == pytest.approx(0.95)


def test_churn1_period_based_ignores_customers_acquired_in_period(store: Store,
                                                                   engine: Engine) -> None:
    # METHODS.md CHURN-1: S 1000, N 150, C 50 -> 0.0500 (not C/N = 0.3333)
    before, inside = dt.datetime(2023, 6, 1), dt.datetime(2024, 1, 15)
    start = _customers(1000, 50, signup_at=before)
    start["churned_at"] = [inside if c else None for c in start["churned"]]
    new = pd.DataFrame({"customer_id": [f"n{i}" for i in range(150)], "signup_at": inside,
                        "churned": [i < 5 for i in range(150)],
                        "churned_at": [inside + dt.timedelta(days=3) if i < 5 else None
                                       for i in range(150)]})
    gone_before = pd.DataFrame({"customer_id": ["g1"], "signup_at": [before], "churned": [True],
                                "churned_at": [dt.datetime(2023, 12, 1)]})
    insert(store, "customers", pd.concat([start, new, gone_before]))
    period = Filters.of(DateRange(dt.date(2024, 1, 1), dt.date(2024, 1, 31)))
    row = _one(engine, MetricQuery("churn_rate", filters=period))
    assert (row["value"], row["n"], row["churned"]) == (0.05, 1000, 50)
    monthly = engine.run(MetricQuery("churn_rate", filters=Filters.of(
        DateRange(dt.date(2024, 1, 1), dt.date(2024, 2, 29))), grain="month")).rows
    assert monthly["n"].tolist() == [1000, 950 + 145] and monthly["churned"].tolist() == [50, 0]


def test_clv1_derived_from_revenue_margin_and_monthly_churn(store: Store, engine: Engine) -> None:
    # METHODS.md CLV-1: ARPU 100, GM 0.8, churn 0.05/month -> 1600.0000
    # 1 churned over 10 customers x 2 months at risk = 0.05 per customer-month
    insert(store, "customers", _customers(10, 1, monthly_revenue=100.0, tenure_months=2.0))
    row = _one(engine, MetricQuery("clv", clv_margin=0.8))
    assert row["value"] == pytest.approx(1600.0)
    assert row["clv_source"] == "derived" and row["monthly_churn"] == pytest.approx(0.05)


def test_clv_prefers_supplied_values(store: Store, engine: Engine) -> None:
    insert(store, "customers", _customers(6, 1, clv=[100.0, 200.0, 300.0, 400.0, 500.0, 600.0],
                                          monthly_revenue=1.0, tenure_months=1.0))
    row = _one(engine, MetricQuery("clv"))
    # scipy.stats.t.interval(0.95, 5, loc=350, scale=scipy.stats.sem([100, ..., 600]))
    assert (row["value"], row["ci_low"], row["ci_high"]) == pytest.approx(
        (350.0, 153.6686, 546.3314), abs=1e-4)
    assert row["clv_source"] == "supplied"
