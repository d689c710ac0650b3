"""Issue 13: the weekly snapshot page's later runs answer from the query cache."""

from __future__ import annotations

import pytest
import streamlit as st

from cx.domain import Role
from tests.app.dashboard_fixtures import DemoFiles
from tests.app.session import logged_in, role_user



def test_the_snapshot_pages_later_runs_recompute_nothing(on_demo: DemoFiles,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """What today's data says about a frozen week (8 headline points) is asked once per data
    version, not on every run of the page (it was half the page's time)."""
    from cx.snapshots import service

    points: list[str] = []
    real = service.headline_point
    monkeypatch.setattr(service, "headline_point",
                        lambda engine, name, *a: points.append(name) or real(engine, name, *a))
    st.cache_data.clear()
    first = logged_in(role_user(Role.EXECUTIVE)).run()
    assert [t.value for t in first.title][:1] == ["Weekly snapshot"]
    assert len(points) == 8  # the eight headline metrics, checked for restatement once
    points.clear()
    again = logged_in(role_user(Role.EXECUTIVE)).run()
    assert not again.exception, [e.value for e in again.exception]
    assert len(again.get("metric")) == 8 and points == []
