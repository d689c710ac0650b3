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


def test_the_snapshot_charts_are_built_once_and_drawn_the_same(on_demo: DemoFiles,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The charts of a frozen snapshot (the eight 12-week trends as panels of one figure, CSAT's
    p-chart) are built on the first run only; a later run, in another session too, draws the
    very same charts."""
    from cx.charts import figures

    built: list[str] = []
    for name in ("trend_grid", "control_chart"):
        real = getattr(figures, name)
        monkeypatch.setattr(figures, name,
                            lambda *a, _real=real, _name=name: built.append(_name) or _real(*a))
    st.cache_data.clear()
    st.cache_resource.clear()
    first = logged_in(role_user(Role.EXECUTIVE)).run()
    assert not first.exception, [e.value for e in first.exception]
    assert built == ["trend_grid", "control_chart"]
    specs = [(c.proto.id, c.proto.spec) for c in first.get("plotly_chart")]
    assert len(specs) == 2
    built.clear()
    again = logged_in(role_user(Role.EXECUTIVE)).run()  # a new AppTest: another session
    assert built == []
    assert [(c.proto.id, c.proto.spec) for c in again.get("plotly_chart")] == specs
