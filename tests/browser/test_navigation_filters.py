"""Filters in Chromium (issue 11 item 5): a shared link with a custom date range, opened before
login, shows in the sidebar exactly the view the charts use, and keeps it on the next change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cx.domain import Role
from tests.browser.conftest import Prepared, Server
from tests.browser.steps import LOGIN_HEADING, choose_channel, log_in, shot, sidebar_channel, wait_idle

pytestmark = pytest.mark.timeout(300)

# Inside the demo data (its last day is 22 Nov 2026), far from the default "last 90 days".
LINK = "tickets?preset=custom&from=2026-09-01&to=2026-09-30&channel=chat"
PERIOD = "01 Sep 2026 – 30 Sep 2026"


def _sidebar(page: Page) -> object:
    return page.locator('[data-testid="stSidebar"]')


def _assert_view(page: Page, channels: list[str]) -> None:
    """Sidebar, page caption and URL all say: custom dates in September, these channels."""
    sidebar = _sidebar(page)
    expect(sidebar.get_by_role("combobox", name="Dates")).to_have_value("Custom")
    dates = sidebar.locator('[data-testid="stDateInput"] input[type="date"]')
    expect(dates.first).to_have_value("2026-09-01")
    expect(dates.last).to_have_value("2026-09-30")
    for channel in channels:
        expect(sidebar_channel(page).get_by_text(channel, exact=True)).to_be_visible()
    expect(page.get_by_text(f"Tickets opened {PERIOD}.", exact=False)).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_contain_text(PERIOD)
    expect(page).to_have_url(re.compile(r"preset=custom&from=2026-09-01&to=2026-09-30"))


def test_a_shared_custom_range_link_survives_login_and_the_next_change(
        app: Server, prepared: Prepared, page: Page) -> None:
    page.goto(app.url(LINK))
    page.get_by_text(LOGIN_HEADING).wait_for()
    log_in(page, prepared, Role.MANAGER)
    expect(page.get_by_role("heading", name="Tickets", exact=True)).to_be_visible()
    wait_idle(page)
    shot(page, "custom-link-after-login")
    _assert_view(page, ["chat"])

    choose_channel(page, "email")  # the next change keeps the dates and the first channel
    shot(page, "custom-link-next-change")
    _assert_view(page, ["chat", "email"])
    expect(page).to_have_url(re.compile(r"channel=chat&channel=email"))
