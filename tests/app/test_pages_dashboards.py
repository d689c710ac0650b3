"""AppTest: the dashboard pages render for every allowed role on demo data, show their empty
state on an empty database, and show the same numbers as the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cx.auth import access
from cx.charts.format import format_ci, format_value
from cx.domain import Role
from cx.views.filter_state import DEFAULT_PRESET, resolve_preset
from cx.storage import Store
from cx.views.summary import last_date
from tests.app.dashboard_fixtures import (
    DemoFiles,
    cli_metric,
    run_page,
    run_page_on_empty_db,
)

MY_PAGES = ("overview", "tickets", "customers", "explorer", "upload")
ALLOWED = [(p, r) for p in MY_PAGES for r in Role if r in access.page(p).roles]
EMPTY_TEXT = {
    "overview": "No data yet",
    "tickets": "No tickets in this period",
    "customers": "No customers loaded",
    "explorer": "No responses match",
    "upload": "No batches yet",
}


def default_dates(db: Path) -> tuple[str, str]:
    """The dates the default preset means on this data (presets anchor on the latest data)."""
    last = last_date(Store(db))
    anchor = min(last, dt.date.today()) if last else dt.date.today()
    dates = resolve_preset(DEFAULT_PRESET, anchor)
    return dates.start.isoformat(), dates.end.isoformat()


@pytest.mark.parametrize(("page", "role"), ALLOWED, ids=[f"{p}-{r.value}" for p, r in ALLOWED])
def test_page_renders_for_allowed_role(on_demo: DemoFiles, page: str, role: Role) -> None:
    at = run_page(page, role)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert [t.value for t in at.title][:1] == [access.page(page).title]
    assert not at.info or page == "upload", [i.value for i in at.info]  # no empty state on demo


@pytest.mark.parametrize("page", MY_PAGES)
def test_empty_database_shows_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         page: str) -> None:
    at = run_page_on_empty_db(tmp_path, monkeypatch, page, Role.ADMIN)
    infos = " ".join(i.value for i in at.info)
    assert EMPTY_TEXT[page] in infos, infos


def test_overview_tiles_equal_command_line(on_demo: DemoFiles) -> None:
    at = run_page("overview", Role.MANAGER)
    shown = {m.label: m.value for m in at.metric}
    start, end = default_dates(on_demo.db)
    for name in ("nps", "csat", "ces", "frt_median", "ttr_median", "churn_rate"):
        out = cli_metric(on_demo.db, name, "--from", start, "--to", end)
        row = out["rows"][0]
        assert shown[out["label"]] == format_value(row["value"], out["unit"]), name
        # the tile caption carries the same interval and n
        caption = f"95% CI {format_ci(row['ci_low'], row['ci_high'], out['unit'])} · n = {row['n']:,}"
        assert any(c.value.startswith(caption) for c in at.caption), (name, caption)


def test_tickets_table_equals_command_line(on_demo: DemoFiles) -> None:
    at = run_page("tickets", Role.ANALYST)
    table = at.dataframe[0].value
    start, end = default_dates(on_demo.db)
    out = cli_metric(on_demo.db, "ttr_median", "--by", "channel", "--from", start, "--to", end)
    page_rows = table[table["metric"] == out["label"]].set_index("channel")
    assert len(page_rows) == len(out["rows"]) > 0
    for row in out["rows"]:
        assert page_rows.loc[row["channel"], "value"] == format_value(row["value"], "hours")
        assert page_rows.loc[row["channel"], "n"] == row["n"]


def test_customers_churn_equals_command_line(on_demo: DemoFiles) -> None:
    at = run_page("customers", Role.MANAGER)
    table = at.dataframe[0].value
    start, end = default_dates(on_demo.db)
    out = cli_metric(on_demo.db, "churn_rate", "--by", "segment", "--from", start, "--to", end)
    churn = table[table["metric"] == "churn rate"].set_index("segment")
    for row in out["rows"]:
        assert churn.loc[row["segment"], "value"] == format_value(row["value"], "fraction")
        assert churn.loc[row["segment"], "n"] == row["n"]


def test_explorer_count_equals_command_line(on_demo: DemoFiles) -> None:
    at = run_page("explorer", Role.ANALYST)
    start, end = default_dates(on_demo.db)
    total = cli_metric(on_demo.db, "responses", "--from", start, "--to", end)["rows"][0]["n"]
    assert at.caption[0].value.startswith(f"{total:,} responses match")
    assert len(at.dataframe[0].value) == min(total, 50)  # one page, never the whole table
