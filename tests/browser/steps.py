"""What a user does in the browser, as small steps that wait on locators (never on sleeps).

One home for these steps, so every browser test logs in, navigates and downloads the same way.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from cx.domain import Role
from tests.browser.conftest import ARTIFACTS, DATA_SELECTORS, Prepared, Server

LOGIN_HEADING = "Log in to CX Lens"
SLOW = 90_000  # ms: analyses on a shared 2-core machine can take a while on a cold server


# True once the script run has finished, no element of an earlier run is still on the page
# (Streamlit keeps those, marked stale, until the run ends; two copies of a widget then match
# one locator) and both have held for QUIET_POLLS polls in a row. The quiet window covers the
# moment between a click and the server's "running" reply, when the page still looks idle.
QUIET_POLLS = 5
_SETTLED = """polls => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app !== null && app.dataset.testScriptState === 'notRunning'
    && document.querySelector('[data-testid="stElementContainer"][data-stale="true"]') === null;
  window.__cxQuiet = idle ? (window.__cxQuiet || 0) + 1 : 0;
  return window.__cxQuiet >= polls;
}"""


def wait_idle(page: Page, timeout: float = SLOW) -> None:
    """The app has settled: its script run finished and the page stayed that way a moment."""
    page.evaluate("() => { window.__cxQuiet = 0; }")
    page.wait_for_function(_SETTLED, arg=QUIET_POLLS, polling=100, timeout=timeout)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"pages-{name}.png"), full_page=True)


def login(page: Page, server: Server, username: str, password: str) -> None:
    page.goto(server.url())
    page.get_by_text(LOGIN_HEADING).wait_for()
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Logged in as")).to_be_visible()


def log_in(page: Page, prepared: Prepared, role: Role, landing_timeout: float = SLOW) -> None:
    """Log in as the prepared user of `role` on the page already open, and wait for the
    landing page to finish its run (up to `landing_timeout` ms); the form is filled again if a
    rerun re-mounted it."""
    name, password = prepared.logins[role]
    signed_in = page.get_by_text(f"Role: {role.value}")
    button = page.get_by_role("button", name="Log in")
    for _ in range(3):
        # A slow but successful click leaves no form to fill: stop as soon as we are in.
        signed_in.or_(button).first.wait_for()
        if signed_in.count():
            break
        page.get_by_label("Username").fill(name)
        page.get_by_label("Password", exact=True).fill(password)
        button.click()
        try:
            signed_in.wait_for(timeout=15_000)
            break
        except PlaywrightTimeout:
            continue
    signed_in.wait_for()
    wait_idle(page, landing_timeout)


def act_until(page: Page, act: object, target: object, tries: int) -> None:
    """Do ``act`` once the current run has finished, until ``target`` shows: an action during a
    run (a click, a dropped file) can be lost to its rerun, so it is done again."""
    for _ in range(tries):
        wait_idle(page)
        act()  # type: ignore[operator]
        try:
            target.wait_for(timeout=SLOW / tries)  # type: ignore[attr-defined]
            break
        except PlaywrightTimeout:
            continue
    target.wait_for(timeout=SLOW)  # type: ignore[attr-defined]


def open_page(page: Page, title: str) -> None:
    """Through the sidebar, as a user would; clicked again if the page did not change."""
    nav = page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True)
    act_until(page, nav.click, page.get_by_role("heading", name=title, exact=True), 3)


def drop_file(page: Page, path: Path) -> None:
    """Give the Upload page's file uploader a file and wait for its mapping."""
    dropzone = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    act_until(page, lambda: dropzone.set_input_files(str(path)),
              page.get_by_role("heading", name="Mapping", exact=True), 2)
    wait_idle(page)


def explorer_all_time(page: Page, prepared: Prepared) -> object:
    """As an analyst (who lands on the explorer), all dates chosen: the "N responses match"
    caption, whose number the explorer's downloads must agree with."""
    log_in(page, prepared, Role.ANALYST)
    page.get_by_role("heading", name="Verbatims and records", exact=True).wait_for()
    choose_all_time(page)
    return page.get_by_text(re.compile(r"responses match \(all dates\)"))


def sidebar_channel(page: Page) -> object:
    return page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has_text="Channel")


def choose_channel(page: Page, value: str) -> None:
    box = sidebar_channel(page)
    box.locator("input").click()
    page.get_by_role("option", name=value, exact=True).click()
    page.keyboard.press("Escape")
    wait_idle(page)


def choose_all_time(page: Page) -> None:
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="All time").click()
    wait_idle(page)


def download_csv(page: Page, button_index: int = 0) -> list[dict[str, str]]:
    """The CSV behind a download button, once the run has finished (mid-run, the button may
    still carry the previous run's data)."""
    wait_idle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").nth(button_index).click()
    text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def assert_no_data(page: Page) -> None:
    """Login form or "No access", and nothing that could carry a number from the database."""
    expect(page.get_by_text(LOGIN_HEADING).or_(page.get_by_text("No access")).first
           ).to_be_visible()
    wait_idle(page)
    for selector in DATA_SELECTORS:
        assert page.locator(selector).count() == 0, f"{selector} shown on {page.url}"
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert not re.search(r"\d", text), f"a number is shown on {page.url}: {text!r}"


def login_cookie(page: Page, present: bool = True) -> dict | None:
    """The login cookie as the browser holds it, once it is there (or gone, if not `present`).

    Polled through Playwright, not document.cookie: the cookie is HttpOnly, scripts never see
    it. It arrives from the server a moment after the login shows."""
    for _ in range(100):
        found = next((c for c in page.context.cookies()
                      if c["name"].startswith("cx_lens_auth_")), None)
        if (found is not None) == present:
            return found
        page.wait_for_timeout(100)  # polls a state no locator can see
    raise AssertionError(f"the login cookie is {'missing' if present else 'still there'}")
