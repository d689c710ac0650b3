"""Units and axes as people read them (issue 11, item 7): minutes under an hour, days from two
days on, never "inf" or "p = 0.000", and axis ticks that always differ."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from cx.charts import figures
from cx.charts.format import (
    axis_tickformat, format_change, format_ci, format_duration, format_p, format_value,
)


@pytest.mark.parametrize(("hours", "text"), [
    (0.2, "12 min"), (0.5, "30 min"), (0.99, "59 min"), (0.9999, "1.0 h"), (1.0, "1.0 h"),
    (3.54, "3.5 h"), (47.9, "47.9 h"), (48.0, "2.0 days"), (250.0, "10.4 days"),
    (-0.25, "-15 min"), (-1.1, "-1.1 h"),
])
def test_times_read_in_minutes_hours_or_days(hours: float, text: str) -> None:
    assert format_value(hours, "hours") == text
    assert format_duration(hours) == text


def test_time_changes_and_intervals_use_the_same_words() -> None:
    assert format_change(0.25, "hours") == "+15 min"
    assert format_change(-72.0, "hours") == "-3.0 days"
    assert format_ci(0.1, 3.1, "hours") == "6 min to 3.1 h"


def test_no_inf_and_no_zero_p() -> None:
    assert format_value(math.inf, "hours") == "no upper bound"
    assert format_ci(3.5, math.inf, "hours") == "at least 3.5 h (no upper bound)"
    assert format_p(0.0004) == "p < 0.001"
    assert format_p(0.0) == "p < 0.001"
    assert format_p(0.0321) == "p = 0.032"
    assert format_p(0.0004, "q") == "q < 0.001"
    assert format_p(math.nan) == "not tested"


@pytest.mark.parametrize(("unit", "values", "fmt"), [
    ("fraction", [0.712, 0.718], ".2%"), ("fraction", [0.5, 1.0], ".0%"),
    ("fraction", [0.70, 0.76], ".1%"), ("scale points", [3.9, 4.3], ".2f"),
    ("points", [20.0, 60.0], ".0f"), ("points", [29.2, 29.6], ".2f"),
    ("count", [0.0, 1200.0], ",.0f"), ("hours", [1.0, 40.0], ".0f"), ("fraction", [], ".0%"),
])
def test_tick_precision_follows_the_range(unit: str, values: list[float], fmt: str) -> None:
    assert axis_tickformat(unit, values) == fmt


def _ticks(fmt: str, low: float, high: float, count: int = 10) -> list[str]:
    """Ten evenly spaced ticks formatted as d3 would (the formats used here are f and %)."""
    decimals = int(fmt.strip(",.%f"))
    step = (high - low) / count
    values = [low + i * step for i in range(count + 1)]
    if fmt.endswith("%"):
        return [f"{v * 100:.{decimals}f}%" for v in values]
    return [f"{v:,.{decimals}f}" for v in values]


def test_a_narrow_share_axis_has_distinct_ticks() -> None:
    df = pd.DataFrame({"period": pd.to_datetime(["2026-01-05", "2026-01-12"]),
                       "value": [0.714, 0.716], "ci_low": [0.712, 0.713],
                       "ci_high": [0.717, 0.718], "n": [900, 900], "reliability": ["ok", "ok"]})
    fig = figures.trend(df, "fraction", "CSAT", "CSAT by week")
    fmt = fig.layout.yaxis.tickformat
    assert fmt == ".2%"
    ticks = _ticks(fmt, 0.712, 0.718)
    assert len(set(ticks)) == len(ticks)
    assert _ticks(".0%", 0.712, 0.718)[:3] == ["71%", "71%", "71%"]  # what the old format drew


def test_report_ticks_differ_on_a_flat_series() -> None:
    from cx.snapshots.svg import line_chart

    points = [{"week": f"2026-W{w:02d}", "value": 0.7141, "ci_low": 0.7139, "ci_high": 0.7143}
              for w in range(1, 4)]
    svg = line_chart(points, "fraction", "CSAT")
    ticks = re.findall(r'font-size="9" text-anchor="end" fill="#555">([^<]*%)<', svg)
    assert ticks == ["71.387%", "71.410%", "71.433%"]  # format_value alone: 71.4% three times


@pytest.mark.parametrize(("value", "unit", "text"), [
    (0.0, "points", "0 pts"), (-0.3, "points", "0 pts"), (-0.00001, "fraction", "0.0 pp"),
    (0.0004, "fraction", "0.0 pp"), (-0.001, "hours", "0 min"), (-0.004, "scale points", "0.00"),
    (-0.6, "points", "-1 pts"), (0.0006, "fraction", "+0.1 pp"),
])
def test_a_change_that_rounds_to_zero_has_no_sign(value: float, unit: str, text: str) -> None:
    assert format_change(value, unit) == text
    assert format_value(-0.2, "points") == "0"


def test_survival_hover_reads_minutes_and_days() -> None:
    curves = pd.DataFrame({"group": ["chat"] * 3, "t": [0.25, 5.0, 72.0], "s": [0.9, 0.5, 0.1]})
    fig = figures.survival_curves(curves, "Still open")
    assert list(fig.data[0].hovertext) == ["15 min: 90.0% still open", "5.0 h: 50.0% still open",
                                          "3.0 days: 10.0% still open"]
