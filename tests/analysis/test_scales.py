"""One scale per comparison (issue 14 item 1, METHODS.md §2.4): when CSAT answers in scope sit
on two scales, segments, trends and snapshots neither compare nor badge across them, and say why
with the scales and their counts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from cx.analysis.segments import segment_table
from cx.analysis.trends import trend_analysis
from cx.metrics import Engine
from cx.snapshots.build import metric_block
from cx.snapshots.week import IsoWeek
from cx.storage import Store
from tests.analysis.conftest import load, monday


def _two_batches() -> pd.DataFrame:
    """Batch 1 (weeks 0-1, email) on 1-5, 90% top-2; batch 2 (weeks 2-3, phone) on 0-10, 20%:
    the 'drop' is the scale, not the customers."""
    five = [(w, "email", 5 if i % 10 else 2, 1, 5) for w in (0, 1) for i in range(60)]
    ten = [(w, "phone", 10 if i % 5 == 0 else 6, 0, 10) for w in (2, 3) for i in range(50)]
    frame = pd.DataFrame(five + ten, columns=["w", "channel", "csat", "csat_scale_min",
                                              "csat_scale_max"])
    frame["submitted_at"] = [monday(w) for w in frame["w"]]
    return frame.drop(columns=["w"])


def test_segments_refuse_to_compare_across_scales(store: Store, engine: Engine) -> None:
    load(store, "responses", _two_batches())
    res = segment_table(engine, "csat", "channel")
    assert not res.comparable
    assert (res.table["badge"] == "none").all() and res.table["p"].isna().all()
    assert res.table["rank"].isna().all()
    assert "2 scales: 0-10 (100 answers), 1-5 (120 answers)" in res.notes[0]
    assert res.to_dict()["comparable"] is False and res.reading == res.notes[0]


def test_trend_and_snapshot_do_not_test_changes_across_scales(store: Store,
                                                              engine: Engine) -> None:
    load(store, "responses", _two_batches())
    trend = trend_analysis(engine, "csat_mean", "week")
    assert not trend.comparable and trend.table["change_p"].isna().all()
    assert "1-5 (120 answers)" in trend.notes[0]
    week = IsoWeek.of(monday(2).date())
    block = metric_block(engine, "csat", week, dt.datetime.combine(monday(3).date(), dt.time()))
    assert block["comparable"] is False and "0-10 (50 answers)" in block["note"]
    assert block["change"]["p"] is None and block["change"]["diff"] is None
    assert block["control"] is None
    assert np.isfinite(block["value"])  # the week's own value is still shown


def test_dimension_with_one_value_gets_a_plain_message(store: Store, engine: Engine) -> None:
    frame = pd.DataFrame({"channel": "email", "csat": [5, 4, 2] * 20, "submitted_at": monday(0)})
    load(store, "responses", frame)
    res = segment_table(engine, "csat", "channel")
    assert not res.comparable and res.reading.startswith("channel has one value in scope (email)")
    assert res.table["p"].isna().all() and (res.table["badge"] == "none").all()


def test_empty_filter_says_nothing_matches(store: Store, engine: Engine) -> None:
    from cx.domain import Filters

    frame = pd.DataFrame({"channel": "email", "csat": [5, 4, 2] * 20, "submitted_at": monday(0)})
    load(store, "responses", frame)
    res = segment_table(engine, "csat", "channel", Filters.of(channel="zzz"))
    assert res.table.empty
    assert res.reading == "No CSAT (top-2-box) answers match the filters: there is nothing to " \
        "compare by channel."
