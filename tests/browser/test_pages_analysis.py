"""In Chromium: the Segments page flags the demo's planted-low channel (phone NPS) with a "lower"
badge, and clicking its dot opens the explorer on phone records only."""

from __future__ import annotations

import re

import pytest

from cx.domain import Role
from tests.browser.conftest import Prepared, Server
from tests.browser.steps import SLOW, choose_all_time, download_csv, log_in, open_page, shot

pytestmark = pytest.mark.timeout(300)


def centre_y(locator: object) -> float:
    box = locator.bounding_box()
    return box["y"] + box["height"] / 2


def test_phone_is_flagged_lower_and_drills_down(app: Server, prepared: Prepared,
                                                page: object) -> None:
    page.goto(app.url())
    log_in(page, prepared, Role.MANAGER)
    page.get_by_role("heading", name="Overview", exact=True).wait_for(timeout=SLOW)
    # All dates: at the browser suite's small demo scale, 90 days leave phone a low base.
    choose_all_time(page)
    page.locator(".js-plotly-plot .gtitle").filter(has_text="by week, all dates").wait_for(
        timeout=SLOW)  # the Overview's last chart: its run with all dates has finished
    open_page(page, "Segments")
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.locator(".scatterlayer .point").first.wait_for(timeout=SLOW)
    shot(page, "segments")

    phone_tick = chart.locator(".yaxislayer-above .ytick text").filter(has_text="phone")
    badge = chart.locator(".annotation-text").filter(has_text="lower")
    assert phone_tick.count() == 1 and badge.count() == 1
    phone_y = centre_y(phone_tick)
    assert abs(centre_y(badge) - phone_y) < 6  # the "lower" badge sits on phone's row
    # the reading names phone as lower (first, or after a segment with a smaller q)
    assert page.get_by_text(re.compile(r"phone NPS is lower|phone \(lower\)")).count() == 1

    points = chart.locator(".scatterlayer .point")
    phone_dot = min((points.nth(i) for i in range(points.count())),
                    key=lambda p: abs(centre_y(p) - phone_y))
    assert abs(centre_y(phone_dot) - phone_y) < 6
    phone_dot.click(force=True)

    page.get_by_role("heading", name="Verbatims and records", exact=True).wait_for(timeout=SLOW)
    banner = page.get_by_text("Records behind the chart point")
    banner.wait_for(timeout=SLOW)
    shot(page, "segments-drill-down")
    assert "channel = phone" in banner.inner_text()
    rows = download_csv(page)
    assert rows and {r["channel"] for r in rows} == {"phone"}


def test_drivers_page_draws_its_charts(app: Server, prepared: Prepared, page: object) -> None:
    page.goto(app.url())
    log_in(page, prepared, Role.ANALYST)
    page.get_by_text(re.compile(r"responses match")).wait_for(timeout=SLOW)  # landing page done
    open_page(page, "Drivers")
    page.get_by_role("heading", name="Key drivers", exact=True).wait_for(timeout=SLOW)  # below the fold
    quadrant = page.locator(".js-plotly-plot").filter(has_text="Importance vs performance")
    quadrant.wait_for(timeout=SLOW)
    shot(page, "drivers")
    # bins, per-channel coefficients, quadrant; each names its period in the title
    titles = page.locator(".js-plotly-plot .gtitle").all_text_contents()  # SVG: no innerText
    assert len(titles) == 3 and all("Nov 2026" in t or "all dates" in t for t in titles), titles
    assert quadrant.get_by_text("Issue resolved").count() == 1  # a driver by its readable name
