"""One number format per unit, used by charts, tables, snapshots and sentences alike.

Units are the metric catalog's: NPS in points (−100…100), shares as fractions shown in %, means in
scale points, times in hours, counts, currency. Times are stored in hours but read as a person
says them: minutes under an hour, days from two days on. No format ever shows "inf", "nan" or
"p = 0.000", and axis ticks carry the decimals their range needs, so no two ticks read the same.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

UNITS = ("points", "fraction", "scale points", "hours", "count", "currency")


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _zero_unsigned(text: str) -> str:
    """'-0 pts', '+0.0 pp', '-0' read as a change that is not there: a zero has no sign."""
    return text.lstrip("+-") if not re.search(r"[1-9]", text) else text


def format_duration(hours: float, sign: str = "") -> str:
    """'12 min' under an hour, '3.5 h' up to two days, '4.2 days' from two days on."""
    size = abs(hours)
    if round(size * 60) < 60:
        return f"{sign}{hours * 60:.0f} min"
    if size < 48:
        return f"{sign}{hours:.1f} h"
    return f"{sign}{hours / 24:,.1f} days"


def format_value(value: float | None, unit: str, signed: bool = False) -> str:
    """A value as a person reads it: '+23', '81.2%', '4.05', '3.5 h', '12,345', '1,600'."""
    if _missing(value):
        return "–"
    v = float(value)  # type: ignore[arg-type]
    if math.isinf(v):
        return "no upper bound" if v > 0 else "no lower bound"
    sign = "+" if signed and v > 0 else ""
    return _zero_unsigned(_by_unit(v, unit, sign))


def _by_unit(v: float, unit: str, sign: str) -> str:
    match unit:
        case "points":
            return f"{sign}{v:.0f}"
        case "fraction":
            return f"{sign}{v * 100:.1f}%"
        case "scale points":
            return f"{sign}{v:.2f}"
        case "hours":
            return format_duration(v, sign)
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
        return _zero_unsigned(f"{float(value) * 100:+.1f} pp")  # type: ignore[arg-type]
    if unit == "points":
        return _zero_unsigned(f"{float(value):+.0f} pts")  # type: ignore[arg-type]
    return format_value(value, unit, signed=True)


def format_ci(low: float | None, high: float | None, unit: str) -> str:
    """'71.1% to 86.7%'; an interval open above reads 'at least 3.5 h (no upper bound)'."""
    if _missing(low) or _missing(high):
        return "no interval"
    if math.isinf(float(high)) and not math.isinf(float(low)):  # type: ignore[arg-type]
        return f"at least {format_value(low, unit)} (no upper bound)"
    return f"{format_value(low, unit)} to {format_value(high, unit)}"


def format_p(p: float | None, name: str = "p") -> str:
    """'p = 0.032' or 'p < 0.001' (never 'p = 0.000'); 'not tested' without a value."""
    if _missing(p) or math.isinf(float(p)):  # type: ignore[arg-type]
        return "not tested"
    value = float(p)  # type: ignore[arg-type]
    return f"{name} < 0.001" if value < 0.001 else f"{name} = {value:.3f}"


_TICK = {"fraction": ("%", 0), "scale points": ("f", 2), "hours": ("f", 1), "count": (",f", 0),
         "currency": (",f", 0), "points": ("f", 0)}


def tick_decimals(unit: str, low: float, high: float) -> int:
    """Decimals that keep ticks apart over [low, high]: ten ticks' spacing must show a change."""
    base = _TICK.get(unit, ("f", 0))[1]
    span = abs(high - low) * (100 if unit == "fraction" else 1)
    if not math.isfinite(span) or span <= 0:
        return base
    return min(max(0, math.ceil(-math.log10(span / 10))), 6)


def tick_labels(values: Sequence[float], unit: str) -> list[str]:
    """Labels for axis ticks drawn by us (the SVG report): the value format, or, where two
    would read the same, the number with the decimals the range needs."""
    labels = [format_value(v, unit) for v in values]
    if len(set(labels)) == len(labels) or not values:
        return labels
    d = tick_decimals(unit, min(values), max(values))
    if unit == "fraction":
        return [f"{v * 100:.{d}f}%" for v in values]
    suffix = " h" if unit == "hours" else ""
    return [f"{v:,.{d}f}{suffix}" for v in values]


def axis_tickformat(unit: str, values: Sequence[float] = ()) -> str:
    """Plotly d3 tick format for the unit's axis, with the precision the values' range needs."""
    if unit not in _TICK:
        return ""
    kind, decimals = _TICK[unit]
    finite = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    if len(finite) > 1:
        decimals = tick_decimals(unit, min(finite), max(finite))
    return f"{',' if kind.startswith(',') else ''}.{decimals}{kind[-1]}"


def axis_title(label: str, unit: str) -> str:
    suffix = {"points": "NPS points", "fraction": "%", "hours": "hours"}.get(unit)
    return f"{label} ({suffix})" if suffix else label
