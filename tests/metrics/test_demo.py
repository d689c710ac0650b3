"""Planted effects of the demo data come out of the engine (PRODUCT.md §7, data/README.md)."""

from __future__ import annotations

import datetime as dt
import importlib.util

import pytest

from cx.metrics import Engine, MetricQuery
from cx.metrics.bench import engine_benchmark
from cx.storage import Store


@pytest.fixture
def demo_store(store: Store) -> Store:
    if importlib.util.find_spec("cx.demo") is None:
        pytest.skip("cx.demo does not exist yet (demo generator issue)")
    from cx.demo import build_demo

    build_demo(store, seed=7, scale=1.0, end=dt.date(2026, 11, 22))
    return store


def test_planted_nps_by_channel_is_recovered(demo_store: Store, engine: Engine) -> None:
    # cx/demo/spec.py NPS_MIX: phone planted at +5, chat at +40 (points); n in the thousands
    rows = engine.run(MetricQuery("nps", by=("channel",))).rows.set_index("channel")
    phone, chat = rows.loc["phone"], rows.loc["chat"]
    assert phone["ci_low"] <= 5.0 <= phone["ci_high"]
    assert chat["ci_low"] <= 40.0 <= chat["ci_high"]
    assert phone["ci_high"] < chat["ci_low"]  # the intervals exclude each other
    assert set(rows["reliability"]) == {"ok"}


def test_benchmark_counts_match_hand_written_sql(demo_store: Store) -> None:
    # the hand-written DuckDB statement in cx/metrics/bench.py gives the same counts
    report = engine_benchmark(demo_store)  # 7 alternated pairs, the least it allows
    assert report["counts_equal"] and report["groups"] > 100 and report["responses"] > 40_000
