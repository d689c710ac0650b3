"""Number formats per unit, and what the metric charts show for reliable and unreliable rows."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cx.charts import figures
from cx.charts.format import format_change, format_ci, format_value


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (23.4, "points", "23"), (-12.6, "points", "-13"), (0.8123, "fraction", "81.2%"),
        (4.05, "scale points", "4.05"), (3.54, "hours", "3.5 h"), (250.0, "hours", "10.4 days"),
        (12345, "count", "12,345"), (1600.0, "currency", "1,600"), (math.nan, "points", "–"),
        (None, "fraction", "–"),
    ],
)
def test_each_unit_has_one_format(value: float, unit: str, text: str) -> None:
    assert format_value(value, unit) == text


def test_changes_and_intervals_read_naturally() -> None:
    assert format_change(-0.1155, "fraction") == "-11.6 pp"
    assert format_change(6.2, "points") == "+6 pts"
    assert format_ci(0.7112, 0.8666, "fraction") == "71.1% to 86.7%"
    assert format_ci(math.nan, 1.0, "fraction") == "no interval"
    with pytest.raises(ValueError, match="unknown unit"):
        format_value(1.0, "furlongs")


def _segments() -> pd.DataFrame:
    return pd.DataFrame({
        "channel": ["chat", "phone", "email", "fax"],
        "value": [40.0, 5.0, 25.0, 90.0],
        "ci_low": [35.0, 0.0, 18.0, 10.0],
        "ci_high": [45.0, 10.0, 31.0, 100.0],
        "n": [900, 800, 400, 3],
        "reliability": ["ok", "ok", "low_n", "suppressed"],
        "badge": ["higher", "lower", "none", "none"],
    })


def test_segment_chart_ranks_by_lower_bound_and_hides_suppressed_values() -> None:
    fig = figures.ci_bars(_segments(), "channel", "points", "NPS", "NPS by channel", badge="badge")
    trace = fig.data[0]
    # the suppressed segment (n = 3) has no dot, only an annotation with its n
    assert list(trace.y) == ["phone", "email", "chat"]
    assert [a.text for a in fig.layout.annotations] == ["n = 3 (hidden)"]
    # ranked by ci_low ascending from the bottom: chat (35) is at the top of the axis
    assert list(fig.layout.yaxis.categoryarray)[-1] == "chat"
    # error bars are the interval around each value
    assert list(trace.error_x.array) == [5.0, 6.0, 5.0]
    assert list(trace.error_x.arrayminus) == [5.0, 7.0, 5.0]
    # low-n email is grey, badges colour the reliable ones; hover shows n and the CI
    assert trace.marker.color[1] == "#b8c0cc"
    assert "n = 400 (low_n)" in trace.hovertext[1]
    assert "95% CI 0 to 10" in trace.hovertext[0]


def test_heatmap_blanks_unreliable_cells_but_keeps_their_n() -> None:
    df = pd.DataFrame({"channel": ["chat", "chat", "phone", "phone"],
                       "region": ["EU", "US", "EU", "US"], "value": [0.8, 0.7, 0.6, 0.9],
                       "n": [100, 200, 4, 150], "reliability": ["ok", "ok", "suppressed", "ok"]})
    fig = figures.heatmap(df, "channel", "region", "fraction", "CSAT", "CSAT by channel and region")
    z = fig.data[0].z
    assert z[0][0] == 0.8 and math.isnan(z[0][1]) and z[1][1] == 0.9
    assert fig.data[0].text[0][1] == "<br>n=4"


def test_trend_draws_a_band_and_a_line_per_series() -> None:
    df = pd.DataFrame({"period": pd.to_datetime(["2026-01-05", "2026-01-12"] * 2),
                       "series": ["a", "a", "b", "b"], "value": [1.0, 2.0, 3.0, 4.0],
                       "ci_low": [0.5, 1.5, 2.5, 3.5], "ci_high": [1.5, 2.5, 3.5, 4.5],
                       "n": [40, 40, 40, 10], "reliability": ["ok", "ok", "ok", "low_n"]})
    fig = figures.trend(df, "scale points", "CSAT mean", "CSAT mean by week", series="series")
    assert len(fig.data) == 4  # band + line for each series
    band = fig.data[2]
    assert list(band.y) == [3.5, 4.5, 3.5, 2.5]
    assert fig.data[3].marker.color[1] == "#b8c0cc"
