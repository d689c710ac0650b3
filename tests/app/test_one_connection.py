"""Issue 13: one page run opens the DuckDB file once, whatever number of queries it makes.

Opening the file cost about 20 ms a time and a cold Overview opened it 52 times (15 warm); the
app now holds one connection around each script run (app.py, cx.storage.store)."""

from __future__ import annotations

import duckdb
import pytest

from cx.domain import Role
from tests.app.dashboard_fixtures import DemoFiles
from tests.app.session import logged_in, role_user


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every duckdb.connect of this process during the test (the path asked for)."""
    found: list[str] = []
    real = duckdb.connect

    def counting(database: str = ":memory:", *args: object, **kwargs: object) -> object:
        found.append(str(database))
        return real(database, *args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", counting)
    return found


@pytest.mark.parametrize("cached", [False, True], ids=["first-run", "cached-run"])
def test_a_page_run_opens_the_database_once(on_demo: DemoFiles, opens: list[str],
                                            cached: bool) -> None:
    # The admin lands on the Overview: app.py, the sidebar filters and the page, in one run.
    if cached:
        logged_in(role_user(Role.ADMIN)).run()
        opens.clear()
    at = logged_in(role_user(Role.ADMIN)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title][:1] == ["Overview"]
    assert len(at.get("plotly_chart")) >= 1  # the queries really ran: KPI tiles and the trend
    assert opens == [str(on_demo.db)]
