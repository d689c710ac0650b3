"""Snapshot numbers on demo data, checked against plain DuckDB SQL + statsmodels."""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest
from statsmodels.stats import proportion as smp

from cx.config import Settings
from cx.metrics import Engine
from cx.snapshots import IsoWeek, build_payload
from cx.snapshots.headlines import headline_sentences, subject_line
from cx.snapshots.store import payload_json
from cx.storage import Store
from tests.snapshots.conftest import BAD_WEEK, FLAT_WEEK


@pytest.fixture(scope="module")
def payloads(demo_db: Path) -> dict[str, dict[str, Any]]:
    from cx.config import load_settings

    engine = Engine(Store(demo_db), load_settings().with_db(demo_db))
    return {str(w): build_payload(engine, w) for w in (BAD_WEEK, FLAT_WEEK)}


def _metric(payload: dict[str, Any], name: str) -> dict[str, Any]:
    return next(m for m in payload["metrics"] if m["name"] == name)


def _t2b(db: Path, week: IsoWeek) -> tuple[int, int]:
    """Top-2-box of responses.csat (1-5) in the week, straight from the table."""
    with duckdb.connect(str(db), read_only=True) as con:
        x, n = con.execute(
            "SELECT count(*) FILTER (csat >= 4), count(csat) FROM responses "
            "WHERE submitted_at >= ? AND submitted_at < ?",
            [week.monday, week.sunday + dt.timedelta(days=1)]).fetchone()  # CX_TZ=UTC
    return int(x), int(n)


def _deff(db: Path, week: IsoWeek) -> float:
    """Kish design effect of the week's top-2-box answers by customer (METHODS.md §0.1), from
    the raw rows with numpy (an answer without a customer id is its own cluster)."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT coalesce(customer_id, 'answer:' || response_id), (csat >= 4)::INT "
            "FROM responses WHERE csat IS NOT NULL AND submitted_at >= ? AND submitted_at < ?",
            [week.monday, week.sunday + dt.timedelta(days=1)]).fetchall()
    ids, s = np.array([r[0] for r in rows]), np.array([r[1] for r in rows], float)
    n, m = s.size, s.mean()
    _, cluster = np.unique(ids, return_inverse=True)
    e = np.bincount(cluster, weights=s - m)
    v_cl = e.size / (e.size - 1) * np.sum(e**2) / n**2
    v_srs = np.sum((s - m) ** 2) / (n * (n - 1))
    return max(1.0, v_cl / v_srs)


def test_bad_week_reports_a_significant_csat_drop(payloads: dict, demo_db: Path) -> None:
    csat = _metric(payloads[str(BAD_WEEK)], "csat")
    x1, n1 = _t2b(demo_db, BAD_WEEK)
    x0, n0 = _t2b(demo_db, BAD_WEEK.previous())
    assert (csat["n"], csat["previous"]["n"]) == (n1, n0) == (162, 139)
    # answers repeat per customer in the demo: both weeks' counts scale by 1/deff (§0.1)
    d1, d0 = _deff(demo_db, BAD_WEEK), _deff(demo_db, BAD_WEEK.previous())
    assert d1 > 1.0 or d0 > 1.0
    # statsmodels test_proportions_2indep(method="score") / Newcombe CI; METHODS.md §8.1
    e1, m1, e0, m0 = x1 / d1, n1 / d1, x0 / d0, n0 / d0
    p = smp.test_proportions_2indep(e1, m1, e0, m0, method="score").pvalue
    low, high = smp.confint_proportions_2indep(e1, m1, e0, m0, method="newcomb")
    ch = csat["change"]
    assert ch["diff"] == pytest.approx(x1 / n1 - x0 / n0, abs=1e-12)
    assert ch["diff"] == pytest.approx(-0.2337, abs=1e-4)  # the planted ~15-point drop, and noise
    assert (ch["ci_low"], ch["ci_high"], ch["p"]) == pytest.approx((low, high, p), abs=1e-10)
    assert ch["significant"] and ch["q"] < 0.001


def test_bad_week_is_out_of_control(payloads: dict, demo_db: Path) -> None:
    control = _metric(payloads[str(BAD_WEEK)], "csat")["control"]
    base = [_t2b(demo_db, BAD_WEEK.shift(-k)) for k in range(1, 13)]
    pbar = sum(x for x, _ in base) / sum(n for _, n in base)
    x, n = _t2b(demo_db, BAD_WEEK)
    lcl = pbar - 3 * math.sqrt(pbar * (1 - pbar) / n)  # METHODS.md §8.2
    assert control["centre"] == pytest.approx(pbar, abs=1e-12)
    assert control["lcl"] == pytest.approx(lcl, abs=1e-12)
    assert x / n < lcl and control["out_of_control"] and control["status"] == "below the lower limit"
    # the other eleven weeks of the chart are inside their limits
    assert [p["out_of_control"] for p in control["points"]] == [False] * 11 + [True]


def test_flat_week_reports_no_significant_change(payloads: dict) -> None:
    flat = payloads[str(FLAT_WEEK)]
    assert [m["name"] for m in flat["metrics"] if m["change"]["significant"]] == []
    assert _metric(flat, "csat")["control"]["out_of_control"] is False
    assert subject_line(flat) == "CX weekly 2026-W37 — no significant change"
    assert flat["headlines"][0].startswith("No headline metric changed significantly")


def test_subject_flags_the_drop(payloads: dict) -> None:
    assert subject_line(payloads[str(BAD_WEEK)]) == (
        "CX weekly 2026-W42 — CSAT (top-2-box) dropped 23.4 pp, significant, out of control")


def test_headline_sentences_state_numbers_of_the_snapshot(payloads: dict) -> None:
    for payload in payloads.values():
        sentences = payload["headlines"]
        assert 3 <= len(sentences) <= 5
        assert sentences == headline_sentences(payload)
        for s in sentences:
            assert re.search(r"\d", s), s
    bad = payloads[str(BAD_WEEK)]["headlines"]
    assert bad[0].startswith("CSAT (top-2-box) dropped 23.4 pp to 63.0% from 86.3%")
    assert "below the lower limit of 71.1%" in bad[1]


def test_history_has_twelve_weeks_ending_with_the_week(payloads: dict) -> None:
    nps = _metric(payloads[str(BAD_WEEK)], "nps")
    weeks = [h["week"] for h in nps["history"]]
    assert weeks == [str(BAD_WEEK.shift(-k)) for k in range(11, -1, -1)]
    assert nps["history"][-1]["value"] == nps["value"]
    assert nps["history"][-2]["n"] == nps["previous"]["n"]


def test_build_is_deterministic(payloads: dict, demo_db: Path, settings: Settings) -> None:
    again = build_payload(Engine(Store(demo_db), settings.with_db(demo_db)), BAD_WEEK)
    assert payload_json(again) == payload_json(payloads[str(BAD_WEEK)])


def test_top_drivers_are_the_two_planted_ones(payloads: dict, demo_db: Path) -> None:
    drivers = payloads[str(BAD_WEEK)]["drivers"]
    first = BAD_WEEK.shift(-11)
    assert (drivers["weeks"], drivers["first_week"], drivers["outcome"]) == (12, "2026-W31", "csat")
    ratings = ("rating_resolution", "rating_agent_knowledge", "rating_wait_time",
               "rating_ease_of_contact", "rating_friendliness", "rating_website")
    with duckdb.connect(str(demo_db), read_only=True) as con:
        complete = con.execute(
            "SELECT count(*) FROM responses WHERE csat IS NOT NULL AND "
            + " AND ".join(f"{r} IS NOT NULL" for r in ratings)
            + " AND submitted_at >= ? AND submitted_at < ?",
            [first.monday, BAD_WEEK.sunday + dt.timedelta(days=1)]).fetchone()[0]
    assert drivers["n"] == complete == 1013
    # data/README.md effect 4: resolution and agent knowledge dominate (about 40% each)
    top = [d["name"] for d in drivers["rows"]]
    assert set(top[:2]) == {"rating_resolution", "rating_agent_knowledge"} and len(top) == 3
    shares = [d["share"] for d in drivers["rows"]]
    assert shares == sorted(shares, reverse=True) and 0.3 < shares[1] <= shares[0] < 0.5


def test_a_week_without_a_previous_week_says_so(payloads: dict) -> None:
    first = copy.deepcopy(payloads[str(FLAT_WEEK)])
    for m in first["metrics"]:
        m["change"].update(diff=None, ci_low=None, ci_high=None, p=None, q=None,
                           significant=False)
    sentences = headline_sentences(first)
    assert sentences[0] == ("No change could be tested: the week before 2026-W37 has no "
                            "comparable answers.")
    assert subject_line(first) == "CX weekly 2026-W37 — no significant change"
