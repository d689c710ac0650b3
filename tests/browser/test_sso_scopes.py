"""In Chromium, through a real OpenID provider: a person whose group gives the manager role and
a data scope (region = Europe) sees only that region (issue 16 item 4, both halves at once).

Their Overview's NPS and its n are the command line's `metric nps --where region=Europe`, and
`--as-user` with their email (no credentials entry: the groups of this very sign-in) answers the
same; a URL filter or drill-down link naming another region shows nothing of it; Log out ends
both sessions. Password sign-in with a scope is tests/browser/test_scopes.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from cx.auth import group_roles
from cx.auth.scopes import change_scope
from cx.charts.format import format_value
from cx.domain import Role, clause_of
from cx.storage import Store
from tests.app.dashboard_fixtures import cli_metric
from tests.app.test_pages_dashboards import default_dates
from tests.browser.conftest import Prepared, Server, stop, warm_up
from tests.browser.oidc import (Provider, identity_cookie, log_out_through_provider,
                                running_provider, sign_in)
from tests.browser.steps import wait_idle
from tests.browser.test_sso import _sso_server

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]
GROUP, REGION, OTHER = "emea-managers", "Europe", "Asia Pacific"
PERSON = "regional@example.com"  # no digit: assert_no_data would take one for a number


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider({PERSON: [GROUP, "staff"]}) as running:
        yield running


@pytest.fixture(scope="module")
def scoped_app(prepared: Prepared, provider: Provider, browser: object,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = _sso_server(prepared, tmp_path_factory.mktemp("sso-scoped"), provider, "sso")
    store = Store(server.db)  # both are read on every run: no restart needed
    group_roles.map_group(store, GROUP, Role.MANAGER, "test")
    change_scope(store, "group", GROUP, clause_of({"region": REGION}), "test")
    try:
        warm_up(server, browser)
        yield server
    finally:
        stop(server)


def _nps_tile(page: Page, value: float, n: int) -> None:
    """The Overview's NPS tile shows `value`, and its caption `n`."""
    tile = page.locator('[data-testid="stMetric"]').filter(
        has=page.get_by_text("NPS", exact=True))
    expect(tile.locator('[data-testid="stMetricValue"]')).to_have_text(
        format_value(value, "points"))
    expect(page.get_by_text(re.compile(rf"· n = {n:,}(\D|$)")).first).to_be_visible()


def test_a_scoped_sso_manager_sees_the_cli_s_numbers_and_nothing_of_another_region(
        scoped_app: Server, provider: Provider, page: Page) -> None:
    db = Path(scoped_app.db)
    start, end = default_dates(db)
    dates = ("--from", start, "--to", end)
    mine = cli_metric(db, "nps", *dates, "--where", f"region={REGION}")["rows"][0]
    everyone = cli_metric(db, "nps", *dates)["rows"][0]
    assert 0 < mine["n"] < everyone["n"]

    sign_in(page, scoped_app.url(), provider, PERSON)
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("Role: manager")).to_be_visible()
    expect(page).to_have_title("Overview")
    _nps_tile(page, mine["value"], mine["n"])
    expect(page.get_by_text(re.compile(rf"· n = {everyone['n']:,}(\D|$)"))).to_have_count(0)

    # The command line, as this person: the groups of the sign-in just made.
    as_them = cli_metric(db, "nps", *dates, "--as-user", PERSON)
    assert as_them["rows"] == [mine]
    assert as_them["as_user"]["groups"] == [GROUP, "staff"]

    # A URL filter on another region is not an option of theirs: the numbers stay theirs.
    page.goto(scoped_app.url(f"overview?{urlencode({'region': OTHER})}"))
    _nps_tile(page, mine["value"], mine["n"])
    wait_idle(page)
    assert OTHER not in page.locator('[data-testid="stApp"]').inner_text()
    # A drill-down link into another region opens on no record.
    drill = urlencode({"drill_table": "responses", "drill_f_region": OTHER})
    page.goto(scoped_app.url(f"explorer?{drill}"))
    expect(page.get_by_text("No responses match")).to_be_visible()

    log_out_through_provider(page, scoped_app.url(), provider)
    assert identity_cookie(page) is None
