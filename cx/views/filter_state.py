"""Filters as a shareable URL: date presets and field selections to query parameters and back.

Pure functions, so that the round trip a copied link relies on is tested without a browser.
Unknown fields in a URL are dropped (a link from an older version must still open), never trusted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from cx.domain import DateRange, Filters

PRESETS = ("last_7", "last_28", "last_90", "this_quarter", "all", "custom")
PRESET_LABELS = {
    "last_7": "Last 7 days", "last_28": "Last 28 days", "last_90": "Last 90 days",
    "this_quarter": "This quarter", "all": "All time", "custom": "Custom",
}
DEFAULT_PRESET = "last_90"
_RESERVED = {"preset", "from", "to"}


def resolve_preset(preset: str, today: dt.date, custom: DateRange | None = None) -> DateRange:
    """The dates a preset means on `today` (inclusive; the data's latest day is a good `today`)."""
    match preset:
        case "last_7" | "last_28" | "last_90":
            days = int(preset.split("_")[1])
            return DateRange(today - dt.timedelta(days=days - 1), today)
        case "this_quarter":
            first_month = 3 * ((today.month - 1) // 3) + 1
            return DateRange(dt.date(today.year, first_month, 1), today)
        case "all":
            return DateRange()
        case "custom":
            return custom or DateRange()
        case _:
            raise ValueError(f"unknown date preset {preset!r}; expected one of {', '.join(PRESETS)}")


def to_params(preset: str, filters: Filters) -> dict[str, str | list[str]]:
    """Query parameters for a view: preset, custom dates, and one repeated key per field."""
    params: dict[str, str | list[str]] = {"preset": preset}
    if preset == "custom":
        if filters.dates.start:
            params["from"] = filters.dates.start.isoformat()
        if filters.dates.end:
            params["to"] = filters.dates.end.isoformat()
    for field, values in filters.values:
        params[field] = list(values)
    return params


def _as_list(value: str | Iterable[str]) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _parse_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def from_params(
    params: Mapping[str, str | Iterable[str]], valid_fields: Iterable[str], today: dt.date
) -> tuple[str, Filters]:
    """Read a view back from query parameters; anything invalid falls back to the default."""
    preset = next(iter(_as_list(params.get("preset", DEFAULT_PRESET))), DEFAULT_PRESET)
    if preset not in PRESETS:
        preset = DEFAULT_PRESET
    custom = None
    if preset == "custom":
        start = _parse_date(next(iter(_as_list(params.get("from", ""))), ""))
        end = _parse_date(next(iter(_as_list(params.get("to", ""))), ""))
        if start and end and start > end:
            start, end = end, start
        custom = DateRange(start, end)
    valid = set(valid_fields) - _RESERVED
    values = {k: _as_list(v) for k, v in params.items() if k in valid}
    return preset, Filters.of(resolve_preset(preset, today, custom), **values)
