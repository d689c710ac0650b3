"""Snapshots in a real browser: the exported HTML opens offline with every chart, and the
`snapshot` command runs while the app is serving (and the app keeps answering)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cx.domain import Role
from cx.storage import Store
from tests.browser.conftest import ROOT, Prepared, Server, _healthy, copy_prepared
from tests.browser.steps import login, login_cookie, wait_idle

pytestmark = pytest.mark.browser


def _snapshot_cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CX_DB": str(db), "CX_TZ": "UTC"}
    return subprocess.run([sys.executable, "-m", "cx", "snapshot", "--json", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300, check=False)


def test_html_export_opens_offline_with_every_chart(prepared: Prepared, browser: object,
                                                    tmp_path: Path) -> None:
    db, _ = copy_prepared(prepared, tmp_path / "data")
    out = tmp_path / "report.html"
    done = _snapshot_cli(db, "--out", str(out))
    assert done.returncode == 0, done.stderr
    context = browser.new_context(offline=True)  # no network at all
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    try:
        page = context.new_page()
        page.goto(out.as_uri())
        charts = page.locator("svg.cx-chart")
        expect(charts).to_have_count(9)  # eight headline metrics and CSAT's p-chart
        for i in range(9):
            box = charts.nth(i).bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 100
            # each chart draws its series: at least one point or line
            assert charts.nth(i).locator("circle, polyline").count() > 0
        expect(page.locator("#kpis tr")).to_have_count(9)  # header + eight metrics
        expect(page.locator("#headlines li").first).to_be_visible()
    finally:
        context.close()
    assert requests == [out.as_uri()]  # the file itself, nothing else


def test_snapshot_command_while_the_app_serves(app: Server, prepared: Prepared,
                                              page: Page) -> None:
    username, password = prepared.logins[Role.EXECUTIVE]
    cli = subprocess.Popen([sys.executable, "-m", "cx", "snapshot", "--json"], cwd=ROOT,
                           env={**os.environ, "CX_DB": str(app.db), "CX_TZ": "UTC"},
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # meanwhile an executive logs in and lands on the snapshot page (which may build it too)
    login(page, app, username, password)
    expect(page).to_have_title("Weekly snapshot")
    out, err = cli.communicate(timeout=300)
    assert cli.returncode == 0, err
    week = json.loads(out)["week"]
    wait_idle(page)
    expect(page.get_by_text("Frozen")).to_be_visible()
    assert _healthy(app.url("_stcore/health"))
    login_cookie(page)  # login kept on reload
    page.reload()
    expect(page.get_by_text("Logged in as")).to_be_visible()
    # generous: on a busy 2-core machine the app's own build of the same week may still run
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(8, timeout=120_000)
    # one stored row for the week, whoever built it first
    rows = Store(app.db).query("SELECT week, built_by FROM snapshots")
    assert [r[0] for r in rows] == [week] and rows[0][1] in ("cli", "app")
    again = _snapshot_cli(app.db, "--week", week)
    assert again.returncode == 0 and json.loads(again.stdout)["built"] is False
