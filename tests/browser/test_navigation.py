"""Navigation in Chromium (issue 13's two bugs): a landing page's own URL draws once and rests;
the first request after a server start reaches the page through app.py (no legacy pages/ mode)."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cx.domain import Role
from tests.browser.conftest import Prepared, Server, copy_prepared
from tests.browser.steps import log_in, login_cookie, shot, wait_idle

pytestmark = pytest.mark.timeout(300)

IDLE_SECONDS = 3.0
# An idle app receives nothing; the endless rerun received hundreds of messages in this window.
MAX_IDLE_FRAMES = 5
# Server CPU seconds allowed in the idle window (the endless rerun used about half a core).
MAX_IDLE_CPU = 0.6 * IDLE_SECONDS / 2


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _assert_rests(page: Page, server: Server, frames: list[object]) -> None:
    """Once drawn, the page stays quiet: no message from the server, hardly any server CPU."""
    wait_idle(page)
    frames.clear()
    before = _cpu_seconds(server.process.pid)
    page.wait_for_timeout(IDLE_SECONDS * 1000)  # measuring an idle window is the point here
    used = _cpu_seconds(server.process.pid) - before
    assert len(frames) <= MAX_IDLE_FRAMES, f"{len(frames)} messages in {IDLE_SECONDS}s of idle"
    assert used <= MAX_IDLE_CPU, f"server used {used:.2f}s CPU in {IDLE_SECONDS}s of idle"


def _record_frames(page: Page) -> list[object]:
    frames: list[object] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: frames.append(frame)))
    return frames


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_the_landing_page_s_own_url_draws_its_charts_and_rests(
        role: Role, app: Server, prepared: Prepared, page: Page) -> None:
    frames = _record_frames(page)
    page.goto(app.url())
    log_in(page, prepared, role)
    # A bookmark of the landing page itself, opened in a new run with the login cookie.
    page.goto(app.url("overview?channel=chat"))
    expect(page.get_by_text(f"Role: {role.value}")).to_be_visible()
    expect(page.get_by_role("heading", name="Overview", exact=True)).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    _assert_rests(page, app, frames)
    assert "channel=chat" in page.url
    shot(page, f"overview-url-{role.value}")
    assert "not found" not in page.locator("body").inner_text().lower()


def test_a_link_to_the_landing_page_opened_before_login(app: Server, prepared: Prepared,
                                                        page: Page) -> None:
    frames = _record_frames(page)
    page.goto(app.url("overview"))
    log_in(page, prepared, Role.ADMIN)
    expect(page.get_by_role("heading", name="Overview", exact=True)).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    _assert_rests(page, app, frames)


def test_first_request_after_a_restart_opens_the_page_with_the_login_cookie(
        prepared: Prepared, start_server, browser: object, tmp_path: Path) -> None:
    """A user comes back to a bookmarked /tickets after the server restarted: their cookie is
    still valid (same cookie key), and the very first request of the new process shows the
    page, through app.py's navigation, not the raw pages/ files."""
    db, users_file = copy_prepared(prepared, tmp_path / "data")
    key = secrets.token_urlsafe(32)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)
    try:
        first: Server = start_server(db, users_file, cookie_key=key, warm=False)
        tab = context.new_page()
        tab.goto(first.url())
        log_in(tab, prepared, Role.MANAGER)
        login_cookie(tab)
        tab.close()
        first.process.terminate()
        first.process.wait(timeout=30)

        second: Server = start_server(db, users_file, cookie_key=key, warm=False)
        tab = context.new_page()
        tab.goto(second.url("tickets"))
        expect(tab.get_by_role("heading", name="Tickets", exact=True)).to_be_visible()
        expect(tab.get_by_text("Role: manager")).to_be_visible()
        wait_idle(tab)
        assert "No access" not in tab.locator('[data-testid="stApp"]').inner_text()
        nav = tab.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Tickets" in nav and "Overview" in nav
        # The legacy mode listed the files themselves: "app", "tickets", "users", …
        raw = [name for name in ("app", "tickets", "users", "upload")
               if re.search(rf"(?m)^{name}$", nav)]
        assert not raw, f"raw file names in the sidebar: {raw}\n{nav}"
    finally:
        context.close()
