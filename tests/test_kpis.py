"""KPI tiles: value and change against the previous period, tested with the metric's own test."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from pathlib import Path

import pytest

from cx.config import load_settings
from cx.domain import DateRange, Filters
from cx.views.kpis import flag_tiles, previous_period, tile, tiles
from cx.metrics import Engine
from cx.stats.nps import nps_diff_test
from cx.storage import Store


def _week(cur, start: dt.date, satisfied: int, n: int, prefix: str) -> None:
    """n responses on `start`'s Monday, the first `satisfied` with csat 5, the rest csat 2."""
    cur.execute(
        "INSERT INTO responses (response_id, batch_id, submitted_at, csat, csat_scale_min, "
        "csat_scale_max, nps) SELECT ? || i, 'b', ?::TIMESTAMP + INTERVAL 3 HOUR, "
        "CASE WHEN i < ? THEN 5 ELSE 2 END, 1, 5, CASE WHEN i < ? THEN 10 ELSE 3 END "
        "FROM range(?) t(i)",
        [prefix, start, satisfied, satisfied, n],
    )


def _tickets(cur, start: dt.date, hours: list[float], prefix: str) -> None:
    """One ticket per value, opened on `start`, first answered after that many hours."""
    cur.executemany(
        "INSERT INTO tickets (ticket_id, batch_id, opened_at, first_response_at, "
        "first_response_hours) VALUES (?, 'b', ?::TIMESTAMP, ?::TIMESTAMP + to_seconds(?), ?)",
        [[f"{prefix}{i}", start, start, h * 3600, h] for i, h in enumerate(hours)],
    )


@pytest.fixture()
def engine(tmp_path: Path) -> Engine:
    store = Store(tmp_path / "k.duckdb")
    with store.transaction() as cur:
        _week(cur, dt.date(2026, 2, 2), 168, 206, "a")  # week 6
        _week(cur, dt.date(2026, 2, 9), 140, 200, "b")  # week 7
        _tickets(cur, dt.date(2026, 2, 2), [1, 2, 3, 4, 5], "ta")  # week 6: median 3 h
        _tickets(cur, dt.date(2026, 2, 9), [2, 4, 6, 8, 10], "tb")  # week 7: median 6 h
    return Engine(store, load_settings().with_db(store.path))


def test_previous_period_is_the_same_length_just_before() -> None:
    assert previous_period(DateRange(dt.date(2026, 2, 9), dt.date(2026, 2, 15))) == DateRange(
        dt.date(2026, 2, 2), dt.date(2026, 2, 8))
    assert previous_period(DateRange(None, dt.date(2026, 2, 15))) is None


def test_csat_tile_uses_the_score_test_of_the_week_over_week_vector(engine: Engine) -> None:
    week7 = Filters.of(DateRange(dt.date(2026, 2, 9), dt.date(2026, 2, 15)))
    t = tile(engine, "csat", week7)
    # METHODS.md WOW-1: 140/200 vs 168/206 -> diff -0.1155, score test p 0.0066
    assert t.value == pytest.approx(0.7, abs=1e-9)
    assert t.previous == pytest.approx(168 / 206, abs=1e-9)
    assert t.change == pytest.approx(-0.1155, abs=5e-5)
    assert t.p == pytest.approx(0.0066, abs=5e-5)
    assert t.tested and t.significant and t.n == 200


def test_median_tiles_are_shown_untested(engine: Engine) -> None:
    t = tile(engine, "frt_median", Filters.of(DateRange(dt.date(2026, 2, 9), dt.date(2026, 2, 15))))
    # both weeks have data; the medians (numpy's linear quantile of 1..5 and 2..10) change by 3 h
    assert (t.value, t.previous, t.change, t.n) == (6.0, 3.0, 3.0, 5)
    assert not t.tested and math.isnan(t.p) and not t.significant


def test_nps_tile_uses_the_adjusted_wald_test(engine: Engine) -> None:
    t = tile(engine, "nps", Filters.of(DateRange(dt.date(2026, 2, 9), dt.date(2026, 2, 15))))
    # week 7: 140 promoters, 60 detractors of 200 -> +40; week 6: 168 of 206 vs 38 -> +63.1
    assert t.value == pytest.approx(40.0, abs=1e-9)
    assert t.previous == pytest.approx(100 * (168 - 38) / 206, abs=1e-9)
    # cx.stats.nps.nps_diff_test (vector-tested against METHODS.md NPS-4) on the same counts
    assert t.tested and t.p == pytest.approx(nps_diff_test((60, 0, 140), (38, 0, 168)).p, abs=1e-12)
    assert t.p == pytest.approx(0.0065, abs=5e-5)


def test_overview_star_uses_benjamini_hochberg_over_the_tiles(engine: Engine) -> None:
    week7 = Filters.of(DateRange(dt.date(2026, 2, 9), dt.date(2026, 2, 15)))
    csat = tile(engine, "csat", week7)
    shown = [replace(csat, p=p) for p in (0.03, 0.04, 0.5)] + [tile(engine, "frt_median", week7)]
    flagged = flag_tiles(shown)
    # statsmodels multipletests([0.03, 0.04, 0.5], method="fdr_bh") -> 0.06, 0.06, 0.5
    assert [t.q for t in flagged[:3]] == pytest.approx([0.06, 0.06, 0.5])
    assert not any(t.significant for t in flagged)  # raw p 0.03 and 0.04 would have had a ✱
    assert math.isnan(flagged[3].q)  # medians are untested: not in the family
    both = tiles(engine, ["csat", "nps"], [week7, week7])
    assert all(t.significant for t in both) and both[0].q == pytest.approx(max(t.p for t in both))
