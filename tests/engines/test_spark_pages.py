"""Every page renders on Spark (AppTest through app.py, logged in as admin, who sees them all):
no exception, no error box, the page's own title, on the parity demo data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cx.auth import access, users
from cx.domain import Role
from cx.ui.navigation import REQUESTED_PAGE_KEY
from tests.app.session import logged_in

ADMIN_PAGES = [p.name for p in access.pages_for(Role.ADMIN)]


@pytest.fixture
def admin_on_spark(demo_pair, spark_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    _, spark = demo_pair
    monkeypatch.setenv("CX_ENGINE", spark_url)
    monkeypatch.setenv("CX_SPARK_DATABASE", spark.database)
    monkeypatch.setattr(users, "BCRYPT_ROUNDS", 4)
    users.add_user(Path(os.environ["CX_USERS"]), "spark-admin", Role.ADMIN, "pw-spark-admin-1")
    return "spark-admin"


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_page_renders_on_spark(admin_on_spark: str, page: str) -> None:
    at = logged_in(admin_on_spark, timeout=300)  # the snapshot page builds its week first
    if access.landing_page(Role.ADMIN).name != page:  # as tests.app.session.through_app
        at.session_state[REQUESTED_PAGE_KEY] = page
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert [t.value for t in at.title][:1] == [access.page(page).title]
