"""`python -m cx bench pages` at a small size, as CI runs it: a real server, Chromium through
every page of the roles asked for, cold and warm, per-page JSON (issue 13 item 2). No timing is
asserted: only that every page was visited and timed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cx.auth import access
from cx.domain import Role

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600),
              pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")),
                                 reason="no Chromium: install Debian's `chromium` (CI does)")]


def test_bench_pages_times_every_page_of_each_role(tmp_path: Path) -> None:
    # Its own process, as a user runs it: Playwright's sync API refuses to start inside the
    # event loop that another browser test module of the same pytest process left running.
    out_file = tmp_path / "pages.json"
    done = subprocess.run(
        [sys.executable, "-m", "cx", "--db", str(tmp_path / "cx.duckdb"), "bench", "pages",
         "--rows", "1000", "--role", "executive", "--role", "admin", "--out", str(out_file),
         "--json"], cwd=Path(__file__).resolve().parents[2], env=dict(os.environ),
        capture_output=True, text=True, timeout=540)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout)
    assert json.loads(out_file.read_text()) == out
    assert set(out["roles"]) == {"executive", "admin"}
    for role in (Role.EXECUTIVE, Role.ADMIN):
        found = out["roles"][role.value]
        assert list(found["pages"]) == [p.name for p in access.pages_for([role])]
        assert found["landing"] == access.landing_page([role]).name
        for name, times in found["pages"].items():
            assert times["cold_seconds"] > 0 and times["warm_seconds"] > 0, (role, name)
            assert times["warm_browser_cpu"] > 0 and times["warm_server_cpu"] >= 0, (role, name)
        # every visit reruns the page's script on the server: CPU the server process used
        assert sum(t["cold_server_cpu"] + t["warm_server_cpu"]
                   for t in found["pages"].values()) > 0
        assert found["pages"][found["landing"]]["cold_seconds"] == found["login_seconds"]
    assert 0 < out["server_healthy_seconds"] <= out["first_page_seconds"]
    # the very first login is timed before the warm-up is waited for, then the roles' visits
    assert out["first_login_seconds"] > 0 and out["warm_up_seconds"] > 0
    assert out["server_rss_mb"] > 0
    assert out["demo"]["rows"]["responses"] > 0
