"""What a user does in the browser, as small steps that wait on locators (never on sleeps)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import DATA_SELECTORS, Server

LOGIN_HEADING = "Log in to CX Lens"


def wait_idle(page: Page) -> None:
    """The script run has finished (Streamlit marks the app root with its run state)."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for()


def login(page: Page, server: Server, username: str, password: str) -> None:
    page.goto(server.url())
    page.get_by_text(LOGIN_HEADING).wait_for()
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Logged in as")).to_be_visible()


def assert_no_data(page: Page) -> None:
    """Login form or "No access", and nothing that could carry a number from the database."""
    expect(page.get_by_text(LOGIN_HEADING).or_(page.get_by_text("No access")).first
           ).to_be_visible()
    wait_idle(page)
    for selector in DATA_SELECTORS:
        assert page.locator(selector).count() == 0, f"{selector} shown on {page.url}"
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert not re.search(r"\d", text), f"a number is shown on {page.url}: {text!r}"
