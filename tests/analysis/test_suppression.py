"""Suppressed stays suppressed (issue 14 item 2): for a segment or week of n = 1..4 (privacy
floor 5, METHODS.md §7.3) no field of any output depends on its answers, and the hidden groups
together hold at least the floor, so "total minus the visible groups" gives nothing away."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cx.analysis.segments import segment_table
from cx.analysis.trends import trend_analysis
from cx.config import load_settings
from cx.domain import DateRange, Filters
from cx.views.kpis import tile
from cx.metrics import Engine, MetricQuery
from cx.storage import Store
from tests.analysis.conftest import load, monday

FLOOR = 5


def _answers(small: int, small_score: int) -> pd.DataFrame:
    rows = [("A", 5 if i % 3 else 2) for i in range(60)] + [("B", 4 if i % 2 else 1)
                                                           for i in range(40)]
    rows += [("C", 5 if i % 4 else 3) for i in range(33)] + [("Z", small_score)] * small
    return pd.DataFrame(rows, columns=["channel", "csat"]).assign(submitted_at=monday(0))


def _everything(table: pd.DataFrame) -> dict:
    return table.set_index("segment").drop(columns=["n"]).to_dict()


@pytest.mark.parametrize("small", [1, 2, 3, 4])
@pytest.mark.parametrize("metric", ["csat", "csat_mean"])
def test_segment_of_n_below_floor_cannot_be_solved_back(tmp_path, small: int,
                                                        metric: str) -> None:
    outputs = []
    for score in (1, 5):  # the hidden answers differ, so any field that depends on them differs
        store = Store(tmp_path / f"s{small}{score}{metric}.duckdb")
        engine = Engine(store, load_settings().with_db(store.path))
        load(store, "responses", _answers(small, score))
        res = segment_table(engine, metric, "channel")
        outputs.append((_everything(res.table), res.heterogeneity, res.reading, res.table))
    (a, het_a, read_a, table), (b, het_b, read_b, _) = outputs
    pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b))
    assert read_a == read_b and (het_a.statistic == het_b.statistic or np.isnan(het_a.statistic))
    rows = table.set_index("segment")
    assert rows.loc["Z", "reliability"] == "suppressed" and np.isnan(rows.loc["Z", "value"])
    # secondary suppression: the hidden groups together reach the floor (C, the smallest, joins)
    hidden = rows[rows["reliability"] == "suppressed"]
    assert hidden["n"].sum() >= FLOOR and "C" in hidden.index
    assert hidden[["value", "ci_low", "ci_high", "diff_vs_rest", "p", "q"]].isna().all().all()


def test_week_of_n_below_floor_leaks_through_no_change_or_chart(tmp_path) -> None:
    frames = []
    for score in (1, 5):
        store = Store(tmp_path / f"w{score}.duckdb")
        engine = Engine(store, load_settings().with_db(store.path))
        weeks = [(w, 5 if i % 3 else 2) for w in range(8) for i in range(40) if w != 4]
        weeks += [(4, score)] * 3  # week 4 has 3 answers
        frame = pd.DataFrame(weeks, columns=["w", "csat"])
        frame["submitted_at"] = [monday(w) for w in frame["w"]]
        load(store, "responses", frame.drop(columns=["w"]))
        trend = trend_analysis(engine, "csat", "week", baseline="all")
        frames.append((trend.table.drop(columns=["n"]), trend.control.drop(columns=["n"])))
    pd.testing.assert_frame_equal(frames[0][0], frames[1][0])  # values, CIs, changes
    pd.testing.assert_frame_equal(frames[0][1], frames[1][1])  # p-chart points and limits
    assert frames[0][0]["change"].iloc[[4, 5]].isna().all()


def test_kpi_tile_of_a_hidden_period_has_no_test(store: Store, engine: Engine) -> None:
    frame = pd.DataFrame({"csat": [5, 4, 2], "submitted_at": monday(1)})
    load(store, "responses", pd.concat([frame, pd.DataFrame(
        {"csat": [5, 2] * 30, "submitted_at": monday(0)})]))
    start = monday(1).date()
    t = tile(engine, "csat", Filters(DateRange(start, start + pd.Timedelta(days=6))))
    assert t.reliability == "suppressed" and not t.tested and np.isnan(t.p)


def test_metric_table_rows_get_the_same_secondary_suppression(store: Store,
                                                             engine: Engine) -> None:
    # the table rows (and so the CSV download) of `metric --by channel`, not only the segments
    load(store, "responses", _answers(2, 5))
    rows = engine.run(MetricQuery("csat", by=("channel",))).rows.set_index("channel")
    assert list(rows.loc[["Z", "C"], "reliability"]) == ["suppressed", "suppressed"]
    assert rows.loc[["Z", "C"], ["value", "ci_low", "ci_high"]].isna().all().all()
    assert rows.loc[["Z", "C"], "x"].isna().all()  # counts would give the value back too
    assert rows.loc["A", "reliability"] != "suppressed" and rows.loc["C", "n"] == 33
