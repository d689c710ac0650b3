"""Issue 13: the server's warm-up asks the landing pages' queries with exactly the arguments the
pages use, so the first visitor of a fresh server finds every answer in the cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import streamlit as st

from cx.domain import Role
from cx.storage import Store
from cx.ui import cached
from cx.ui.warmup import warm_up
from tests.app.dashboard_fixtures import DemoFiles
from tests.app.session import logged_in, role_user, through_app


@pytest.fixture
def misses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the cached queries computed (not found in the cache) during the test."""
    found: list[str] = []

    def counting(name: str, query: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            found.append(name)
            return query(*args)
        return call

    for name, query in list(cached._QUERIES.items()):
        monkeypatch.setitem(cached._QUERIES, name, counting(name, query))
    return found


@pytest.mark.parametrize(("role", "title"), [(Role.ADMIN, "Overview"),
                                             (Role.MANAGER, "Overview"),
                                             (Role.EXECUTIVE, "Weekly snapshot")])
def test_the_landing_page_after_warm_up_computes_nothing(on_demo: DemoFiles, misses: list[str],
                                                         role: Role, title: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from cx.charts import figures

    real = figures.trend_grid  # the snapshot's charts, built by the warm-up too
    monkeypatch.setattr(figures, "trend_grid", lambda *a: misses.append("trend_grid") or real(*a))
    st.cache_data.clear()
    st.cache_resource.clear()
    with Store(on_demo.db).transaction() as cur:  # as a fresh server finds it: no snapshot yet
        cur.execute("DELETE FROM snapshots")
    warm_up()
    assert {"tiles", "metric", "_filter_options", "snapshot_restated",
            "trend_grid"} <= set(misses)
    assert Store(on_demo.db).query("SELECT built_by FROM snapshots") == [("app",)]
    misses.clear()
    at = logged_in(role_user(role)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title][:1] == [title]
    assert len(at.get("plotly_chart")) >= 1
    assert misses == []


@pytest.mark.parametrize(("page", "title"), [("tickets", "Tickets"), ("verbatims", None),
                                             ("drivers", "Drivers")])
def test_the_heaviest_pages_after_warm_up_compute_nothing(on_demo: DemoFiles,
                                                          misses: list[str], page: str,
                                                          title: str | None) -> None:
    """A session's first visit of Tickets, Verbatims and Drivers finds every query, model fit
    and record page in the cache the warm-up filled (at 10M answers those first visits took
    2.5 to 5.5 s)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    warm_up()
    assert {"km_curves", "backlog", "verbatims_groups", "verbatims_words", "record_page",
            "correlation", "drivers"} <= set(misses)
    misses.clear()
    at = through_app(role_user(Role.MANAGER), page)
    assert not at.exception, [e.value for e in at.exception]
    if title:
        assert [t.value for t in at.title][:1] == [title]
    assert len(at.get("plotly_chart")) >= 2
    assert misses == []
