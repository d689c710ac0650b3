"""AppTest: every role with a data scope (region = Europe) sees only that scope, with the numbers
of the command line's `--where region=Europe` (and `--as-user`), and a URL or session state that
asks for another region shows nothing outside the scope (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest

from cx.auth.scopes import change_scope
from cx.charts.format import format_value
from cx.charts.text import md_plain
from cx.domain import Filters, Role, clause_of
from cx.storage import Store
from cx.ui.filters import View
from tests.app.dashboard_fixtures import DemoFiles, cli_metric, run_page
from tests.app.session import logged_in, rendered_text, role_user, through_app
from tests.app.test_pages_dashboards import default_dates

REGION = "Europe"
OTHER = "Asia Pacific"


@pytest.fixture
def scoped(on_demo: DemoFiles) -> DemoFiles:
    """Every role's test user may see Europe only."""
    store = Store(on_demo.db)
    for role in Role:
        change_scope(store, "user", role_user(role), clause_of({"region": REGION}), "test")
    return on_demo


def _where(db: object, *args: str) -> dict:
    start, end = default_dates(db)
    return cli_metric(db, *args, "--from", start, "--to", end, "--where", f"region={REGION}")


def test_executive_overview_tiles_equal_the_cli_in_the_scope(scoped: DemoFiles) -> None:
    at = run_page("overview", Role.EXECUTIVE)
    assert not at.exception, [e.value for e in at.exception]
    shown = {m.label: m.value for m in at.metric}
    start, end = default_dates(scoped.db)
    for name in ("nps", "csat", "ces"):
        out = _where(scoped.db, name)
        assert shown[out["label"]] == format_value(out["rows"][0]["value"], out["unit"]), name
        mine = cli_metric(scoped.db, name, "--from", start, "--to", end,
                          "--as-user", role_user(Role.EXECUTIVE))
        assert mine["rows"] == out["rows"], name  # --as-user is the app's view, exactly


def test_manager_customers_churn_equals_the_cli_in_the_scope(scoped: DemoFiles) -> None:
    at = run_page("customers", Role.MANAGER)
    table = at.dataframe[0].value
    churn = table[table["metric"] == "churn rate"].set_index("segment")
    out = _where(scoped.db, "churn_rate", "--by", "segment")
    assert len(churn) == len(out["rows"]) > 0
    for row in out["rows"]:
        assert churn.loc[row["segment"], "n"] == row["n"]


def test_analyst_explorer_lists_only_the_scope(scoped: DemoFiles) -> None:
    at = run_page("explorer", Role.ANALYST)
    total = _where(scoped.db, "responses")["rows"][0]["n"]
    everyone = cli_metric(scoped.db, "responses", *sum(
        (["--from" if i == 0 else "--to", d] for i, d in enumerate(default_dates(scoped.db))),
        []))["rows"][0]["n"]
    assert 0 < total < everyone
    assert at.caption[0].value.startswith(f"{total:,} responses match")
    assert set(at.dataframe[0].value["region"]) == {REGION}


def test_admin_tickets_table_equals_the_cli_in_the_scope(scoped: DemoFiles) -> None:
    at = run_page("tickets", Role.ADMIN)
    table = at.dataframe[0].value
    out = _where(scoped.db, "ttr_median", "--by", "channel")
    rows = table[table["metric"] == out["label"]].set_index("channel")
    assert len(rows) == len(out["rows"]) > 0
    for row in out["rows"]:
        assert rows.loc[row["channel"], "n"] == row["n"]


def test_sidebar_offers_only_values_inside_the_scope(scoped: DemoFiles) -> None:
    at = through_app(role_user(Role.MANAGER), "overview")
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="cx_f_region").options == [REGION]


def test_a_url_asking_for_another_region_shows_nothing_outside_the_scope(
        scoped: DemoFiles) -> None:
    # the sidebar's URL filter: the other region is not on offer, so it is dropped
    at = logged_in(role_user(Role.ANALYST))
    at.query_params.update({"region": OTHER})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="cx_f_region").value == []
    # a drill-down link that asks for the other region's records finds none of them
    at = logged_in(role_user(Role.ANALYST), "pages/explorer.py", timeout=120)
    at.query_params.update({"drill_table": "responses", "drill_f_region": OTHER})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "No responses match" in rendered_text(at)
    assert not any(OTHER in str(df.value.to_dict()) for df in at.dataframe)


def test_session_state_cannot_widen_the_scope(scoped: DemoFiles) -> None:
    at = logged_in(role_user(Role.ANALYST), "pages/explorer.py", timeout=120)
    anchor = dt.date.fromisoformat(default_dates(scoped.db)[1])
    view = View("all", Filters.of(region=[OTHER, REGION]), anchor, False)
    at.session_state["cx_view"] = view  # a forged view with an unrestricted Filters
    at.session_state["cx_groups"] = ("nonexistent-group",)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert set(at.dataframe[0].value["region"]) == {REGION}


def test_users_page_sets_a_group_scope_and_shows_the_audit_log(scoped: DemoFiles) -> None:
    at = logged_in(role_user(Role.ADMIN)).switch_page("pages/users.py").run()
    at.radio(key="cx_scope_kind").set_value("group")
    at.text_input(key="cx_scope_name").input("emea-managers")
    at.text_area(key="cx_scope_where").input("region=Europe\nchannel=Chat\nchannel=Email")
    next(b for b in at.button if b.label == "Set scope").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success[0].value == md_plain("group emea-managers now sees: channel in (Chat, "
                                           "Email) and region = Europe.")
    tables = [d.value for d in at.dataframe]  # users, SSO groups, scopes, audit log
    scopes_shown = next(t for t in tables if {"kind", "name"} <= set(t.columns))
    assert ("group", "emea-managers") in set(zip(scopes_shown["kind"], scopes_shown["name"]))
    log = next(t for t in tables if {"who", "did", "to"} <= set(t.columns))
    assert (log.iloc[0]["who"], log.iloc[0]["did"], log.iloc[0]["to"]) == (
        role_user(Role.ADMIN), "scope.set", "group:emea-managers")
    at.text_area(key="cx_scope_where").input("[colour](http://x)=red")
    next(b for b in at.button if b.label == "Set scope").click().run()
    assert md_plain("scope fields:") in at.error[0].value
    assert md_plain("'[colour](http://x)'") in at.error[0].value  # quoted as text, no link


def test_a_non_admin_gets_no_scope_forms(scoped: DemoFiles) -> None:
    at = logged_in(role_user(Role.ANALYST)).switch_page("pages/users.py").run()
    assert "No access" in at.error[0].value and len(at.text_area) == 0


def test_manager_segments_and_heat_map_hold_only_the_scope(scoped: DemoFiles) -> None:
    at = run_page("segments", Role.MANAGER)
    assert not at.exception, [e.value for e in at.exception]
    segments, heat = at.dataframe[0].value, at.dataframe[1].value
    out = _where(scoped.db, "nps", "--by", "channel")
    assert sorted(segments["channel"]) == sorted(r["channel"] for r in out["rows"])
    assert sum(int(n) for n in segments["n"]) == sum(r["n"] for r in out["rows"])
    assert set(heat["region"]) == {REGION}  # the heat map crosses channel with region
