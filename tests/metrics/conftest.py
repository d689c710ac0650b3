"""Tiny fixture tables for the metric engine (habit 5: 10-30 hand-checkable rows)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cx.config import Settings, load_settings
from cx.metrics import Engine
from cx.storage import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "metrics.duckdb")


@pytest.fixture
def settings(store: Store) -> Settings:
    return load_settings().with_db(store.path)


@pytest.fixture
def engine(store: Store, settings: Settings) -> Engine:
    return Engine(store, settings)


def insert(store: Store, table: str, frame: pd.DataFrame) -> None:
    """Load a DataFrame into a record table by column name (missing columns stay NULL)."""
    with store.transaction() as cur:
        cur.register("fixture_rows", frame)
        cur.execute(f"INSERT INTO {table} BY NAME SELECT * FROM fixture_rows")  # fixed names
        cur.unregister("fixture_rows")


def expand(counts: dict[int, int]) -> list[int]:
    """{score: count} -> the raw answers, e.g. METHODS.md CSAT-2 counts."""
    return [score for score, k in counts.items() for _ in range(k)]
