"""In Chromium: the Verbatims page draws the theme x NPS-group chart, names the planted emerging
theme, lists a theme's newest comments as plain text, exports all of them as CSV, and narrows
to the sidebar's theme filter."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cx.domain import Role
from cx.storage import Store
from tests.app.dashboard_fixtures import add_role_users, role_logins
from tests.browser.steps import SLOW, act_until, download_csv, login, open_page, shot, wait_idle
from tests.text_rows import WEEK_B, Said, planted_rows, write_said

pytestmark = pytest.mark.timeout(300)
TRAP = "<b>late</b> again & [click](http://example.com)"


def open_verbatims(tmp_path: Path, start_server: object, page: object, rows: list[Said],
                   role: Role) -> object:
    """A server on the planted rows, logged in as ``role``, on the Verbatims page once its
    first chart is drawn; returns that chart."""
    db, users_file = tmp_path / "cx.duckdb", tmp_path / "credentials.yaml"
    write_said(Store(db), rows)
    add_role_users(users_file)
    login(page, start_server(db, users_file), *role_logins()[role])
    open_page(page, "Verbatims: themes")
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.locator(".barlayer .point").first.wait_for(timeout=SLOW)
    return chart


def test_verbatims_page(tmp_path: Path, start_server: object, page: object) -> None:
    newest = Said("T1", 1, WEEK_B + dt.timedelta(days=1), TRAP, ("delivery",), -0.5, "negative")
    chart = open_verbatims(tmp_path, start_server, page, planted_rows() + [newest], Role.MANAGER)
    ticks = [t.text_content() for t in chart.locator(".yaxislayer-above .ytick text").all()]
    assert set(ticks) == {"delivery", "price", "staff"}
    # 3 themes x 3 groups, zero-length bars included: detractors 81 of 141 mention delivery
    assert chart.locator(".barlayer .point").count() == 9
    page.get_by_text("delivery grew significantly").wait_for(timeout=SLOW)
    page.get_by_text("81 comments mention delivery").wait_for(timeout=SLOW)
    shot(page, "verbatims")

    # the newest comment, exactly as typed: no bold element, no link
    page.get_by_text(TRAP, exact=True).wait_for(timeout=SLOW)
    assert page.locator("b", has_text="late").count() == 0
    assert page.locator('a[href="http://example.com"]').count() == 0

    wait_idle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="All 81 as CSV").click()
    text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 81 and rows[0]["comment"] == TRAP  # newest first, as shown
    assert {r["response_id"][0] for r in rows} <= {"A", "B", "T"}

    # the sidebar's theme filter: the page (and the link) keep comments mentioning price
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has_text="Comments mentioning any of")
    price = page.get_by_role("option", name="price", exact=True)
    act_until(page, box.locator("input").click, price, 3)  # a rerun may close the list
    price.click()
    page.keyboard.press("Escape")
    page.get_by_text("70 comments mention price").wait_for(timeout=SLOW)
    expect(page).to_have_url(re.compile(r"theme=price"))


def test_theme_edit_changes_the_chart(tmp_path: Path, start_server: object,
                                      page: object) -> None:
    # The dictionary and the re-analysis are cx.text's (the text features' branch): without
    # them the page has no editor, and there is nothing to test here.
    pytest.importorskip("cx.text.service", reason="cx.text.service (theme dictionary) absent")
    chart = open_verbatims(tmp_path, start_server, page, planted_rows(), Role.ANALYST)
    ticks = chart.locator(".yaxislayer-above .ytick text")
    assert "courtesy" not in [t.text_content() for t in ticks.all()]

    wait_idle(page)
    page.get_by_text("Edit a theme (analysts and admins)").click()
    page.get_by_role("textbox", name="Theme name", exact=True).fill("courtesy")
    page.get_by_role("textbox", name="Keywords or phrases, separated by commas").fill(
        "good service")
    page.get_by_role("button", name="Add and re-analyse the comments").click()
    page.get_by_text("comments re-analysed").wait_for(timeout=SLOW)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.locator(".yaxislayer-above .ytick text").filter(has_text="courtesy").wait_for(
        timeout=SLOW)
    shot(page, "verbatims-theme-edit")
    # "good service overall" (no planted theme): 100 passives and 80 promoters now mention it
    rows = {(r["theme"], r["group"]): r for r in download_csv(page, 0)}
    assert int(rows[("courtesy", "passives")]["mentions"]) == 100
    assert int(rows[("courtesy", "promoters")]["mentions"]) == 80
    assert int(rows[("courtesy", "detractors")]["mentions"]) == 0
