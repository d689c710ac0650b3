"""The Tickets page's Kaplan–Meier curves (cx.views.tickets.km_curves): only the step points go
to the chart, and they draw exactly the curve the estimator gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cx.config import load_settings
from cx.domain import Filters
from cx.metrics import Engine
from cx.stats.survival import kaplan_meier
from cx.storage import Store
from cx.views.tickets import km_curves

NOW = dt.datetime(2026, 3, 1, 12, 0)
RESOLVED = [2, 3, 5, 8, 12, 24, 48]  # METHODS.md TTR-1
OPEN = [6, 30, 72]


@pytest.fixture()
def engine(tmp_path: Path) -> Engine:
    """TTR-1 on chat; ticket ages are measured at NOW, the latest time in the table."""
    store = Store(tmp_path / "km.duckdb")
    rows = [(f"r{i}", NOW - dt.timedelta(hours=100), NOW - dt.timedelta(hours=100 - h), h, None)
            for i, h in enumerate(RESOLVED)]
    rows += [(f"o{i}", NOW - dt.timedelta(hours=h), None, None, NOW if i == 0 else None)
             for i, h in enumerate(OPEN)]
    with store.transaction() as cur:
        cur.executemany(
            "INSERT INTO tickets (ticket_id, batch_id, channel, opened_at, resolved_at, "
            "resolution_hours, first_response_at) VALUES (?, 'b', 'chat', ?, ?, ?, ?)",
            [[tid, opened, res_at, hours, first] for tid, opened, res_at, hours, first in rows])
    return Engine(store, load_settings().with_db(store.path))


def test_km_curves_send_only_step_points_and_keep_every_value(engine: Engine) -> None:
    curves = km_curves(engine, Filters(), "channel")
    chat = curves[curves["group"] == "chat"]
    # METHODS.md TTR-1: S(2)=0.9, S(3)=0.8, S(5)=0.7, S(8)=0.5833, S(12)=0.4667, S(24)=0.35,
    # S(48)=0.175; flat at the censoring times 6 and 30 (dropped); 72 ends the curve (kept).
    assert chat["t"].tolist() == [2.0, 3.0, 5.0, 8.0, 12.0, 24.0, 48.0, 72.0]
    assert chat["s"].round(4).tolist() == [0.9, 0.8, 0.7, 0.5833, 0.4667, 0.35, 0.175, 0.175]
    assert set(chat["n"]) == {10}
    times = sorted(RESOLVED + OPEN)
    full = kaplan_meier(times, [int(t in RESOLVED) for t in times],
                        [int(t in OPEN) for t in times]).curve
    assert len(full) == 11  # t = 0 and ten times: 11 points before, 8 drawn now (t > 0)
    for t, s in full:
        if t > 0:  # a log axis has no t = 0
            assert chat.loc[chat["t"] <= t, "s"].iloc[-1] == pytest.approx(s, abs=1e-12)
