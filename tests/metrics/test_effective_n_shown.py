"""The page shows the design effect (issue 14 item 7, METHODS.md §0.1): wherever a value is shown
with its n and answers repeat per customer (deff > 1.1), "effective n = …" is shown beside it:
Overview tile, metric table and its CSV, Segments table and dot hover, CLI JSON rows."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cx.analysis.segments import segment_table
from cx.charts import figures
from cx.domain import DateRange, Filters
from cx.views.kpis import tile
from cx.metrics import Engine, MetricQuery
from cx.storage import Store
from cx.ui.analysis_views import segment_rows
from cx.ui.components import metric_export, metric_rows
from tests.metrics.conftest import insert

SCORES = [5, 5, 5, 2, 5, 2, 5, 5, 2, 5]
# 10 customers x 8 identical answers: deff = 10/9 * 8 * 79/80 (METHODS.md §0.1, by hand,
# as tests/metrics/test_clusters.py), n_eff = 80 / deff
DEFF = 10 / 9 * 8 * 79 / 80
N_EFF = 80 / DEFF  # 9.1139...


def _load(store: Store) -> None:
    repeated = pd.DataFrame({"response_id": [f"r{i}" for i in range(80)],
                             "customer_id": [f"c{i % 10}" for i in range(80)],
                             "channel": "email",
                             "csat": [SCORES[i % 10] for i in range(80)],
                             "submitted_at": pd.Timestamp("2026-03-02 10:00")})
    single = pd.DataFrame({"response_id": [f"s{i}" for i in range(40)],
                           "customer_id": [f"d{i}" for i in range(40)], "channel": "phone",
                           "csat": [SCORES[i % 10] for i in range(40)],
                           "submitted_at": pd.Timestamp("2026-03-03 10:00")})
    insert(store, "responses", pd.concat([repeated, single], ignore_index=True))


def test_metric_table_and_export_show_effective_n(store: Store, engine: Engine) -> None:
    _load(store)
    rows = engine.run(MetricQuery("csat", by=("channel",))).rows
    shown = metric_rows(rows, ["channel"], "fraction").set_index("channel")
    assert shown.loc["email", "effective n"] == f"9 (design effect {DEFF:.2f})"  # 8.78
    assert shown.loc["phone", "effective n"] == ""  # one answer per customer: deff 1
    export = metric_export(rows, ["channel"], "fraction").set_index("channel")
    assert export.loc["email", "n_eff"] == pytest.approx(N_EFF, rel=1e-9)
    # no repeats anywhere: no column at all
    alone = engine.run(MetricQuery("csat", filters=Filters.of(DateRange(), channel=("phone",))))
    assert "effective n" not in metric_rows(alone.rows, [], "fraction")


def test_segments_table_and_hover_show_effective_n(store: Store, engine: Engine) -> None:
    _load(store)
    a = segment_table(engine, "csat", "channel")
    shown = segment_rows(a).set_index("channel")
    assert shown.loc["email", "effective n"] == f"9 (design effect {DEFF:.2f})"
    fig = figures.ci_bars(a.table.assign(segment=a.table["segment"]), "segment", "fraction",
                          "CSAT", "CSAT by channel")
    hover = " ".join(str(h) for h in fig.data[-1].hovertext)
    assert "answers repeat per customer: effective n = 9 (design effect 8.78)" in hover


def test_tile_carries_and_shows_effective_n(store: Store, engine: Engine) -> None:
    _load(store)
    t = tile(engine, "csat", Filters.of(DateRange(dt.date(2026, 3, 2), dt.date(2026, 3, 3))))
    # 80 repeated + 40 single answers: deff from the SQL sums, > 1.1
    assert t.n == 120 and t.deff > 1.1
    assert t.n_eff == pytest.approx(120 / t.deff, rel=1e-9)

    def page(deff: float, n_eff: float) -> None:
        from cx.domain import DateRange
        from cx.views.kpis import Tile
        from cx.ui.components import kpi_tile
        kpi_tile(Tile("csat", "CSAT", "fraction", True, "", 0.7, 120, 0.5, 0.85, "low_n",
                      float("nan"), float("nan"), float("nan"), False, (), DateRange(), None,
                      deff=deff, n_eff=n_eff))

    at = AppTest.from_function(page, kwargs={"deff": t.deff, "n_eff": t.n_eff}).run()
    caption = " ".join(c.value for c in at.caption)
    assert f"answers repeat per customer: effective n = {t.n_eff:,.0f} " \
           f"(design effect {t.deff:.2f})" in caption
    at = AppTest.from_function(page, kwargs={"deff": 1.05, "n_eff": 114.0}).run()
    assert "effective n" not in " ".join(c.value for c in at.caption)  # deff ≤ 1.1: not shown


def test_cli_metric_rows_carry_deff_and_n_eff(store: Store, engine: Engine, settings,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from cx.cli import main
    _load(store)
    code = main(["--db", str(store.path), "--json", "metric", "csat", "--by", "channel"])
    assert code == 0
    rows = {r["channel"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows["email"]["deff"] == pytest.approx(DEFF, rel=1e-9)
    assert rows["email"]["n_eff"] == pytest.approx(N_EFF, rel=1e-9)
    assert rows["phone"]["deff"] == pytest.approx(1.0)
