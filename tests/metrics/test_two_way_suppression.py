"""Suppressed stays suppressed in two-way tables (issue 14 item 2): a heat map (channel x week)
shows its row totals (Segments) and column totals (the trend), so a hidden cell must not be
recoverable from a row or column total minus the visible cells: in every row and every column
the hidden cells together reach the privacy floor (METHODS.md §7.3), or none is hidden."""

from __future__ import annotations

import pandas as pd
import pytest

from cx.domain import Grain
from cx.metrics import Engine, MetricQuery
from cx.storage import Store
from tests.metrics.conftest import insert

WEEKS = {"W1": pd.Timestamp("2026-03-02 10:00"), "W2": pd.Timestamp("2026-03-09 10:00")}


def _cells(small: int) -> dict[tuple[str, str], int]:
    cells = {(c, w): 20 for c in ("A", "B", "C") for w in WEEKS}
    cells[("A", "W1")] = small
    return cells


def _load(store: Store, cells: dict[tuple[str, str], int]) -> None:
    rows = [{"response_id": f"{c}{w}{i}", "channel": c, "csat": 5 if i % 3 else 2,
             "submitted_at": WEEKS[w]} for (c, w), n in cells.items() for i in range(n)]
    insert(store, "responses", pd.DataFrame(rows))


@pytest.mark.parametrize("small", [1, 2, 3, 4])
def test_a_hidden_cell_cannot_be_solved_from_row_or_column_totals(
        store: Store, engine: Engine, small: int) -> None:
    _load(store, _cells(small))
    floor = engine.settings.thresholds.privacy_floor_n
    assert floor == 5
    rows = engine.run(MetricQuery("csat", by=("channel",), grain=Grain.WEEK)).rows
    gone = rows["reliability"] == "suppressed"
    assert rows["value"][gone].isna().all() and rows["ci_low"][gone].isna().all()
    for key in ("channel", "period"):  # every row, every column
        hidden_n = rows[gone].groupby(key)["n"].sum()
        assert ((hidden_n == 0) | (hidden_n >= floor)).all(), (key, hidden_n.to_dict())
    # the small cell, its row partner (A, W2) and one cell of its column (B, W1: the smallest
    # visible cell there, first by stable order); nothing else: 3 of 6 cells
    hidden = set(zip(rows.loc[gone, "channel"], rows.loc[gone, "period"].astype(str).str[:10]))
    assert hidden == {("A", "2026-03-02"), ("A", "2026-03-09"), ("B", "2026-03-02")}


def test_a_table_without_small_cells_hides_nothing(store: Store, engine: Engine) -> None:
    _load(store, _cells(20))
    rows = engine.run(MetricQuery("csat", by=("channel",), grain=Grain.WEEK)).rows
    assert (rows["reliability"] != "suppressed").all() and len(rows) == 6
