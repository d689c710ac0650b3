"""Analyses on the planted demo data (data/README.md) and on the airline satisfaction file."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest

from cx import cli
from cx.analysis.correlation import correlation_analysis
from cx.analysis.drivers import key_drivers
from cx.analysis.segments import segment_table
from cx.analysis.trends import trend_analysis, week_over_week
from cx.config import load_settings
from cx.metrics import Engine
from cx.storage import Store
from tests.conftest import dataset

END = dt.date(2026, 11, 22)
BAD_WEEK = END - dt.timedelta(days=7 * 5 + 6)  # Monday of end - 5 weeks: 2026-10-12
SCALE = 0.25  # ~12k responses, 25k tickets: every planted effect still far beyond noise


@pytest.fixture(scope="session")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    demo = pytest.importorskip("cx.demo", reason="the demo generator (cx.demo) is not there yet")
    path = tmp_path_factory.mktemp("analysis_demo") / "demo.duckdb"
    demo.build_demo(Store(path), seed=7, scale=SCALE, end=END)
    return Engine(Store(path), load_settings().with_db(path))


def test_demo_nps_segments(demo_engine: Engine) -> None:
    res = segment_table(demo_engine, "nps", "channel")
    t = res.table.set_index("segment")
    # data/README.md effect 1: phone planted low (+5), chat high (+40), email the null channel
    assert t.loc["phone", "badge"] == "lower" and t.loc["phone", "diff_vs_rest"] < -15
    assert t.loc["chat", "badge"] == "higher"
    assert t.loc["email", "badge"] == "none" and t.loc["email", "q"] > 0.05
    assert res.heterogeneity.p < 1e-6
    assert t.loc["chat", "rank"] == 1 and t.loc["phone", "rank"] == 5


def test_demo_csat_vs_resolution_time(demo_engine: Engine) -> None:
    res = correlation_analysis(demo_engine, "tickets", "resolution_hours", "csat",
                               control="channel")
    s, g = res.summary, res.by_group.set_index("group")
    # data/README.md effects 2 and 3: negative overall, phone steepest, chat flattest;
    # pooled -0.44 vs partial -0.30 at scale 1
    assert s["r"] < 0 and s["ci_high"] < 0
    assert g.loc["phone", "r"] == g["r"].min() and g.loc["chat", "r"] == g["r"].max()
    assert g.loc["phone", "ci_high"] < g.loc["chat", "ci_low"]
    assert s["partial_r"] - s["r"] >= 0.1
    assert list(res.bins["value"]) == sorted(res.bins["value"], reverse=True)


def test_demo_key_drivers(demo_engine: Engine) -> None:
    res = key_drivers(demo_engine, "responses", "csat", seed=3)
    d = res.drivers
    # data/README.md effect 4: resolution and agent knowledge dominate (43% / 34% at scale 1)
    assert list(d["name"][:2]) == ["rating_resolution", "rating_agent_knowledge"]
    assert d["ci_low"].iloc[1] > d["ci_high"].iloc[2:].max()
    assert d["importance"].sum() == pytest.approx(res.r2)
    assert res.n >= max(50, 10 * len(d))


def test_demo_bad_week(demo_engine: Engine) -> None:
    trend = trend_analysis(demo_engine, "csat", "week")
    flagged = trend.control[trend.control["out_of_control"]]
    # data/README.md effect 6: the only week outside its p-chart limits, on the low side
    assert [d.date() if hasattr(d, "date") else d for d in flagged["period"]] == [BAD_WEEK]
    assert list(flagged["side"]) == ["low"]
    wow = week_over_week(demo_engine, "csat", BAD_WEEK)
    assert wow.change < -0.1 and wow.significant


def test_airline_key_drivers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = dataset("airline_passenger_satisfaction_test.csv")
    pytest.importorskip("cx.cli.ingest", reason="the ingest command is not there yet")
    db = tmp_path / "air.duckdb"
    assert cli.main(["--db", str(db), "--json", "ingest", str(path), "--table", "responses",
                     "--date", "2026-01-01", "--missing", "0"]) == 0
    capsys.readouterr()
    started = time.perf_counter()
    code = cli.main(["--db", str(db), "--json", "analyze", "drivers", "--table", "responses",
                     "--outcome", "satisfaction=satisfied"])
    elapsed = time.perf_counter() - started
    out = json.loads(capsys.readouterr().out)
    assert code == 0, out
    drivers = out["drivers"]
    # TESTING.md: Online boarding is the top driver of the satisfied flag; 14 rating columns
    assert len(drivers) == 14 and drivers[0]["name"] == "online_boarding"
    assert sum(d["importance"] for d in drivers) == pytest.approx(out["r2"])
    assert sum(d["share"] for d in drivers) == pytest.approx(1.0)
    assert out["method"] == "johnson"  # more than 12 drivers
    print(f"airline key drivers: n={out['n']} r2={out['r2']:.4f} in {elapsed:.2f} s")
