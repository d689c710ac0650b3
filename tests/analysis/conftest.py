"""Tiny fixture tables in a temp Store (habit 5) for the analyses that read the database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from cx.config import Settings, load_settings
from cx.metrics import Engine
from cx.storage import FieldInfo, Store, add_extra_field


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "analysis.duckdb")


@pytest.fixture
def engine(store: Store) -> Engine:
    settings: Settings = load_settings().with_db(store.path)
    return Engine(store, settings)


def load(store: Store, table: str, frame: pd.DataFrame, ratings: tuple[str, ...] = (),
         dimensions: tuple[str, ...] = ()) -> None:
    """Insert rows by column name; extra columns are declared in field_catalog first."""
    frame = frame.copy()
    key = {"responses": "response_id", "tickets": "ticket_id", "customers": "customer_id"}[table]
    if key not in frame:
        frame[key] = [f"{table[0]}{i}" for i in range(len(frame))]
    with store.transaction() as cur:
        for name in ratings:
            add_extra_field(cur, table, FieldInfo(table, name, "rating", True, name, 1, 5), "b0")
        for name in dimensions:
            add_extra_field(cur, table, FieldInfo(table, name, "dimension", True, name), "b0")
        cur.register("fixture_rows", frame)
        cur.execute(f"INSERT INTO {table} BY NAME SELECT * FROM fixture_rows")  # fixed names
        cur.unregister("fixture_rows")


def nps_answers(det: int, pas: int, pro: int) -> list[int]:
    """Counts (detractors, passives, promoters) -> 0-10 answers (5, 7 and 10)."""
    return [5] * det + [7] * pas + [10] * pro


def monday(week: int, start: dt.date = dt.date(2026, 1, 5)) -> dt.datetime:
    """Noon on the Monday of the given 0-based week after 2026-01-05 (an ISO Monday)."""
    return dt.datetime.combine(start + dt.timedelta(weeks=week), dt.time(12))
