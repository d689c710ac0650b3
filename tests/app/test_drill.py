"""Drill-down: offered only to roles that may open the records, its URL read safely (unknown
fields, Markdown, forged page numbers), and its records exactly the n of the clicked point."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx.charts.text import md_plain
from cx.config import load_settings
from cx.domain import DateRange, Filters, Grain, Role
from cx.metrics import Engine, MetricQuery
from cx.views.records import Drill, period_dates
from cx.storage import Store
from tests.app.dashboard_fixtures import DemoFiles, add_role_users, use_files
from tests.app.session import ID_MESSAGE, logged_in, rendered_text, role_user, through_app
from tests.app.test_pages_dashboards import default_dates


def explorer_with(params: dict[str, str | list[str]], role: Role = Role.ANALYST) -> AppTest:
    at = logged_in(role_user(role), "pages/explorer.py", timeout=120)
    at.query_params.update(params)
    return at.run()


def as_read(markdown: str) -> str:
    """What a reader sees of escaped Markdown (each backslash escape shows its character)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def trend_chart(at: AppTest) -> object:
    charts = [c for c in at.get("plotly_chart") if c.proto.id and "trend" in c.proto.id]
    assert len(charts) == 1
    return charts[0].proto


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_overview_offers_the_drill_down_only_to_roles_that_may_open_records(
        on_demo: DemoFiles, role: Role) -> None:
    at = through_app(role_user(role), "overview")
    assert not at.exception and not ID_MESSAGE.search(rendered_text(at))
    may = role is not Role.EXECUTIVE  # PRODUCT.md §5: the explorer is not an executive's page
    assert bool(trend_chart(at).selection_mode) is may
    assert any("Click a week" in c.value for c in at.caption) is may


def test_an_unknown_drill_field_says_so_and_shows_the_sidebar_records(on_demo: DemoFiles) -> None:
    at = explorer_with({"drill_table": "responses", "drill_f_[x](http://evil)": "1"})
    assert not at.exception, [e.value for e in at.exception]
    warning = " ".join(w.value for w in at.warning)
    assert "The link asks for responses by \\[x\\]\\(http\\://evil\\)" in warning, warning
    assert "Showing the records of the sidebar filters instead" in as_read(warning)
    assert any("responses match" in c.value for c in at.caption)


@pytest.mark.parametrize("params", [
    {"drill_table": "nosuch"}, {"drill_table": "responses", "drill_from": "2026-02-30"},
    {"drill_table": "responses", "drill_metric": "nosuch"},
    {"drill_table": "responses", "drill_metric": "frt_median"}])
def test_an_unreadable_drill_down_says_so(on_demo: DemoFiles, params: dict[str, str]) -> None:
    at = explorer_with(params)
    assert not at.exception, [e.value for e in at.exception]
    assert any("drill-down cannot be read" in as_read(w.value) for w in at.warning)


def test_drill_down_url_text_is_shown_as_text_never_markdown(on_demo: DemoFiles) -> None:
    at = explorer_with({"drill_table": "responses",
                        "drill_f_channel": "[link](http://x) ![img](http://y/i.png) :red[z]"})
    banner = next(i.value for i in at.info if i.value.startswith("Records behind"))
    # every character Markdown or Streamlit would act on is escaped: rendered as typed
    typed = "[link](http://x) ![img](http://y/i.png) :red[z]"
    assert md_plain(typed) in banner, banner
    assert "\\[link\\]\\(http\\://x\\) \\!\\[img\\]" in banner, banner


@pytest.mark.parametrize(("forged", "page"), [("abc", 1), (-3, 1), (0, 1), (2.5, 2),
                                              (10**12, 1), (None, 1)])
def test_a_forged_page_number_opens_a_page_without_an_error(on_demo: DemoFiles,
                                                            forged: object, page: int) -> None:
    at = logged_in(role_user(Role.ANALYST), "pages/explorer.py", timeout=120)
    at.session_state["explorer_page"] = forged
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(f"; page {page} of" in c.value for c in at.caption), [c.value for c in at.caption]


def test_a_forged_widget_value_gives_the_error_id_not_a_traceback(on_demo: DemoFiles) -> None:
    at = through_app(role_user(Role.ANALYST), "explorer", explorer_desc="maybe")  # not a bool
    assert not at.exception and ID_MESSAGE.search(rendered_text(at)), rendered_text(at)


@pytest.mark.parametrize("metric", ["nps", "csat", "ces", "frt_median", "ttr_median"])
def test_a_week_drill_down_lists_exactly_the_points_n(on_demo: DemoFiles, metric: str) -> None:
    start, end = default_dates(on_demo.db)
    filters = Filters(DateRange(dt.date.fromisoformat(start), dt.date.fromisoformat(end)))
    engine = Engine(Store(on_demo.db), load_settings())
    rows = engine.run(MetricQuery(metric=metric, filters=filters, grain=Grain.WEEK)).rows
    week = rows.iloc[len(rows) // 2]
    assert week["n"] > 0
    table = engine.run(MetricQuery(metric=metric, filters=filters)).metric.table
    point = period_dates(str(week["period"]), Grain.WEEK, filters.dates)
    drill = Drill(table, replace(filters, dates=point), metric)  # as ui.drill_down builds it
    at = explorer_with(drill.to_params())
    assert not at.exception, [e.value for e in at.exception]
    caption = next(c.value for c in at.caption if " match (" in c.value)
    assert caption.startswith(f"{int(week['n']):,} {table} match"), (caption, int(week["n"]))


def test_a_long_comment_is_readable_in_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    from cx.ingest import api
    from cx.ingest.options import IngestOptions

    long = ("The agent was friendly but the refund took three weeks, and " * 12).strip()
    csv = f'response_id,submitted_at,nps,comment\nr1,2026-11-20,3,"{long}"\nr2,2026-11-21,9,ok\n'
    users_file = tmp_path / "credentials.yaml"
    add_role_users(users_file)
    files = DemoFiles(tmp_path / "cx.duckdb", users_file)
    assert api.load(Store(files.db), csv.encode(), IngestOptions(table="responses")).status \
        == "loaded"
    use_files(monkeypatch, files)
    at = explorer_with({"drill_table": "responses"})
    assert not at.exception, [e.value for e in at.exception]
    assert len(long) > 700
    assert [t.value for t in at.text] == ["ok", long]  # newest first; plain text, never cut
