"""Uploaded text is shown as text in the browser (issue 12, item 4): a link, bold text or an
image inside a category value or a column header never becomes a link, bold text or an image on
Overview, Segments, the records explorer or the snapshot page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cx.domain import Role
from cx.storage import Store
from tests.browser.conftest import Prepared, copy_prepared
from tests.browser.steps import log_in, open_page, shot, wait_idle

pytestmark = pytest.mark.timeout(600)

LINK = '<a href="http://evil">x</a>'
# Each demo channel becomes a payload; the driver "Issue resolved" gets a hostile header.
CHANNELS = {"chat": LINK, "email": "<b>b</b>", "phone": "<img src=x>", "social": ":red[x]",
            "self-service": "[l](http://e)"}
HEADER = 'Resolved :red[alarm] <b>bold</b> <a href="http://evil">go</a> <img src=x>'


def _payload_db(prepared: Prepared, folder: Path) -> tuple[Path, Path]:
    """The demo data as if its file had carried these values: channels and one header."""
    db, users_file = copy_prepared(prepared, folder)
    store = Store(db)
    with store.transaction() as cur:
        for table in ("responses", "tickets"):
            for old, new in CHANNELS.items():
                cur.execute(f"UPDATE {table} SET channel = ? WHERE channel = ?", [new, old])
        cur.execute("UPDATE field_catalog SET source_header = ? WHERE field = ?",
                    [HEADER, "rating_resolution"])
    return db, users_file


def _assert_inert(page: Page, where: str) -> None:
    wait_idle(page)
    assert page.locator("a[href*=evil]").count() == 0, f"a live link from data on {where}"
    assert page.locator('img[src="x"]').count() == 0, f"an image from data on {where}"
    bold = page.locator("b, strong, tspan[style*=bold]").filter(has_text="b")
    texts = [t for t in bold.all_text_contents() if t.strip() in ("b", "bold")]
    assert texts == [], f"bold text from data on {where}: {texts}"
    red = page.locator('[data-testid="stMarkdownContainer"] span[style*="color"]')
    assert [t for t in red.all_text_contents() if t.strip() in ("x", "alarm")] == []


def test_payload_values_render_as_typed(prepared: Prepared, start_server: object,
                                        page: Page, tmp_path: Path) -> None:
    db, users_file = _payload_db(prepared, tmp_path / "data")
    server = start_server(db, users_file)
    page.goto(server.url())
    log_in(page, prepared, Role.ANALYST)

    open_page(page, "Overview")
    page.locator(".js-plotly-plot").first.wait_for()
    _assert_inert(page, "Overview")

    open_page(page, "Segments")
    ticks = page.locator(".js-plotly-plot .ytick text")
    ticks.first.wait_for()
    _assert_inert(page, "Segments")
    shown = set(ticks.all_text_contents())
    assert {LINK, "<b>b</b>", "<img src=x>"} <= shown, shown  # the characters typed
    shot(page, "inert-segments")

    open_page(page, "Verbatims and records")
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    _assert_inert(page, "the records explorer")

    open_page(page, "Weekly snapshot")
    expect(page.get_by_text("Frozen")).to_be_visible(timeout=180_000)
    _assert_inert(page, "the snapshot page")
    headlines = page.locator('[data-testid="stMarkdownContainer"] li')
    assert any(HEADER in t for t in headlines.all_inner_texts()), headlines.all_inner_texts()
    shot(page, "inert-snapshot")
