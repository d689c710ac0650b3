"""The latest data date inside a data scope (issue 16): ticket ages, a scoped snapshot's
`data_through` and opening week, and the date presets' anchor count only the scope's own rows,
so they tell a scoped person nothing about when other regions last had data (before: the
latest row of any region). The fixture is tests/test_scope_surfaces.py's (everything at noon on
Monday 2026-01-05) plus one Asian ticket five weeks later."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cx.config import Settings
from cx.domain import UNRESTRICTED, Filters, clause_of
from cx.snapshots import IsoWeek, default_week, get_or_build
from cx.storage import Store
from cx.views.summary import last_date
from cx.views.tickets import AGE_BUCKETS, open_backlog
from tests.analysis.conftest import load, monday
from tests.test_scope_surfaces import EUROPE, settings, store  # noqa: F401 - fixtures

LATER = monday(5)  # Monday 2026-02-09, noon: ISO week 2026-W07
NOW = dt.datetime(2026, 3, 2, 9)  # a Monday well after both


@pytest.fixture
def later_asia(store: Store) -> Store:  # noqa: F811 - the imported fixture, extended
    load(store, "tickets", pd.DataFrame({"ticket_id": ["T-late"], "region": ["Asia"],
                                         "team": ["Tech"], "channel": "chat",
                                         "opened_at": [LATER], "status": "open"}))
    return store


def test_the_latest_date_counts_only_the_scope_s_rows(later_asia: Store) -> None:
    assert last_date(later_asia) == LATER.date()
    assert last_date(later_asia, EUROPE) == monday(0).date()


def test_ticket_ages_are_measured_at_the_scope_s_latest_ticket(later_asia: Store,
                                                              settings: Settings) -> None:  # noqa: F811
    mine = open_backlog(later_asia, settings, Filters().within(EUROPE)).set_index("age")
    # 9 open European tickets, all opened at the scope's latest moment: age 0, "< 1 day".
    assert mine["tickets"].to_dict() == {label: 9 if label == "< 1 day" else 0
                                         for _, label in AGE_BUCKETS}
    everyone = open_backlog(later_asia, settings, Filters()).set_index("age")["tickets"]
    assert everyone["> 4 weeks"] == 13 and everyone["< 1 day"] == 1  # 5 weeks before T-late


def test_a_scoped_snapshot_is_data_through_the_scope_s_latest_record(
        later_asia: Store, settings: Settings) -> None:  # noqa: F811
    week = IsoWeek(2026, 2)
    mine, _ = get_or_build(later_asia, settings, week, "test", now=NOW, scope=EUROPE)
    assert mine.data_through == monday(0)
    everyone, _ = get_or_build(later_asia, settings, week, "test", now=NOW)
    assert everyone.data_through == LATER


def test_a_scoped_snapshot_page_opens_on_the_scope_s_last_week_of_data(
        later_asia: Store, settings: Settings) -> None:  # noqa: F811
    # No data in W09 (the last complete week at NOW): the last week fully covered by the data,
    # i.e. the week before the latest record's Monday.
    assert str(default_week(later_asia, settings, NOW, UNRESTRICTED)) == "2026-W06"
    assert str(default_week(later_asia, settings, NOW, EUROPE)) == "2026-W01"


def test_cli_snapshot_as_a_scoped_user_opens_on_their_page_s_week(
        later_asia: Store, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        capsys: pytest.CaptureFixture[str]) -> None:
    from cx.auth import users
    from cx.auth.scopes import change_scope
    from cx.cli import main
    from cx.config import load_settings

    monkeypatch.setattr(users, "BCRYPT_ROUNDS", 4)
    monkeypatch.setenv("CX_DB", str(later_asia.path))
    users.add_user(load_settings().users_path, "erin", "executive", "erin-password-1")
    change_scope(later_asia, "user", "erin", clause_of({"region": "Europe"}), "admin")
    # No --week: the week of erin's own data (W01, as above), which holds none of her answers
    # (they begin on its next Monday), so it is refused by name; before, everyone's week W06.
    assert main(["snapshot", "--json", "--as-user", "erin"]) == 1
    assert "2026-W01 has no survey answers" in capsys.readouterr().err
