"""ISO weeks (Monday–Sunday in the reporting time zone) and which week a snapshot is of.

"The last complete week" is the last ISO week that ended before today in the reporting time zone.
When that week holds no survey answer and no ticket (demo data generated for an earlier date, an
export that stopped a while ago), we fall back to the last complete week *of the data*, so a fresh
demo or a stale database still gets a useful snapshot instead of an empty one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from cx.domain import DateRange, Filters

_WEEK_RE = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    def __post_init__(self) -> None:
        last = dt.date(self.year, 12, 28).isocalendar().week  # 28 Dec is always in the last week
        if not 1 <= self.week <= last:
            raise ValueError(f"{self.year} has ISO weeks 1 to {last}, not {self.week}")

    @staticmethod
    def parse(text: str) -> IsoWeek:
        """'2026-W47' (also '2026W47', '2026-w7'); a clear error for anything else."""
        match = _WEEK_RE.match(text or "")
        if not match:
            raise ValueError(f"{text!r} is not an ISO week like 2026-W47")
        return IsoWeek(int(match.group(1)), int(match.group(2)))

    @staticmethod
    def of(day: dt.date) -> IsoWeek:
        iso = day.isocalendar()
        return IsoWeek(iso.year, iso.week)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    def shift(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + dt.timedelta(weeks=weeks))

    def previous(self) -> IsoWeek:
        return self.shift(-1)

    def dates(self) -> DateRange:
        return DateRange(self.monday, self.sunday)

    def filters(self) -> Filters:
        return Filters.of(self.dates())

    def end_utc(self, tz: str) -> dt.datetime:
        """The instant the week ends (next Monday 00:00 in ``tz``) as naive UTC, like the data.

        Open tickets are aged at this instant, so a snapshot does not depend on when it was built.
        """
        local = dt.datetime.combine(self.monday + dt.timedelta(days=7), dt.time(), ZoneInfo(tz))
        return local.astimezone(dt.UTC).replace(tzinfo=None)

    def label(self) -> str:
        """'2026-W47 (16–22 Nov 2026)' for titles."""
        start, end = self.monday, self.sunday
        first = f"{start:%d %b}" if start.year == end.year else f"{start:%d %b %Y}"
        return f"{self} ({first} – {end:%d %b %Y})"


def today_in(tz: str, now: dt.datetime | None = None) -> dt.date:
    moment = now or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(ZoneInfo(tz)).date()


def last_complete_week(today: dt.date) -> IsoWeek:
    """The last ISO week whose Sunday is before ``today``."""
    return IsoWeek.of(today - dt.timedelta(days=today.isoweekday()))


def last_complete_week_of_data(last_record_day: dt.date) -> IsoWeek:
    """The last ISO week fully covered up to the latest record's day (itself if that is a Sunday)."""
    return last_complete_week(last_record_day + dt.timedelta(days=1))
