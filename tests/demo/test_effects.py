"""Each planted effect of data/README.md, measured at scale 1 (seed 7, end 2026-11-22) with plain
SQL + scipy; tolerances are around the documented sizes."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest

from tests.demo import measures as m

END = "2026-11-22"


def test_nps_by_channel_chat_high_phone_low_email_null(con1: duckdb.DuckDBPyConnection) -> None:
    # data/README.md effect 1; adjusted-Wald CI and vs-rest z-test of METHODS.md §1.3 / §1.5
    nps = m.nps_by_channel(con1)
    assert nps.loc["chat", "nps"] == pytest.approx(40, abs=3)  # planted +40
    assert nps.loc["phone", "nps"] == pytest.approx(5, abs=3)  # planted +5
    assert nps.loc["email", "nps"] == pytest.approx(24.8, abs=3)  # planted = pooled rest
    assert nps.loc["chat", "lo"] > nps.loc["phone", "hi"] + 25  # intervals far apart
    assert nps.loc["phone", "diff_rest"] < -20 and nps.loc["phone", "p_rest"] < 1e-6
    assert abs(nps.loc["email", "diff_rest"]) < 2 and nps.loc["email", "p_rest"] > 0.05
    for middle in ("social", "self-service"):
        assert nps.loc["phone", "nps"] < nps.loc[middle, "nps"] < nps.loc["chat", "nps"]


def test_ticket_csat_falls_with_resolution_time_steeper_on_phone(
    con1: duckdb.DuckDBPyConnection,
) -> None:
    # data/README.md effect 2; scipy.stats.spearmanr per channel
    r = m.ticket_csat_vs_ttr(con1)
    assert r["phone"] == pytest.approx(-0.50, abs=0.05)
    assert r["chat"] == pytest.approx(-0.08, abs=0.05)
    assert r["phone"] < r["chat"] - 0.3
    for channel in ("email", "social", "self-service"):
        assert -0.35 < r[channel] < -0.2


def test_channel_mix_confounds_pooled_correlation(con1: duckdb.DuckDBPyConnection) -> None:
    # data/README.md effect 3; METHODS.md §5.4 partial correlation by the residual method
    r = m.ticket_csat_vs_ttr(con1)
    assert r["pooled"] == pytest.approx(-0.43, abs=0.04)
    assert r["partial"] == pytest.approx(-0.30, abs=0.04)
    assert r["partial"] - r["pooled"] >= 0.1


def test_two_drivers_dominate_response_csat(con1: duckdb.DuckDBPyConnection) -> None:
    # data/README.md effect 4; exact Shapley/LMG of METHODS.md §6.1 on the correlation matrix
    shares, r2, corr = m.shapley_shares(con1)
    ranked = sorted(shares, key=shares.get, reverse=True)
    assert ranked[:2] == ["rating_resolution", "rating_agent_knowledge"]
    assert shares["rating_resolution"] == pytest.approx(0.43, abs=0.05)
    assert shares["rating_agent_knowledge"] == pytest.approx(0.33, abs=0.05)
    assert all(shares[name] < 0.09 for name in ranked[2:])
    assert r2 == pytest.approx(0.64, abs=0.04)
    off_diagonal = corr[~np.eye(len(corr), dtype=bool)]
    assert off_diagonal.min() > 0.2 and off_diagonal.max() < 0.45  # positively intercorrelated


def test_detractors_churn_about_twice_as_often_as_promoters(
    con1: duckdb.DuckDBPyConnection,
) -> None:
    # data/README.md effect 5: churn rate by the customer's latest NPS answer
    churn = m.churn_by_latest_nps(con1)
    det, pro = churn.loc["detractor", "rate"], churn.loc["promoter", "rate"]
    assert det == pytest.approx(0.17, abs=0.02)
    assert pro == pytest.approx(0.09, abs=0.015)
    assert det / pro == pytest.approx(2.0, abs=0.3)
    assert pro < churn.loc["passive", "rate"] < det


@pytest.mark.parametrize(("table", "time_col"), [("responses", "submitted_at"),
                                                  ("tickets", "opened_at")])
def test_one_bad_week_is_flagged_and_others_are_flat(
    con1: duckdb.DuckDBPyConnection, table: str, time_col: str
) -> None:
    # data/README.md effect 6: p-chart (METHODS.md §8.2) and WoW score test (§8.1)
    weeks = m.weekly_t2b(con1, table, time_col, END)
    assert len(weeks) == 104
    flagged = m.pchart_flags(weeks, excluded_back=5)
    assert flagged.back.tolist() == [5]  # the 6th-last week, and only it
    others = weeks[weeks.back != 5]
    bad = weeks[weeks.back == 5].iloc[0]
    drop_vs_baseline = bad.x / bad.n - others.x.sum() / others.n.sum()
    assert -0.22 < drop_vs_baseline < -0.14  # planted about -0.15 to -0.16 in expectation
    drop, p = m.wow_change(weeks, back=5)
    assert drop < -0.10 and p < 0.001
    rebound, p_rebound = m.wow_change(weeks, back=4)
    assert rebound > 0.10 and p_rebound < 0.001
    _, p_flat = m.wow_change(weeks, back=10)  # the documented ordinary week
    assert p_flat > 0.05
