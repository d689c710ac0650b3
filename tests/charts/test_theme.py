"""The house template looks exactly like plotly_white for every trace type our charts draw, and
carries nothing else (issue 13: copying the full template into each figure was most of a chart's
build time)."""

from __future__ import annotations

import inspect

import plotly.graph_objects as go
import plotly.io as pio

from cx.charts import figures, theme


def test_every_chart_draws_with_plotly_whites_look() -> None:
    white = pio.templates["plotly_white"].to_plotly_json()
    fig = theme.styled(go.Figure([go.Scatter(x=[1, 2], y=[3, 4]), go.Bar(x=[1], y=[2]),
                                  go.Heatmap(z=[[1, 2], [3, 4]])]), "t")
    used = fig.layout.template.to_plotly_json()
    assert used["layout"] == white["layout"]
    assert set(used["data"]) == {"scatter", "bar", "heatmap"}
    for kind, defaults in used["data"].items():
        assert defaults == white["data"][kind]


def test_the_figure_builders_draw_only_trace_types_the_template_covers() -> None:
    source = inspect.getsource(figures)
    drawn = {name.lower() for name in dir(go) if f"go.{name}(" in source} - {"figure"}
    assert drawn == set(theme.HOUSE_TEMPLATE.to_plotly_json()["data"])
    assert "plotly_white" not in source  # the KPI tiles' sparklines too (6 per Overview)
    spark = figures.sparkline([1.0, 2.0, 1.5]).layout.template.to_plotly_json()
    assert spark == theme.HOUSE_TEMPLATE.to_plotly_json()
