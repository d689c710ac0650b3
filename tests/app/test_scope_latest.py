"""AppTest: the date presets of a person with a data scope count back from the latest day of
their own rows, not of everyone's (issue 16). Before, the sidebar said "Presets count back from
the latest data (27 Nov 2026)", the day of another region's latest answer, and moved their
default period with it."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cx.auth.scopes import change_scope
from cx.domain import Role, clause_of
from cx.storage import Store
from cx.views.filter_state import DEFAULT_PRESET, resolve_preset
from tests.analysis.conftest import load
from tests.app.dashboard_fixtures import DemoFiles, cli_metric
from tests.app.session import role_user, through_app

MINE = dt.date(2026, 11, 22)  # the demo's last day (its fixed end date), in every region
LATER = dt.datetime(2026, 11, 27, 12)  # one answer from Asia Pacific, after it


def _anchor_caption(at: object) -> str:
    return next(c.value for c in at.sidebar.caption if c.value.startswith("Presets count back"))


def test_a_scoped_person_s_presets_count_back_from_their_own_latest_day(
        on_demo: DemoFiles) -> None:
    store = Store(on_demo.db)
    load(store, "responses", pd.DataFrame({"response_id": ["late-asia"], "nps": [10],
                                           "region": ["Asia Pacific"], "submitted_at": [LATER]}))
    manager = role_user(Role.MANAGER)
    change_scope(store, "user", manager, clause_of({"region": "Europe"}), "test")

    at = through_app(role_user(Role.ADMIN), "overview")  # unrestricted: everyone's latest day
    assert "(27 Nov 2026)" in _anchor_caption(at)

    at = through_app(manager, "overview")
    assert not at.exception, [e.value for e in at.exception]
    assert "(22 Nov 2026)" in _anchor_caption(at)
    dates = resolve_preset(DEFAULT_PRESET, MINE)
    out = cli_metric(on_demo.db, "nps", "--from", dates.start.isoformat(), "--to",
                     dates.end.isoformat(), "--as-user", manager)
    shown_n = next(int(c.value.split("n = ")[1].split()[0].replace(",", ""))
                   for c in at.caption if "n = " in c.value)  # the first tile is NPS
    assert shown_n == out["rows"][0]["n"] > 0
