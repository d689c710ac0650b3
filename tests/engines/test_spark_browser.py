"""The app in a real Chromium on Spark: `streamlit run app.py` with CX_ENGINE=sc://..., logged
in as admin, every page opened through the sidebar shows its heading and no error."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from cx.auth import access, users
from cx.domain import Role
from tests.browser.conftest import CHROMIUM_ARGS, chromium_executable, launch, stop, warm_up
from cx.storage import Store
from tests.browser.steps import log_in, open_page, wait_idle

PASSWORD = "pw-spark-browser-1"


def test_every_page_in_chromium_on_spark(demo_pair, spark_url: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from playwright.sync_api import sync_playwright

    path = chromium_executable()
    assert path is not None, "no Chromium: install Debian's chromium (.ci/run does)"
    _, spark = demo_pair
    monkeypatch.setenv("CX_ENGINE", spark_url)  # the server inherits the environment
    monkeypatch.setenv("CX_SPARK_DATABASE", spark.database)
    monkeypatch.setattr(users, "BCRYPT_ROUNDS", 4)
    users_file = tmp_path / "credentials.yaml"
    users.add_user(users_file, "spark-admin", Role.ADMIN, PASSWORD)
    logins = types.SimpleNamespace(logins={Role.ADMIN: ("spark-admin", PASSWORD)})
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        server = launch(tmp_path / "unused.duckdb", users_file, tmp_path)
        try:
            warm_up(server, browser, timeout=240_000)  # its first run asks Spark
            page = browser.new_page()
            page.set_default_timeout(240_000)  # every statement pays Spark's planning cost
            page.goto(server.url())
            log_in(page, logins, Role.ADMIN, landing_timeout=240_000)
            for spec in access.pages_for(Role.ADMIN):
                open_page(page, spec.title)
                wait_idle(page, timeout=240_000)
                assert page.locator('[data-testid="stException"]').count() == 0, spec.name
                assert "error id" not in page.inner_text("body"), spec.name  # cx.ui.errors
        finally:
            stop(server)
            browser.close()
    local = tmp_path / "unused.duckdb"  # who may see what lives there (context.state_store)
    assert not local.exists() or Store(local).table_counts() == {
        "responses": 0, "tickets": 0, "customers": 0, "batches": 0}  # but no records
