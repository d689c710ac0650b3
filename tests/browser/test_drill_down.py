"""In Chromium, as every role in turn on one server: every clickable chart the role sees is
clicked; where the role may open the records the explorer opens on the point, otherwise the page
stays as it was; no click ever shows a traceback or an error id. A drill-down URL's text is
shown as text: no link, no image."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from cx.auth import access
from cx.domain import Role
from tests.browser.conftest import Prepared, Server
from tests.browser.steps import SLOW, log_in, open_page, wait_idle

pytestmark = pytest.mark.timeout(900)

# Page title -> the titles (a distinctive part) of its charts whose points open records.
CLICKABLE = {
    "Overview": ("by week",),
    "Segments": ("ranked by lower bound",),
    "Drivers": ("within each",),
    "Tickets": ("First response time, median by", "Time to resolution, median by",
                "Resolved within 24 h by"),
    "Customers": ("Churn rate by",),
}
EXPLORER = access.page("explorer")


def assert_no_error(page: Page, where: str) -> None:
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0, where
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert "Traceback" not in text and "error id" not in text, (where, text[:2000])


def click_first_point(page: Page, title: str) -> None:
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(
        has=page.locator(".gtitle", has_text=title))
    point = chart.locator(".scatterlayer .point").first
    point.wait_for(timeout=SLOW)
    point.click(force=True)


def test_every_clickable_chart_as_every_role(app: Server, prepared: Prepared,
                                            browser: object) -> None:
    clicks = 0
    for role in Role:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(60_000)
        page = context.new_page()
        try:
            page.goto(app.url())
            log_in(page, prepared, role)
            may_drill = role in EXPLORER.roles
            for spec in access.pages_for({role}):
                for title in CLICKABLE.get(spec.title, ()):
                    open_page(page, spec.title)
                    if not may_drill:
                        assert page.get_by_text("Click a week").count() == 0
                    click_first_point(page, title)
                    clicks += 1
                    where = f"{role.value} on {spec.title}, chart {title!r}"
                    if may_drill:
                        page.get_by_role("heading", name=EXPLORER.title, exact=True).wait_for(
                            timeout=SLOW)
                        expect(page.get_by_text("Records behind the chart point")).to_be_visible()
                    else:
                        assert_no_error(page, where)
                        expect(page.get_by_role("heading", name=spec.title, exact=True)
                               ).to_be_visible()
                    assert_no_error(page, where)
        finally:
            context.close()
    assert clicks == 1 + 3 * 7  # executive: the Overview trend; others: every chart above


def test_drill_down_url_text_is_not_rendered(app: Server, prepared: Prepared,
                                             page: Page) -> None:
    page.goto(app.url())
    # A manager: an analyst's link to the explorer, their landing page, never finishes its run
    # (cx.ui.navigation.open_requested_page compares with the default page's url_path "").
    log_in(page, prepared, Role.MANAGER)
    query = urlencode({"drill_table": "responses",
                       "drill_f_channel": "[link](http://x.invalid/a) ![img](http://x.invalid/i.png)",
                       "drill_f_**bold**": "1"})
    page.goto(app.url(f"explorer?{query}"))
    page.get_by_role("heading", name=EXPLORER.title, exact=True).wait_for(timeout=SLOW)
    page.get_by_text("The link asks for responses by **bold**").wait_for(timeout=SLOW)
    assert_no_error(page, "explorer with a crafted drill-down")
    main = page.locator('[data-testid="stMain"]')
    assert main.locator('a[href^="http://x.invalid"]').count() == 0
    assert main.locator('img[src^="http://x.invalid"]').count() == 0
    assert main.locator("strong", has_text="bold").count() == 0
