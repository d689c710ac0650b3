"""One number format per unit, used by charts, tables, snapshots and sentences alike.

Units are the metric catalog's: NPS in points (−100…100), shares as fractions shown in %, means in
scale points, times in hours, counts, currency.
"""

from __future__ import annotations

import math

UNITS = ("points", "fraction", "scale points", "hours", "count", "currency")


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(value: float | None, unit: str, signed: bool = False) -> str:
    """A value as a person reads it: '+23', '81.2%', '4.05', '3.5 h', '12,345', '1,600'."""
    if _missing(value):
        return "–"
    v = float(value)  # type: ignore[arg-type]
    sign = "+" if signed and v > 0 else ""
    match unit:
        case "points":
            return f"{sign}{v:.0f}"
        case "fraction":
            return f"{sign}{v * 100:.1f}%"
        case "scale points":
            return f"{sign}{v:.2f}"
        case "hours":
            return f"{sign}{v:.1f} h" if abs(v) < 100 else f"{sign}{v:,.0f} h"
        case "count":
            return f"{sign}{v:,.0f}"
        case "currency":
            return f"{sign}{v:,.0f}"
        case _:
            raise ValueError(f"unknown unit {unit!r}; expected one of {UNITS}")


def format_change(value: float | None, unit: str) -> str:
    """A difference: NPS in points, shares in percentage points ('pp'), others in their unit."""
    if _missing(value):
        return "–"
    if unit == "fraction":
        return f"{float(value) * 100:+.1f} pp"  # type: ignore[arg-type]
    if unit == "points":
        return f"{float(value):+.0f} pts"  # type: ignore[arg-type]
    return format_value(value, unit, signed=True)


def format_ci(low: float | None, high: float | None, unit: str) -> str:
    if _missing(low) or _missing(high):
        return "no interval"
    return f"{format_value(low, unit)} to {format_value(high, unit)}"


def axis_tickformat(unit: str) -> str:
    """Plotly d3 tick format for the unit's axis."""
    return {"fraction": ".0%", "scale points": ".2f", "hours": ".1f", "count": ",.0f",
            "currency": ",.0f", "points": ".0f"}.get(unit, "")


def hover_format(unit: str) -> str:
    """Plotly d3 format for values in hover text."""
    return {"fraction": ".1%", "scale points": ".2f", "hours": ".1f", "count": ",.0f",
            "currency": ",.0f", "points": ".0f"}.get(unit, "")


def axis_title(label: str, unit: str) -> str:
    suffix = {"points": "NPS points", "fraction": "%", "hours": "hours"}.get(unit)
    return f"{label} ({suffix})" if suffix else label
