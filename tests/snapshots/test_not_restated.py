"""A snapshot built now never says "restated" (issue 14 item 9): comparing it at once with the
same data gives no restatement, in UTC and in a non-UTC CX_TZ, with data already in the current
week and a small (hidden) week inside the snapshot's 13-week span. The cause found: the snapshot
hides a week by secondary suppression over its weekly table (the complement rule, METHODS.md
§7.3) while the check recomputed the week alone, where nothing hides it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from cx.config import load_settings
from cx.snapshots import get_or_build, restated
from cx.snapshots.week import IsoWeek
from cx.storage import Store
from tests.metrics.conftest import insert

WEEK = IsoWeek(2026, 10)  # Monday 2 March 2026
NOW = dt.datetime(2026, 3, 11, 9, 0)  # Wednesday of the next week: that week has data already


def _answers(monday: dt.date, n: int, tag: str) -> pd.DataFrame:
    when = pd.Timestamp(monday) + pd.Timedelta(hours=14)  # mid-afternoon: same day in both zones
    return pd.DataFrame({"response_id": [f"{tag}-{i}" for i in range(n)],
                         "csat": [5 if i % 4 else 2 for i in range(n)],
                         "nps": [9 if i % 3 else 4 for i in range(n)],
                         "submitted_at": when})


@pytest.mark.parametrize("tz", ["UTC", "America/New_York"])
def test_a_snapshot_built_now_is_not_restated(tmp_path: Path, tz: str) -> None:
    store = Store(tmp_path / "snap.duckdb")
    settings = replace(load_settings().with_db(store.path), tz=tz)
    frames = [_answers(WEEK.shift(-k).monday, 60, f"w{k}") for k in range(1, 12)]
    frames += [_answers(WEEK.shift(-12).monday, 2, "small"),  # hidden: n = 2 < 5
               _answers(WEEK.monday, 40, "this"),  # the smallest visible week of the span
               _answers(WEEK.shift(1).monday, 30, "current")]  # the incomplete week
    insert(store, "responses", pd.concat(frames, ignore_index=True))
    snap, built = get_or_build(store, settings, WEEK, "cli", now=NOW)
    assert built
    csat = next(m for m in snap.payload["metrics"] if m["name"] == "csat")
    # this week is hidden by the complement rule (the n = 2 week alone would be recoverable
    # from the 13-week total), so its p-chart point is hidden too (issue 14 item 2)
    assert csat["n"] == 40 and csat["value"] is None and csat["reliability"] == "suppressed"
    point = csat["control"]["points"][-1]
    assert point["week"] == str(WEEK) and point["p"] is None and point["ucl"] is None
    assert restated(store, settings, snap) == []
