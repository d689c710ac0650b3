"""In Chromium: a user with a data scope (region = Europe) signs in with a password, sees only
that region with the command line's `--where region=Europe` numbers, downloads only its rows,
and cannot reach another region by URL: neither a drill-down link nor a sidebar URL filter
(issue 16 item 4, the scope half; the OIDC sign-in half is the SSO browser test)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from cx.auth.scopes import change_scope
from cx.domain import Role, clause_of
from cx.storage import Store
from tests.app.dashboard_fixtures import cli_metric
from tests.app.test_pages_dashboards import default_dates
from tests.browser.conftest import Prepared, copy_prepared
from tests.browser.steps import log_in, wait_idle

pytestmark = pytest.mark.timeout(900)
REGION, OTHER = "Europe", "Asia Pacific"


def test_a_scoped_analyst_sees_only_their_region_even_through_tampered_urls(
        prepared: Prepared, tmp_path: Path, start_server, browser) -> None:
    db, users_file = copy_prepared(prepared, tmp_path / "scoped")
    name = prepared.logins[Role.ANALYST][0]
    change_scope(Store(db), "user", name, clause_of({"region": REGION}), "test")
    start, end = default_dates(db)
    mine = cli_metric(db, "responses", "--from", start, "--to", end, "--where",
                      f"region={REGION}")["rows"][0]["n"]
    everyone = cli_metric(db, "responses", "--from", start, "--to", end)["rows"][0]["n"]
    assert 0 < mine < everyone
    server = start_server(db, users_file)
    page = browser.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(server.url())
        log_in(page, prepared, Role.ANALYST)  # lands on the records explorer
        expect(page.get_by_text(f"{mine:,} responses match")).to_be_visible()
        wait_idle(page)
        with page.expect_download() as info:
            page.get_by_role("button", name=f"All {mine:,} as CSV").click()
        rows = list(csv.DictReader(io.StringIO(
            Path(info.value.path()).read_bytes().decode("utf-8-sig"))))
        assert len(rows) == mine and {r["region"] for r in rows} == {REGION}

        drill = urlencode({"drill_table": "responses", "drill_f_region": OTHER})
        page.goto(server.url(f"explorer?{drill}"))
        expect(page.get_by_text("No responses match")).to_be_visible()

        page.goto(server.url(f"explorer?{urlencode({'region': OTHER})}"))
        expect(page.get_by_text(f"{mine:,} responses match")).to_be_visible()
        wait_idle(page)
        assert OTHER not in page.locator('[data-testid="stApp"]').inner_text()
    finally:
        page.close()
