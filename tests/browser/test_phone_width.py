"""The snapshot fits a phone (issue 11, item 6): at 390 px wide neither the exported HTML nor
the snapshot page scrolls sideways (wide tables scroll inside their own box)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cx.domain import Role
from tests.browser.conftest import Prepared, Server, copy_prepared
from tests.browser.test_snapshot import _snapshot_cli
from tests.browser.steps import log_in, wait_idle

pytestmark = pytest.mark.timeout(400)
PHONE = {"width": 390, "height": 844}
WIDTH = "() => [document.documentElement.scrollWidth, document.body.scrollWidth]"


def test_exported_html_fits_a_phone(prepared: Prepared, browser: object, tmp_path: Path) -> None:
    db, _ = copy_prepared(prepared, tmp_path / "data")
    out = tmp_path / "report.html"
    done = _snapshot_cli(db, "--out", str(out))
    assert done.returncode == 0, done.stderr
    context = browser.new_context(viewport=PHONE, offline=True)
    try:
        page = context.new_page()
        page.goto(out.as_uri())
        expect(page.locator("#kpis")).to_be_attached()
        assert max(page.evaluate(WIDTH)) <= PHONE["width"]
        for chart in page.locator("svg.cx-chart").all():
            box = chart.bounding_box()
            assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    finally:
        context.close()


def test_snapshot_page_fits_a_phone(app: Server, prepared: Prepared, browser: object) -> None:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(60_000)
    try:
        page = context.new_page()
        page.goto(app.url())
        log_in(page, prepared, Role.EXECUTIVE)
        expect(page.get_by_text("Frozen")).to_be_visible(timeout=180_000)
        page.locator(".js-plotly-plot").first.wait_for()
        wait_idle(page)
        assert max(page.evaluate(WIDTH)) <= PHONE["width"]
    finally:
        context.close()
