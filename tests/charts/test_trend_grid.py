"""The snapshot's 12-week trends as one figure (issue 13): every panel shows exactly the
numbers, hover texts and axis formats of the chart it replaces."""

from __future__ import annotations

import pandas as pd

from cx.charts import figures


def _frame(values: list[float], ci: bool) -> pd.DataFrame:
    weeks = [f"2026-W{w:02d}" for w in range(1, len(values) + 1)]
    return pd.DataFrame({
        "period": weeks, "value": values,
        "ci_low": [v - 0.05 for v in values] if ci else [None] * len(values),
        "ci_high": [v + 0.05 for v in values] if ci else [None] * len(values),
        "n": [120 + i for i in range(len(values))],
        "reliability": ["ok"] * (len(values) - 1) + ["low_n"]})


PANELS = [(_frame([0.71, 0.74, 0.69], ci=True), "fraction", "CSAT"),
          (_frame([12.0, 15.0, 11.0], ci=True), "points", "NPS"),
          (_frame([400.0, 380.0, 420.0], ci=False), "count", "Responses")]


def test_each_panel_is_the_trend_chart_it_replaces() -> None:
    grid = figures.trend_grid(PANELS, "By week", cols=2)
    # CSAT and NPS: band + line; Responses (a count): no interval, line only
    assert [len(t.x) for t in grid.data] == [6, 3, 6, 3, 3]
    assert [t.yaxis for t in grid.data] == ["y", "y", "y2", "y2", "y3"]
    assert [a.text for a in grid.layout.annotations] == [
        "CSAT (95% CI band)", "NPS (95% CI band)", "Responses"]
    lines = [t for t in grid.data if t.mode == "lines+markers"]
    for (df, unit, label), line, axis in zip(PANELS, lines, ("yaxis", "yaxis2", "yaxis3"),
                                             strict=True):
        alone = figures.trend(df, unit, label, label)
        ref = [t for t in alone.data if t.mode == "lines+markers"][0]
        assert list(line.y) == list(df["value"]) == list(ref.y)
        assert line.hovertext == ref.hovertext and list(line.x) == list(ref.x)
        assert list(line.marker.color) == list(ref.marker.color)
        assert grid.layout[axis].tickformat == alone.layout.yaxis.tickformat
        assert grid.layout[axis].title.text == alone.layout.yaxis.title.text
    assert lines[0].hovertext[0].startswith("71.0%") and "n = 120" in lines[0].hovertext[0]
    assert grid.layout.title.text == "By week" and grid.layout.showlegend is False
    assert grid.layout.height == 80 + 280 * 2  # two rows of two panels
    stacked = figures.trend_grid(PANELS, "By week")  # one column, as the snapshot page draws
    assert stacked.layout.height == 80 + 280 * 3
    assert [t.yaxis for t in stacked.data] == [t.yaxis for t in grid.data]
    assert stacked.layout.yaxis3.domain[1] < stacked.layout.yaxis2.domain[0]  # below, not beside
