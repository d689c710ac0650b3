"""Login in a real browser: no data without login (even on a fresh server, where Streamlit
serves pages/ before app.py), each role's landing page, refresh, logout, first start."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cx.auth import access
from cx.domain import Role
from tests.browser.conftest import Prepared, Server, copy_prepared
from tests.browser.steps import (LOGIN_HEADING, assert_no_data, login, login_cookie,
                                  wait_idle)
from tests.policy_table import SPEC_LANDING, SPEC_PAGES

pytestmark = pytest.mark.browser



def test_every_page_url_without_login_shows_no_data(prepared: Prepared, start_server,
                                                    page: Page, tmp_path: Path) -> None:
    server: Server = start_server(*copy_prepared(prepared, tmp_path / "data"), warm=False)
    # Until app.py has run once, Streamlit serves pages/ files directly (legacy mode): the
    # first request hits a page file with no app.py around it. Its guard ends that mode and
    # reruns the request through app.py (issue 13), so every page URL meets the login form.
    for name in SPEC_PAGES:  # every page file (tests/app/test_roles.py checks they match)
        page.goto(server.url(name))
        assert_no_data(page)
        expect(page.get_by_text(LOGIN_HEADING)).to_be_visible()
    # Then the root and every page URL again (now app.py routes).
    for name in ["", *SPEC_PAGES]:
        page.goto(server.url(name))
        assert_no_data(page)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_refreshes_and_logs_out(role: Role, app: Server, prepared: Prepared,
                                                page: Page) -> None:
    username, password = prepared.logins[role]
    login(page, app, username, password)
    landing = access.page(SPEC_LANDING[role.value])  # PRODUCT.md §5
    expect(page).to_have_title(landing.title)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text(f"Role: {role.value}")).to_be_visible()
    expect(sidebar.get_by_text(username)).to_be_visible()
    cookie = login_cookie(page)
    assert username not in cookie["value"] and len(cookie["value"].split(".")) == 4  # opaque
    assert cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert cookie["httpOnly"] is True  # issue 12 item 3: no script in the page can read it
    assert "cx_lens_auth_" not in page.evaluate("document.cookie")
    assert 7 * 86400 - 120 < cookie["expires"] - time.time() <= 7 * 86400  # Max-Age 7 days

    page.reload()
    expect(page.get_by_text("Logged in as")).to_be_visible()
    expect(page).to_have_title(landing.title)

    page.get_by_role("button", name="Log out").click()
    wait_idle(page)
    expect(page.get_by_text(LOGIN_HEADING)).to_be_visible()
    login_cookie(page, present=False)  # the server deleted it (scripts could not)
    page.context.add_cookies([{**cookie, "expires": -1}])  # a copy kept from before the logout
    page.reload()
    page.get_by_text(LOGIN_HEADING).wait_for()
    assert_no_data(page)


def test_a_forged_cookie_shows_the_login_form_without_a_traceback(app: Server, prepared: Prepared,
                                                                 page: Page) -> None:
    username, password = prepared.logins[Role.ADMIN]
    login(page, app, username, password)
    real = login_cookie(page)
    sid, version, expires, signature = real["value"].split(".")
    # a JWT with alg none naming the admin (the old cookie's shape), then our shape re-signed
    forged = ["eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJ1c2VybmFtZSI6ImFkbWluIn0.",
              f"{sid}.{version}.{int(expires) + 1}.{signature}", "%%%garbage%%%"]
    for value in forged:
        fresh = page.context.browser.new_context()
        try:
            other = fresh.new_page()
            fresh.add_cookies([{**real, "value": value}])
            other.goto(app.url())
            other.get_by_text(LOGIN_HEADING).wait_for()
            wait_idle(other)
            assert_no_data(other)
            expect(other.get_by_text("Traceback")).to_have_count(0)
            expect(other.get_by_text("Logged in as")).to_have_count(0)
        finally:
            fresh.close()


def test_a_link_opened_before_login_leads_to_its_page_after_login(app: Server, prepared: Prepared,
                                                                  page: Page) -> None:
    username, password = prepared.logins[Role.MANAGER]
    page.goto(app.url("customers?channel=chat"))
    page.get_by_text(LOGIN_HEADING).wait_for()
    assert_no_data(page)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Customers", exact=True)).to_be_visible()
    expect(page).to_have_title("Customers")


def test_a_link_to_a_forbidden_page_lands_on_the_role_s_own_page(app: Server, prepared: Prepared,
                                                                  page: Page) -> None:
    username, password = prepared.logins[Role.EXECUTIVE]
    page.goto(app.url("upload"))
    page.get_by_text(LOGIN_HEADING).wait_for()
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_title(access.page(SPEC_LANDING["executive"]).title)
    expect(page.get_by_text("Upload and batches")).to_have_count(0)


def test_first_start_on_an_empty_database(start_server, page: Page, tmp_path: Path) -> None:
    """Empty database, no credentials file: demo data appears and `admin` gets a random
    password printed once on the server console, which lets us in to see demo numbers."""
    server: Server = start_server(tmp_path / "fresh.duckdb", tmp_path / "credentials.yaml",
                                  warm=False)
    page.goto(server.url())
    page.get_by_text(LOGIN_HEADING).wait_for(timeout=90_000)  # builds the demo data first
    wait_idle(page)
    found = re.search(r"created user 'admin'.*\n\s+password: (\S+)", server.console())
    assert found, server.console()
    assert (tmp_path / "credentials.yaml").is_file()
    assert found.group(1) not in (tmp_path / "credentials.yaml").read_text()  # a hash only
    login(page, server, "admin", found.group(1))
    wait_idle(page)
    values = page.locator('[data-testid="stMetricValue"]')
    expect(values.first).to_be_visible()
    assert any(re.search(r"\d", v) for v in values.all_inner_texts())
