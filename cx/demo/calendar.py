"""The demo's time axis: 104 ISO weeks ending on a Sunday, volume weights, timestamp sampling.

Times are kept as whole seconds since the window start (Monday 00:00 UTC of the first week), so
the random draws never depend on the calendar: the same seed gives the same values for any `end`,
only shifted in time (the weekday pattern is kept because the window always starts on a Monday).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from cx.demo import spec

HOUR = 3600
DAY = 24 * HOUR
WEEK = 7 * DAY


@dataclass(frozen=True)
class Window:
    end: dt.date  # the last Sunday (inclusive)

    @property
    def start(self) -> dt.datetime:
        first_monday = self.end - dt.timedelta(days=7 * spec.WEEKS - 1)
        return dt.datetime.combine(first_monday, dt.time())

    @property
    def seconds(self) -> int:
        """Length of the window: timestamps are in [0, seconds)."""
        return spec.WEEKS * WEEK

    def to_datetime(self, offsets: np.ndarray) -> np.ndarray:
        """Seconds since the start -> naive UTC datetime64[us]; negative ones are before it."""
        base = np.datetime64(self.start, "us")
        return base + offsets.astype("int64").astype("timedelta64[s]")

    def week_bounds(self, week: int) -> tuple[dt.datetime, dt.datetime]:
        """Monday 00:00 and the following Monday 00:00 of a 0-based week of the window."""
        monday = self.start + dt.timedelta(weeks=week)
        return monday, monday + dt.timedelta(weeks=1)


def last_complete_sunday(today: dt.date | None = None) -> dt.date:
    """The Sunday that ends the last complete ISO week before today (UTC)."""
    today = today or dt.datetime.now(dt.UTC).date()
    return today - dt.timedelta(days=today.isoweekday())


def parse_end(text: str) -> dt.date:
    """A --end value: an ISO date that is a Sunday."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"--end {text!r} is not a date like 2026-11-22") from exc
    if day.isoweekday() != 7:
        sunday = day + dt.timedelta(days=7 - day.isoweekday())
        raise ValueError(
            f"--end {text} is a {day:%A}; give the Sunday that ends the last week, "
            f"e.g. {sunday.isoformat()}"
        )
    return day


def week_weights() -> np.ndarray:
    """Relative volume per week: a mild upward trend times a mild yearly wave."""
    k = np.arange(spec.WEEKS)
    trend = 1.0 + spec.TREND_GROWTH * k / (spec.WEEKS - 1)
    wave = 1.0 + spec.YEARLY_AMPLITUDE * np.sin(2 * np.pi * k / 52.0)
    w = trend * wave
    return w / w.sum()


def week_counts(rng: np.random.Generator, total: int) -> np.ndarray:
    return rng.multinomial(total, week_weights())


def sample_times(rng: np.random.Generator, counts: np.ndarray, first_week: int) -> np.ndarray:
    """Sorted offsets (s) for counts[i] events in week first_week + i, with weekday/hour shape."""
    n = int(counts.sum())
    weeks = np.repeat(np.arange(first_week, first_week + len(counts)), counts)
    day = rng.choice(7, size=n, p=spec.WEEKDAY_WEIGHT / spec.WEEKDAY_WEIGHT.sum())
    hour = rng.choice(24, size=n, p=spec.HOUR_WEIGHT / spec.HOUR_WEIGHT.sum())
    second = rng.integers(0, 3600, size=n)
    offsets = weeks * WEEK + day * DAY + hour * 3600 + second
    return np.sort(offsets)


def chunks(counts: np.ndarray, max_rows: int) -> list[tuple[int, int]]:
    """Consecutive week ranges [a, b) holding at most max_rows events (at least one week)."""
    out: list[tuple[int, int]] = []
    start, rows = 0, 0
    for week, c in enumerate(counts.tolist()):
        if rows and rows + c > max_rows:
            out.append((start, week))
            start, rows = week, 0
        rows += c
    out.append((start, len(counts)))
    return out
