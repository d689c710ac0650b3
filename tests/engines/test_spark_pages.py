"""Every page renders on Spark (AppTest through app.py, logged in as admin, who sees them all):
no exception, no error box, the page's own title, on the parity demo data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

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


def _render(user: str, page: str) -> AppTest:
    at = logged_in(user, timeout=300)  # the snapshot page builds its week first
    if access.landing_page(Role.ADMIN).name != page:  # as tests.app.session.through_app
        at.session_state[REQUESTED_PAGE_KEY] = page
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_page_renders_on_spark(admin_on_spark: str, page: str) -> None:
    at = _render(admin_on_spark, page)
    assert [t.value for t in at.title][:1] == [access.page(page).title]


def test_verbatims_page_shows_the_duckdb_themes_on_spark(admin_on_spark: str, demo_pair,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The comment themes published with the demo batches fill the page (not its empty state),
    with the tables DuckDB gives for the same data."""
    st.cache_data.clear()
    on_spark = _render(admin_on_spark, "verbatims")
    monkeypatch.setenv("CX_ENGINE", "duckdb")
    monkeypatch.setenv("CX_DB", str(demo_pair[0].path))
    st.cache_data.clear()  # the page's caches are keyed by query, not by engine
    on_duck = _render(admin_on_spark, "verbatims")
    assert not on_spark.info, [i.value for i in on_spark.info]
    tables = [[d.value for d in at.dataframe] for at in (on_duck, on_spark)]
    assert len(tables[0]) >= 4 and len(tables[0]) == len(tables[1])
    for a, b in zip(*tables, strict=True):
        assert a.equals(b)  # the formatted tables as shown, cell for cell
