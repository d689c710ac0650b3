"""AppTest: the Segments and Drivers pages render for every allowed role on demo data, show their
empty state on an empty database, are refused to executives, and show the command line's numbers
(`analyze segments`, `analyze correlation`, `analyze drivers`) for the same filters."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cx.auth import access
from cx.charts.format import format_ci, format_value
from cx.domain import DateRange, Filters, Role
from cx.ui.analysis_views import coef, p_text
from cx.ui.filters import View
from tests.app.dashboard_fixtures import (
    ROOT,
    DemoFiles,
    run_page,
    run_page_on_empty_db,
)
from tests.app.session import logged_in, role_user
from tests.app.test_pages_dashboards import default_dates

PAGES = ("segments", "drivers")
ALLOWED = [(p, r) for p in PAGES for r in Role if r in access.page(p).roles]


def cli_analyze(db: Path, *args: str) -> dict:
    """`python -m cx analyze ... --json` over the page's default dates, as a user would run it."""
    start, end = default_dates(db)
    out = subprocess.run([sys.executable, "-m", "cx", "--db", str(db), "analyze", *args,
                          "--from", start, "--to", end, "--json"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def frame_with(at: object, column: str) -> pd.DataFrame:
    """The page's first table that has `column` (pages show several tables)."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, [list(d.value.columns) for d in at.dataframe]
    return found[0]


@pytest.mark.parametrize(("page", "role"), ALLOWED, ids=[f"{p}-{r.value}" for p, r in ALLOWED])
def test_page_renders_for_allowed_role(on_demo: DemoFiles, page: str, role: Role) -> None:
    at = run_page(page, role)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert [t.value for t in at.title] == [access.page(page).title]
    assert not at.info, [i.value for i in at.info]  # no empty state on demo data
    assert len(at.dataframe) >= 2  # segments: table + heat map; drivers: bins, groups, drivers


@pytest.mark.parametrize("page", PAGES)
def test_executive_is_refused(on_demo: DemoFiles, page: str) -> None:
    assert Role.EXECUTIVE not in access.page(page).roles  # PRODUCT.md §5
    at = run_page(page, Role.EXECUTIVE)
    assert "No access" in " ".join(e.value for e in at.error)
    assert not at.dataframe and not at.title


@pytest.mark.parametrize("page", PAGES)
def test_empty_database_shows_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         page: str) -> None:
    at = run_page_on_empty_db(tmp_path, monkeypatch, page, Role.ANALYST)
    assert "No data yet" in " ".join(i.value for i in at.info)
    assert not at.dataframe


def test_segments_equal_command_line(on_demo: DemoFiles) -> None:
    at = run_page("segments", Role.MANAGER)  # defaults: NPS by channel
    table = frame_with(at, "q (BH)").set_index("channel")
    out = cli_analyze(on_demo.db, "segments", "--metric", "nps", "--by", "channel")
    assert len(table) == len(out["rows"]) > 0
    for row in out["rows"]:
        shown = table.loc[row["segment"]]
        assert shown["value"] == format_value(row["value"], "points")
        assert shown["95% CI"] == format_ci(row["ci_low"], row["ci_high"], "points")
        assert shown["n"] == row["n"]
        assert shown["p"] == p_text(row["p"])
        assert shown["q (BH)"] == p_text(row["q"] if row["q"] is not None else float("nan"))
        assert shown["badge"] == row["badge"]
    # the table keeps the command line's order (ranked by the lower bound)
    assert list(table.index) == [r["segment"] for r in out["rows"]]


def test_drivers_equal_command_line(on_demo: DemoFiles) -> None:
    at = run_page("drivers", Role.ANALYST)  # defaults: Spearman | channel, csat on ratings
    metrics = {m.label: m.value for m in at.metric}
    corr = cli_analyze(on_demo.db, "correlation", "--control", "channel")
    assert metrics["Spearman ρ, all tickets"] == coef(corr["r"])
    assert metrics["Partial, controlling for channel"] == coef(corr["partial_r"])
    assert metrics["Tickets with both values"] == f"{corr['n']:,}"
    assert any(c.value.startswith(f"95% CI {coef(corr['ci_low'])} to {coef(corr['ci_high'])} · "
                                  f"n = {corr['n']:,}") for c in at.caption)
    groups = frame_with(at, "Spearman ρ").set_index("channel")
    for row in corr["by_group"]:
        assert groups.loc[row["group"], "n"] == row["n"]
        assert groups.loc[row["group"], "Spearman ρ"] == coef(row["r"] if row["r"] is not None
                                                              else float("nan"))

    kda = cli_analyze(on_demo.db, "drivers", "--outcome", "csat")
    assert not kda["suppressed"]
    table = frame_with(at, "share of R²").set_index("field")
    assert list(table.index) == [d["name"] for d in kda["drivers"]]
    for d in kda["drivers"]:
        assert table.loc[d["name"], "share of R²"] == format_value(d["share"], "fraction")
        assert table.loc[d["name"], "95% CI (bootstrap)"] == format_ci(d["ci_low"], d["ci_high"],
                                                                       "fraction")
        assert table.loc[d["name"], "quadrant"] == d["quadrant"]


@pytest.mark.parametrize(("pick", "field", "value"), [("nps", None, None),
                                                      ("condition", "channel", "phone")])
def test_drivers_outcome_picker(on_demo: DemoFiles, pick: str, field: str | None,
                                value: str | None) -> None:
    at = run_page("drivers", Role.ANALYST)
    at.radio(key="drivers_outcome").set_value(pick).run()
    if field:
        at.selectbox(key="drivers_condition_field").set_value(field).run()
        at.selectbox(key="drivers_condition_value").set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    outcome = f"{field}={value}" if field else pick
    kda = cli_analyze(on_demo.db, "drivers", "--outcome", outcome)
    table = frame_with(at, "share of R²").set_index("field")
    assert [table.loc[d["name"], "share of R²"] for d in kda["drivers"]] == \
        [format_value(d["share"], "fraction") for d in kda["drivers"]]


def test_drivers_say_not_enough_data(on_demo: DemoFiles) -> None:
    # one day of the small demo: far fewer than max(50, 10 x 6) complete answers
    day = dt.date.fromisoformat(default_dates(on_demo.db)[1])
    at = logged_in(role_user(Role.MANAGER), "pages/drivers.py", timeout=120)
    at.session_state["cx_view"] = View("custom", Filters.of(DateRange(day, day)), day, True)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(i.value for i in at.info)
    assert "Not enough data" in shown and "Key drivers need at least 60" in shown, shown
    assert not any("share of R²" in d.value.columns for d in at.dataframe)
