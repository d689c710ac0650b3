"""In Chromium: sidebar filters persist across pages and in a copied URL, a chart point drills
down to its records, and a table's CSV download holds its rows with formulas neutralised."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cx.domain import Role
from tests.browser.conftest import Prepared, Server
from tests.browser.steps import (
    choose_channel,
    download_csv,
    explorer_all_time,
    log_in,
    open_page,
    shot,
    sidebar_channel,
)

pytestmark = pytest.mark.timeout(300)


def test_filter_kept_across_pages_and_in_copied_url(app: Server, prepared: Prepared,
                                                    page: object, browser: object) -> None:
    page.goto(app.url())
    log_in(page, prepared, Role.MANAGER)
    page.get_by_role("heading", name="Overview", exact=True).wait_for()
    choose_channel(page, "chat")
    page.wait_for_url(re.compile(r"channel=chat"))
    page.locator(".js-plotly-plot").first.wait_for()
    shot(page, "overview-chat")

    open_page(page, "Tickets")
    page.wait_for_url(re.compile(r"/tickets\?.*channel=chat"))
    assert sidebar_channel(page).get_by_text("chat", exact=True).count() == 1
    shot(page, "tickets-chat")

    copied = page.url
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    other.set_default_timeout(60_000)
    try:
        fresh = other.new_page()
        fresh.goto(app.url())
        log_in(fresh, prepared, Role.MANAGER)  # then open the link, as a colleague would
        fresh.goto(copied)
        try:
            # The session restores the login from its cookie and opens the linked page, with
            # the link's filter.
            fresh.get_by_text("Role: manager").wait_for()
            fresh.get_by_role("heading", name="Tickets", exact=True).wait_for()
            sidebar_channel(fresh).get_by_text("chat", exact=True).wait_for()
            fresh.wait_for_url(re.compile(r"/tickets\?.*channel=chat"))
        finally:
            shot(fresh, "copied-url")
    finally:
        other.close()


def test_chart_point_drills_down_to_its_records(app: Server, prepared: Prepared,
                                                page: object) -> None:
    page.goto(app.url())
    log_in(page, prepared, Role.MANAGER)
    open_page(page, "Tickets")
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    point = chart.locator(".scatterlayer .point").first
    point.wait_for()
    names = [t.text_content() for t in chart.locator(".yaxislayer-above .ytick text").all()]
    # ci_bars ranks by lower bound; the first y tick is the first point drawn
    point.click(force=True)
    page.get_by_role("heading", name="Verbatims and records", exact=True).wait_for()
    page.get_by_text("Records behind the chart point").wait_for()
    shot(page, "drill-down")
    banner = page.get_by_text("Records behind the chart point").inner_text()
    channel = re.search(r"channel = ([^;,.]+)", banner).group(1).strip()
    assert channel in names
    rows = download_csv(page)
    assert rows and {r["channel"] for r in rows} == {channel}


def test_table_csv_download_neutralises_formulas(app: Server, prepared: Prepared,
                                                 page: object) -> None:
    page.goto(app.url())
    caption = explorer_all_time(page, prepared)
    before = caption.inner_text()
    search = page.get_by_placeholder("words in comments, ids, agent names")
    search.fill("=")
    search.press("Enter")
    expect(caption).not_to_have_text(before)  # the search has been applied
    total = int(re.match(r"([\d,]+) responses match", caption.inner_text()).group(1)
                .replace(",", ""))
    rows = download_csv(page)
    shot(page, "csv-download")
    assert len(rows) == min(total, 50) > 0
    formulas = [r["comment"] for r in rows if r["comment"].lstrip("'").startswith("=")]
    assert formulas and all(c.startswith("'=") for c in formulas)
