"""A real app in a real browser: Streamlit servers on free ports, Debian's Chromium via Playwright.

Fixtures for every browser test:
- `prepared` (session): a database with the demo data at small scale and one user per role,
  created through cx.auth.users (passwords random per run).
- `app` (module): a running server on a private copy of `prepared`.
- `start_server` (function): a factory for fresh servers (own files, own environment).
- `page` (function): a new browser context and page; a screenshot lands in the artifacts
  folder when the test fails.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cx.bench.pages import CHROMIUM_ARGS, free_port, healthy, streamlit_command
from cx.domain import Role
from cx.storage import Store
from tests.app.dashboard_fixtures import build_demo_files, role_logins

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("CX_TEST_ARTIFACTS", Path(tempfile.gettempdir()) / "cx-browser"))
STARTUP_SECONDS = 90.0
# Elements that would carry data; none may appear for a visitor who is not logged in.
DATA_SELECTORS = ('[data-testid="stMetric"]', '[data-testid="stDataFrame"]',
                  '[data-testid="stTable"]', '[data-testid="stPlotlyChart"]', ".js-plotly-plot",
                  '[data-testid="stVegaLiteChart"]', '[data-testid="stArrowVegaLiteChart"]')


def chromium_executable() -> str | None:
    """Debian's chromium first (what CI installs), else a browser `playwright install` fetched."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            bundled = p.chromium.executable_path
        return bundled if bundled and Path(bundled).is_file() else None
    except Exception:  # noqa: BLE001 - no playwright browser at all: the caller skips
        return None


@dataclass
class Prepared:
    folder: Path
    db: Path
    users_file: Path
    logins: dict[Role, tuple[str, str]]  # role -> (username, password)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Server:
    base_url: str
    db: Path
    users_file: Path
    log: Path
    process: subprocess.Popen

    def url(self, path: str = "") -> str:
        return f"{self.base_url}/{path}"

    def console(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _healthy(health_url: str) -> bool:
    """The health endpoint at `health_url` answers ok (kept for tests that poll it)."""
    return healthy(health_url.removesuffix("/_stcore/health"))


def launch(db: Path, users_file: Path, folder: Path, cookie_key: str | None = None,
           env: dict[str, str] | None = None, args: tuple[str, ...] = ()) -> Server:
    """Start `streamlit run app.py` with its own database, credentials and cookie key (plus
    `env` and Streamlit options `args`, e.g. the SSO test's own secrets file)."""
    port = free_port()
    env = {**os.environ, "CX_DB": str(db), "CX_USERS": str(users_file),
           "CX_COOKIE_KEY": cookie_key or secrets.token_urlsafe(32), "CX_TZ": "UTC",
           **(env or {})}
    log = folder / f"server-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen([*streamlit_command(port), *args], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", db, users_file, log, process)
    deadline = time.monotonic() + STARTUP_SECONDS
    while not healthy(server.base_url):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(server)
            raise RuntimeError(f"streamlit did not become healthy:\n{server.console()}")
        time.sleep(0.2)  # polling the health endpoint, not waiting on the UI
    return server


def stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@pytest.fixture(scope="session")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    """The AppTest suites' demo files (fixed seed and end date, so no number moves with today's
    date) and one login per role."""
    folder = tmp_path_factory.mktemp("prepared")
    files = build_demo_files(folder)
    return Prepared(folder, files.db, files.users_file, role_logins(),
                    Store(files.db).table_counts())


def copy_prepared(prepared: Prepared, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    db, users_file = folder / "cx.duckdb", folder / "credentials.yaml"
    shutil.copy2(prepared.db, db)
    shutil.copy2(prepared.users_file, users_file)
    return db, users_file


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = chromium_executable()
    if path is None:
        pytest.skip("no Chromium found: install Debian's `chromium` (CI does) or run "
                    "`playwright install chromium`")
    return path


@pytest.fixture(scope="package")
def browser(chromium_path: str) -> Iterator[object]:
    """Package scope, not session: Playwright's sync API marks an asyncio loop as running on the
    main thread while it is open, and every later test that runs a loop (asyncio.run, another
    sync_playwright) would fail beside it."""
    from playwright.sync_api import expect, sync_playwright

    # A cold server imports the whole app on its first request: allow for it in every expect().
    expect.set_options(timeout=60_000)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def warm_up(server: Server, browser: object, timeout: float = 90_000) -> None:
    """Open the login page once, so the first session of the process is over.

    Why: that first session starts in Streamlit's legacy pages/ mode and switches to
    st.navigation during its first run, and the switch re-mounts the login form once; text typed
    in that instant is lost. Later sessions do not have this (a real first visitor at most
    retypes). Tests that must see a cold server pass warm=False.
    """
    tab = browser.new_page()
    tab.set_default_timeout(timeout)  # a cold server under load (or on Spark) may take long
    try:
        tab.goto(server.url())
        tab.get_by_text("Log in to CX Lens").wait_for()
        tab.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for()
    finally:
        tab.close()


def warm_past_login(server: Server, browser: object, login: tuple[str, str]) -> None:
    """Log in once and let the landing page finish: the process has then imported every page
    module and opened the database, so a module's first test does not pay for it under its
    own time limits."""
    tab = browser.new_page()
    tab.set_default_timeout(90_000)
    try:
        tab.goto(server.url())
        tab.get_by_label("Username").fill(login[0])
        tab.get_by_label("Password", exact=True).fill(login[1])
        tab.get_by_role("button", name="Log in").click()
        tab.get_by_text("Logged in as").wait_for()
        tab.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for()
    finally:
        tab.close()


@pytest.fixture(scope="module")
def app(prepared: Prepared, tmp_path_factory: pytest.TempPathFactory,
        browser: object) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("app")
    db, users_file = copy_prepared(prepared, folder)
    server = launch(db, users_file, folder)
    try:
        warm_up(server, browser)
        warm_past_login(server, browser, prepared.logins[Role.MANAGER])
        yield server
    finally:
        stop(server)


@pytest.fixture
def start_server(tmp_path: Path, browser: object) -> Iterator[Callable[..., Server]]:
    """start_server(db, users_file, cookie_key=None, warm=True) -> a running Server."""
    started: list[Server] = []

    def _start(db: Path, users_file: Path, cookie_key: str | None = None,
               warm: bool = True) -> Server:
        server = launch(db, users_file, tmp_path, cookie_key)
        started.append(server)
        if warm:
            warm_up(server, browser)
        return server

    yield _start
    for server in started:
        stop(server)


BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A browser test that timed out waiting for the page, or whose locator met two copies of a
    widget mid-rerun, gets two more tries: a real Chromium on a busy 2-core machine sometimes
    misses a rerun. An assertion failure is never retried. CX_BROWSER_RERUNS=0 turns the retries
    off, to hunt for flaky steps under load."""
    reruns = int(os.environ.get("CX_BROWSER_RERUNS", "2"))
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.flaky(reruns=reruns, only_rerun=["TimeoutError", "strict mode violation"]))


# Every failed try of a browser test, retried or not, so a retry's cause shows in CI's log.
_FAILED_TRIES: list[str] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
    if report.failed and BROWSER_DIR in Path(str(item.path)).parents:
        crash = getattr(report.longrepr, "reprcrash", None)
        message = crash.message if crash is not None else str(report.longrepr)
        lines = [line.strip() for line in message.splitlines() if line.strip()]
        _FAILED_TRIES.append(f"{item.nodeid} ({report.when}): {' | '.join(lines[:4])[:400]}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _FAILED_TRIES:
        terminalreporter.section("failed browser tries (a timeout or strict-mode error is retried up to twice)")
        for line in _FAILED_TRIES:
            terminalreporter.write_line(line)


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"{request.node.name}.png".replace("/", "_")
        tab.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
    context.close()
