"""Churn by calendar period (cx.metrics.plans.churn): customers are first counted per (signup
period, churn period), then meet the periods. Checked against METHODS.md §4.1's definition
applied customer by customer: active at a period's start (signed up before it, not lost before
it, churn time known), lost within it."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import pandas as pd
import pytest

from cx.config import Settings
from cx.domain import DateRange, Filters, Grain
from cx.metrics import Engine, MetricQuery
from cx.metrics.compiler import local_period_starts, next_period, utc_bounds
from cx.storage import Store
from tests.metrics.conftest import insert

ZONE = "Europe/Berlin"  # the range below holds its switch to summer time (2024-03-31)
RANGE = DateRange(dt.date(2024, 3, 4), dt.date(2024, 4, 28))


def _customers(seed: int, n: int = 400) -> pd.DataFrame:
    """Edge cases on purpose: times at local and UTC midnights, no signup, a churn without a
    time (unknown), a churn before the signup, customers far outside the range."""
    rng = random.Random(seed)
    edges = [dt.datetime(2024, 3, 10, 23), dt.datetime(2024, 3, 11, 0), dt.datetime(2024, 3, 30, 23),
             dt.datetime(2024, 3, 31, 22), dt.datetime(2024, 4, 28, 22), dt.datetime(2024, 4, 29)]

    def when() -> dt.datetime | None:
        pick = rng.random()
        if pick < 0.1:
            return None
        if pick < 0.35:
            return rng.choice(edges)
        return dt.datetime(2024, 1, 1) + dt.timedelta(minutes=rng.randrange(0, 200 * 24 * 60))

    rows = []
    for i in range(n):
        signup, churned = when(), rng.random() < 0.5
        gone = when() if churned else None
        rows.append({"customer_id": f"c{i}", "segment": rng.choice(["smb", "ent"]),
                     "signup_at": signup, "churned": churned, "churned_at": gone})
    return pd.DataFrame(rows)


def _by_hand(frame: pd.DataFrame, grain: Grain) -> dict[tuple[str, dt.date], tuple[int, int]]:
    out = {}
    for start in local_period_starts(RANGE, grain):
        end = next_period(start, grain) - dt.timedelta(days=1)
        lo, hi = utc_bounds(DateRange(start, end), ZONE)
        for segment, rows in frame.groupby("segment"):
            s = c = 0
            for r in rows.itertuples():
                signup = None if pd.isna(r.signup_at) else r.signup_at.to_pydatetime()
                gone = None if pd.isna(r.churned_at) else r.churned_at.to_pydatetime()
                if r.churned and gone is None:
                    continue  # churned at an unknown time: not at risk
                if (signup is None or signup < lo) and (gone is None or gone >= lo):
                    s += 1
                    c += gone is not None and gone < hi
            out[(segment, start)] = (c, s)
    return out


@pytest.mark.parametrize("grain", [Grain.DAY, Grain.WEEK, Grain.MONTH])
@pytest.mark.parametrize("seed", [1, 2])
def test_churn_by_period_equals_the_definition_customer_by_customer(
        store: Store, settings: Settings, grain: Grain, seed: int) -> None:
    frame = _customers(seed)
    insert(store, "customers", frame)
    engine = Engine(store, replace(settings, tz=ZONE))
    stats = engine.sufficient(MetricQuery("churn_rate", filters=Filters.of(RANGE), grain=grain,
                                          by=("segment",)))
    found = {(r.segment, r.period): (int(r.churned), int(r.n)) for r in stats.itertuples()}
    assert found == _by_hand(frame, grain)
    # churned at an unknown time: counted apart in every period, never at risk
    unknown = (frame["churned"] & frame["churned_at"].isna()).groupby(frame["segment"]).sum()
    assert {(r.segment, int(r.n_unknown_time)) for r in stats.itertuples()} == {
        (segment, int(k)) for segment, k in unknown.items()}
