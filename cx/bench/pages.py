"""`python -m cx bench pages`: every page in a real Chromium, as each role, cold and warm.

A real server (`streamlit run app.py`) on generated demo data, one browser context per role: log
in, then open each of the role's pages through the sidebar twice (first visit of the session,
then again after another page). A visit is timed from the click to the app being idle: its run
finished, no element of an earlier run left, and both held for a quiet window (the window itself
is not counted). Playwright is imported only here, and only when this runs.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cx.auth import access, users
from cx.domain import Role

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
QUIET_MS = 500  # idle this long in a row counts as done
TIMEOUT_MS = 300_000
# The moment the app became idle, once it has stayed so for QUIET_MS (performance.now() clock).
_IDLE_SINCE = """quiet => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app !== null && app.dataset.testScriptState === 'notRunning'
    && document.querySelector('[data-testid="stElementContainer"][data-stale="true"]') === null;
  const now = performance.now();
  if (!idle) { window.__cxIdleSince = null; return null; }
  if (window.__cxIdleSince == null) window.__cxIdleSince = now;
  return now - window.__cxIdleSince >= quiet ? window.__cxIdleSince : null;
}"""


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise RuntimeError("no Chromium found: install Debian's `chromium` package")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    """True once the server at `url` answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except OSError:
        return False


def streamlit_command(port: int) -> list[str]:
    """`streamlit run app.py` headless on 127.0.0.1:`port`, no telemetry, no file watcher."""
    return [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
            "--server.port", str(port), "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]


@contextmanager
def running_server(db: Path, users_file: Path, log: Path) -> Iterator[Server]:
    """`streamlit run app.py` on its own port and files; stopped on exit."""
    port = free_port()
    env = {**os.environ, "CX_DB": str(db), "CX_USERS": str(users_file),
           "CX_COOKIE_KEY": secrets.token_urlsafe(32)}
    with log.open("w") as out:
        process = subprocess.Popen(streamlit_command(port), cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + 120
        while not healthy(server.url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start; its log: {log}")
            time.sleep(0.1)  # polling the health endpoint
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def bench_logins(users_file: Path) -> dict[Role, tuple[str, str]]:
    """One throw-away user per role, with a random password."""
    logins = {role: (f"bench-{role.value}", secrets.token_urlsafe(16)) for role in Role}
    for role, (name, password) in logins.items():
        users.add_user(users_file, name, role, password)
    return logins


def _idle_after(page: Any, started: float) -> float:
    """Seconds from `started` (performance.now() ms) until the app became idle for good."""
    page.evaluate("() => { window.__cxIdleSince = null; }")
    handle = page.wait_for_function(_IDLE_SINCE, arg=QUIET_MS, polling=50, timeout=TIMEOUT_MS)
    return round((handle.json_value() - started) / 1000, 3)


def _now(page: Any) -> float:
    return page.evaluate("() => performance.now()")


def _stat(pid: int | str) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (Linux), or None when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def server_cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system, every thread) the server process has used so far (Linux)."""
    fields = _stat(pid)
    return None if fields is None else (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def browser_cpu_seconds(server_pid: int | None) -> float:
    """CPU time used so far by every process this one started except the server: Chromium's
    processes (browser, renderers, GPU) and Playwright's driver (Linux)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(entry.name)) is not None:
            parents[int(entry.name)] = int(fields[1])
    total = 0.0
    for pid in parents:
        chain, up = [], parents.get(pid)
        while up not in (None, 0, 1, os.getpid()) and up not in chain:
            chain.append(up)
            up = parents.get(up)
        if up == os.getpid() and server_pid not in (pid, *chain):
            total += server_cpu_seconds(pid) or 0.0
    return total


@dataclass
class Meter:
    """CPU used during one visit, beside its wall time, because on a shared machine the wall
    time moves with other people's load: the server process's CPU seconds, and the browser's
    (every Chromium process: scripts, layout and painting of the charts)."""

    server_pid: int | None
    _start: tuple[float | None, float] = (None, 0.0)

    def start(self) -> None:
        self._start = (server_cpu_seconds(self.server_pid) if self.server_pid else None,
                       browser_cpu_seconds(self.server_pid))

    def used(self) -> dict[str, float | None]:
        server = server_cpu_seconds(self.server_pid) if self.server_pid else None
        before = self._start[0]
        return {"server_cpu": None if server is None or before is None
                else round(server - before, 3),
                "browser_cpu": round(browser_cpu_seconds(self.server_pid) - self._start[1], 3)}


def _log_in(page: Any, url: str, login: tuple[str, str], meter: Meter) -> dict[str, Any]:
    """Log in on the root page; seconds from the click to the landing page idle, and CPU."""
    page.goto(url)
    page.get_by_label("Username").fill(login[0])
    page.get_by_label("Password", exact=True).fill(login[1])
    meter.start()
    started = _now(page)
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("Logged in as").wait_for(timeout=TIMEOUT_MS)
    return {"seconds": _idle_after(page, started), **meter.used()}


def first_login(browser: Any, url: str, login: tuple[str, str]) -> float:
    """Seconds from the login click to the landing page idle, for the first visitor of a
    server that has just drawn its login page (its warm-up may still be running)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        return _log_in(context.new_page(), url, login, Meter(None))["seconds"]
    finally:
        context.close()


def warm_up_seconds(log: Path, timeout: float = 900) -> float | None:
    """Wait for the server's warm-up to end (cx.ui.server_start logs it), so the per-role
    visits time a started server, not one still warming up; its seconds, None if it failed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        found = re.search(r"CX Lens warmed up in ([0-9.]+) s", text)
        if found:
            return float(found.group(1))
        if "warm-up failed" in text:
            return None
        time.sleep(0.5)  # polling the server's log
    raise RuntimeError(f"the server's warm-up did not end within {timeout:.0f} s; see {log}")


def _visit(page: Any, title: str, meter: Meter) -> dict[str, Any]:
    """Click the page in the sidebar; seconds until its heading is shown and the app is idle,
    and the CPU the visit used."""
    meter.start()
    started = _now(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=TIMEOUT_MS)
    return {"seconds": _idle_after(page, started), **meter.used()}


def role_pages(browser: Any, url: str, role: Role, login: tuple[str, str],
               server_pid: int | None = None) -> dict[str, Any]:
    """The login and every page of `role`: cold (first visit of the session; the landing page's
    is the login itself) then warm (second visit, arriving from another page). Per visit:
    `{cold,warm}_seconds`, and its `_server_cpu` and `_browser_cpu` seconds (Meter)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        meter = Meter(server_pid)
        logged_in = _log_in(page, url, login, meter)
        specs = access.pages_for([role])
        landing = access.landing_page([role], [s.name for s in specs])
        pages: dict[str, dict[str, float | None]] = {s.name: {} for s in specs}
        for visit in ("cold", "warm"):
            for spec in specs:
                first_landing = visit == "cold" and spec == landing
                timed = logged_in if first_landing else _visit(page, spec.title, meter)
                pages[spec.name].update({f"{visit}_{k}": v for k, v in timed.items()})
        return {"login_seconds": logged_in["seconds"],
                "landing": landing.name if landing else None, "pages": pages}
    finally:
        context.close()


def _rss_mb(pid: int) -> float | None:
    """Resident memory of the server process (Linux /proc), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def page_benchmark(db: Path, users_file: Path, workdir: Path,
                   roles: list[Role] | None = None) -> dict[str, Any]:
    """Start a server on `db`, then every role's pages in Chromium; the per-page JSON."""
    from playwright.sync_api import sync_playwright  # the only place the core needs it

    logins = bench_logins(users_file)
    with sync_playwright() as p:
        # The browser starts first: a visitor's browser is already open, so server start to the
        # login page drawn must not include Chromium's own start (1 to 2 s here).
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            first = browser.new_page()
            started = time.perf_counter()
            with running_server(db, users_file, workdir / "server.log") as server:
                healthy = round(time.perf_counter() - started, 3)
                first.goto(server.url)
                first.get_by_text("Log in to CX Lens").wait_for(timeout=TIMEOUT_MS)
                first_page = round(time.perf_counter() - started, 3)
                first.close()
                start_cpu = server_cpu_seconds(server.process.pid)
                wanted = roles or list(Role)
                very_first = first_login(browser, server.url, logins[wanted[0]])
                warmed = warm_up_seconds(workdir / "server.log")
                timed = {role.value: role_pages(browser, server.url, role, logins[role],
                                                server.process.pid)
                         for role in wanted}
                rss = _rss_mb(server.process.pid)
        finally:
            browser.close()
    return {"server_healthy_seconds": healthy, "first_page_seconds": first_page,
            "first_page_server_cpu": start_cpu, "first_login_seconds": very_first,
            "warm_up_seconds": warmed, "roles": timed, "server_rss_mb": rss}
