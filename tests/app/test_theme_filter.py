"""AppTest: the sidebar's theme filter ("comments mentioning any of") is one more dimension of
the shared filters: read from and written to the URL, applied by every page that reads survey
responses with the numbers of `python -m cx metric --where theme=...`, said not to apply where
a table has no themes, and inside the person's data scope (it narrows, never widens)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cx.auth.scopes import change_scope
from cx.charts.format import format_ci, format_value
from cx.domain import Role, clause_of
from cx.storage import Store
from tests.app.dashboard_fixtures import DemoFiles, cli_metric
from tests.app.session import logged_in, role_user

THEMES = ["billing", "website"]  # OR within the field, as --where repeated
KEY = "cx_f_theme"


def _tile(at: object, out: dict) -> None:
    """The Overview tile of a `metric --json` answer shows its value, interval and n."""
    row = out["rows"][0]
    shown = {m.label: m.value for m in at.metric}
    assert shown[out["label"]] == format_value(row["value"], out["unit"])
    caption = (f"95% CI {format_ci(row['ci_low'], row['ci_high'], out['unit'])} · "
               f"n = {row['n']:,}")
    assert any(c.value.startswith(caption) for c in at.caption), caption


def linked(role: Role, themes: list[str], page: str | None = None) -> AppTest:
    """A link with all dates and these themes, opened by `role` through app.py (which reads the
    link into the sidebar), then `page` (pages/<page>.py) with the view app.py left."""
    at = logged_in(role_user(role))
    at.query_params.update({"preset": "all", "theme": themes})
    at.run()
    if page is not None:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_link_with_themes_filters_the_overview_like_the_cli(on_demo: DemoFiles) -> None:
    at = linked(Role.MANAGER, THEMES)
    assert at.multiselect(key=KEY).label == "Comments mentioning any of"
    assert at.multiselect(key=KEY).value == THEMES
    assert "resolution" in at.multiselect(key=KEY).options  # every theme comments mention
    where = [a for t in THEMES for a in ("--where", f"theme={t}")]
    for name in ("nps", "csat"):
        out = cli_metric(on_demo.db, name, *where)
        everyone = cli_metric(on_demo.db, name)
        assert 0 < out["rows"][0]["n"] < everyone["rows"][0]["n"]  # the filter narrowed it
        _tile(at, out)
    at.multiselect(key=KEY).set_value(["billing"]).run()  # the widget, not only the link
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["theme"] in ("billing", ["billing"])  # kept in the URL
    _tile(at, cli_metric(on_demo.db, "nps", "--where", "theme=billing"))


def test_picking_a_theme_in_the_sidebar_changes_the_explorer(on_demo: DemoFiles) -> None:
    at = linked(Role.ANALYST, ["billing"], "explorer")
    total = cli_metric(on_demo.db, "responses", "--where", "theme=billing")["rows"][0]["n"]
    assert any(c.value.startswith(f"{total:,} responses match") for c in at.caption), [
        c.value for c in at.caption]


def test_tickets_without_themes_say_the_filter_does_not_apply(on_demo: DemoFiles) -> None:
    at = linked(Role.MANAGER, ["billing"], "tickets")
    notes = [c.value for c in at.caption if "does not apply" in c.value]
    assert notes == ["The filter on theme does not apply to tickets."], notes


@pytest.fixture
def europe(on_demo: DemoFiles) -> object:
    """The manager may see Europe only, for one test (the demo files are the module's)."""
    store = Store(on_demo.db)
    change_scope(store, "user", role_user(Role.MANAGER), clause_of({"region": "Europe"}), "test")
    yield on_demo
    change_scope(store, "user", role_user(Role.MANAGER), None, "test")


def test_the_theme_filter_stays_inside_the_scope(europe: DemoFiles) -> None:
    at = linked(Role.MANAGER, THEMES)
    where = [a for t in THEMES for a in ("--where", f"theme={t}")]
    out = cli_metric(europe.db, "nps", *where, "--where", "region=Europe")
    mine = cli_metric(europe.db, "nps", *where, "--as-user", role_user(Role.MANAGER))
    assert mine["rows"] == out["rows"]
    _tile(at, out)
    everyone = cli_metric(europe.db, "nps", *where)
    assert out["rows"][0]["n"] < everyone["rows"][0]["n"]  # not the themes' rows elsewhere
