from __future__ import annotations

import datetime as dt

import pytest

from cx.snapshots.week import IsoWeek, last_complete_week, last_complete_week_of_data, today_in


def test_parse_and_bounds() -> None:
    week = IsoWeek.parse("2026-W47")
    assert (week.year, week.week, str(week)) == (2026, 47, "2026-W47")
    assert (week.monday, week.sunday) == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    assert IsoWeek.parse("2026w7") == IsoWeek(2026, 7)
    assert week.previous() == IsoWeek(2026, 46) and week.shift(7) == IsoWeek(2027, 1)
    assert week.label() == "2026-W47 (16 Nov – 22 Nov 2026)"


def test_iso_year_edges() -> None:
    # date.isocalendar(): 2026 has 53 ISO weeks; 1 Jan 2027 (a Friday) is in 2026-W53
    assert IsoWeek.of(dt.date(2027, 1, 1)) == IsoWeek(2026, 53)
    assert IsoWeek(2026, 53).shift(1) == IsoWeek(2027, 1)
    assert IsoWeek(2027, 1).monday == dt.date(2027, 1, 4)
    with pytest.raises(ValueError, match="2027 has ISO weeks 1 to 52, not 53"):
        IsoWeek(2027, 53)


@pytest.mark.parametrize("text", ["", "2026-47", "W47", "2026-W", "2026-W0"])
def test_bad_weeks_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        IsoWeek.parse(text)


def test_week_end_in_the_reporting_time_zone() -> None:
    week = IsoWeek(2026, 47)
    # Monday 23 Nov 00:00 in Berlin (UTC+1 in winter) is 22 Nov 23:00 UTC
    assert week.end_utc("Europe/Berlin") == dt.datetime(2026, 11, 22, 23, 0)
    assert week.end_utc("UTC") == dt.datetime(2026, 11, 23, 0, 0)
    assert week.end_utc("America/New_York") == dt.datetime(2026, 11, 23, 5, 0)


def test_last_complete_week() -> None:
    assert last_complete_week(dt.date(2026, 11, 23)) == IsoWeek(2026, 47)  # Monday
    assert last_complete_week(dt.date(2026, 11, 22)) == IsoWeek(2026, 46)  # Sunday: W47 runs
    assert last_complete_week_of_data(dt.date(2026, 11, 22)) == IsoWeek(2026, 47)
    assert last_complete_week_of_data(dt.date(2026, 11, 21)) == IsoWeek(2026, 46)
    # 23:30 UTC on Sunday is already Monday in Tokyo
    late = dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.UTC)
    assert today_in("Asia/Tokyo", late) == dt.date(2026, 11, 23)
    assert today_in("UTC", late) == dt.date(2026, 11, 22)
