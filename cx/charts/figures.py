"""Tidy DataFrame in, Plotly figure out. No queries and no statistics here.

Every metric chart reads the engine's stable columns: value, ci_low, ci_high, n, reliability.
Hover always shows n and the interval; low-n values are drawn grey, suppressed ones not at all.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cx.charts.format import (
    axis_tickformat, axis_title, format_ci, format_duration, format_value,
)
from cx.charts.text import BR
from cx.stats.clusters import effective_n_text
from cx.charts.theme import (
    ACCENT, BAD, BADGE_COLOR, GOOD, HOUSE_TEMPLATE, MUTED, PALETTE, PRIMARY, TIER_COLOR,
    band_fill, styled,
)


def _hover_lines(df: pd.DataFrame, unit: str) -> list[str]:
    return [
        f"{format_value(r.value, unit)}{BR}95% CI {format_ci(r.ci_low, r.ci_high, unit)}"
        f"{BR}n = {int(r.n):,}" + ("" if r.reliability == "ok" else f" ({r.reliability})")
        + (f"{BR}{t}" if (t := effective_n_text(getattr(r, "deff", None),
                                                  getattr(r, "n_eff", None))) else "")
        for r in df.itertuples()
    ]


def ci_bars(df: pd.DataFrame, category: str, unit: str, label: str, title: str,
            badge: str | None = None) -> go.Figure:
    """Dots with CI whiskers, ranked by the lower bound (METHODS §7.3); click a dot to drill down."""
    data = df.sort_values("ci_low", ascending=True, na_position="first").reset_index(drop=True)
    shown = data[data["reliability"] != "suppressed"]
    colors = [
        TIER_COLOR["low_n"] if r.reliability != "ok"
        else BADGE_COLOR.get(getattr(r, badge) if badge else "none", PRIMARY)
        for r in shown.itertuples()
    ]
    fig = go.Figure(go.Scatter(
        x=shown["value"], y=shown[category].astype(str), mode="markers",
        marker={"size": 12, "color": colors},
        error_x={"type": "data", "symmetric": False, "array": shown["ci_high"] - shown["value"],
                 "arrayminus": shown["value"] - shown["ci_low"], "color": "#7a8594"},
        customdata=np.stack([shown[category].astype(str), shown["n"]], axis=-1) if len(shown) else None,
        hovertext=_hover_lines(shown, unit), hoverinfo="text+y", name=label,
    ))
    hidden = data[data["reliability"] == "suppressed"]
    for r in hidden.itertuples():
        fig.add_annotation(x=0, xref="paper", y=str(getattr(r, category)), text=f"n = {int(r.n)} (hidden)",
                           showarrow=False, xanchor="left", font={"color": MUTED})
    fig.update_xaxes(title=axis_title(label, unit), tickformat=axis_tickformat(
        unit, [*shown["ci_low"], *shown["ci_high"], *shown["value"]]))
    fig.update_yaxes(title=category.replace("_", " "), categoryorder="array",
                     categoryarray=list(data[category].astype(str)))
    return styled(fig, title, height=max(260, 60 + 34 * len(data)))


def _trend_traces(df: pd.DataFrame, unit: str, label: str,
                  series: str | None = None) -> tuple[list[go.Scatter], bool]:
    """The traces of `trend` (a CI band, when there is one, and a line per series), and whether
    a band is drawn."""
    traces: list[go.Scatter] = []
    banded = bool((df["ci_low"].notna() & df["ci_high"].notna()).any())
    groups = [(None, df)] if series is None else list(df.groupby(series, sort=True))
    for i, (name, g) in enumerate(groups):
        g = g.sort_values("period")
        color = PALETTE[i % len(PALETTE)]
        if banded:
            traces.append(go.Scatter(x=list(g["period"]) + list(g["period"])[::-1],
                                     y=list(g["ci_high"]) + list(g["ci_low"])[::-1],
                                     fill="toself", fillcolor=band_fill(color),
                                     line={"width": 0}, hoverinfo="skip", showlegend=False))
        traces.append(go.Scatter(
            x=g["period"], y=g["value"], mode="lines+markers", name=str(name or label),
            line={"color": color, "width": 2},
            marker={"color": [color if t == "ok" else MUTED for t in g["reliability"]], "size": 6},
            hovertext=_hover_lines(g, unit), hoverinfo="text+x",
            customdata=np.array(g["period"].astype(str)),
        ))
    return traces, banded


def _value_tickformat(df: pd.DataFrame, unit: str) -> str:
    return axis_tickformat(unit, [*df["ci_low"], *df["ci_high"], *df["value"]])


def trend(df: pd.DataFrame, unit: str, label: str, title: str, series: str | None = None) -> go.Figure:
    """A line per series with its CI band; unreliable periods drawn as grey markers. The title
    says "(95% CI band)" only when a band is drawn (counts have no interval)."""
    traces, banded = _trend_traces(df, unit, label, series)
    fig = go.Figure(traces)
    fig.update_yaxes(title=axis_title(label, unit), tickformat=_value_tickformat(df, unit))
    fig.update_xaxes(title="period")
    return styled(fig, f"{title} (95% CI band)" if banded else title)


def trend_grid(panels: Sequence[tuple[pd.DataFrame, str, str]], title: str,
               cols: int = 1) -> go.Figure:
    """Several single-series trends (frame, unit, label) as the panels of one figure.

    The same traces, hover texts and axis formats as one `trend` chart each, but one Plotly
    plot for the browser to lay out and draw instead of one per metric: on the weekly snapshot
    that was most of the page's time in the browser (issue 13). One column by default: the
    figure cannot restack its panels on a phone the way Streamlit's columns did."""
    rows = -(-len(panels) // cols)
    drawn = [_trend_traces(df, unit, label) for df, unit, label in panels]
    names = [label + (" (95% CI band)" if banded else "")
             for (_, _, label), (_, banded) in zip(panels, drawn, strict=True)]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=names, vertical_spacing=0.45 / rows,
                        horizontal_spacing=0.1)
    for i, ((df, unit, label), (traces, _)) in enumerate(zip(panels, drawn, strict=True)):
        row, col = i // cols + 1, i % cols + 1
        fig.add_traces(traces, rows=row, cols=col)
        fig.update_yaxes(title=axis_title(label, unit), tickformat=_value_tickformat(df, unit),
                         row=row, col=col)
    fig.update_annotations(font_size=14)  # the panel titles
    fig.update_layout(showlegend=False)
    return styled(fig, title, height=80 + 280 * rows)


def sparkline(values: Sequence[float], color: str = PRIMARY) -> go.Figure:
    fig = go.Figure(go.Scatter(y=list(values), mode="lines", line={"color": color, "width": 2},
                               hoverinfo="skip"))
    fig.update_layout(height=60, margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False,
                      xaxis={"visible": False}, yaxis={"visible": False},
                      template=HOUSE_TEMPLATE)
    return fig


def heatmap(df: pd.DataFrame, x: str, y: str, unit: str, label: str, title: str) -> go.Figure:
    """Metric by two dimensions; cells that are not reliable are left blank, with their n."""
    shown = df.assign(value=df["value"].where(df["reliability"] == "ok"))
    grid = shown.pivot(index=y, columns=x, values="value")
    counts = df.pivot(index=y, columns=x, values="n").reindex_like(grid)
    text = [[("" if pd.isna(v) else format_value(v, unit))
             + f"{BR}n={int(c) if not pd.isna(c) else 0}"
             for v, c in zip(row_v, row_c, strict=True)]
            for row_v, row_c in zip(grid.to_numpy(), counts.to_numpy(), strict=True)]
    fig = go.Figure(go.Heatmap(z=grid.to_numpy(), x=[str(c) for c in grid.columns],
                               y=[str(i) for i in grid.index], text=text, texttemplate="%{text}",
                               hoverinfo="text", colorscale="RdBu", colorbar={"title": label}))
    fig.update_xaxes(title=x.replace("_", " "))
    fig.update_yaxes(title=y.replace("_", " "))
    return styled(fig, title, height=max(300, 80 + 40 * len(grid.index)))


def survival_curves(df: pd.DataFrame, title: str, group: str = "group") -> go.Figure:
    """Kaplan–Meier share of tickets still open over time (t in hours, s in 0–1)."""
    fig = go.Figure()
    for i, (name, g) in enumerate(df.groupby(group, sort=True)):
        hover = [f"{format_duration(t)}: {format_value(s, 'fraction')} still open"
                 for t, s in zip(g["t"], g["s"], strict=True)]
        fig.add_trace(go.Scatter(x=g["t"], y=g["s"], mode="lines", line_shape="hv",
                                 name=str(name), line={"color": PALETTE[i % len(PALETTE)]},
                                 hovertext=hover, hoverinfo="text+name"))
    fig.update_xaxes(title="hours since opened", type="log")
    fig.update_yaxes(title="share still open", tickformat=".0%", range=[0, 1])
    return styled(fig, title)


def binned(df: pd.DataFrame, title: str) -> go.Figure:
    """Top-2-box by resolution-time bucket with Wilson whiskers; grey buckets are low-n."""
    colors = [PRIMARY if t == "ok" else MUTED for t in df["reliability"]]
    fig = go.Figure(go.Bar(
        x=df["bucket"].astype(str), y=df["value"], marker_color=colors,
        error_y={"type": "data", "symmetric": False, "array": df["ci_high"] - df["value"],
                 "arrayminus": df["value"] - df["ci_low"]},
        hovertext=_hover_lines(df, "fraction"), hoverinfo="text+x",
        customdata=df["bucket"].astype(str),
    ))
    fig.update_xaxes(title="time to resolution")
    fig.update_yaxes(title="satisfied (top-2-box, %)", tickformat=".0%", range=[0, 1])
    return styled(fig, title)


def quadrant(df: pd.DataFrame, imp_cut: float, perf_cut: float, title: str) -> go.Figure:
    """Importance (share of R²) against performance, with bootstrap whiskers on importance."""
    fig = go.Figure(go.Scatter(
        x=df["performance"], y=df["share"], mode="markers+text", text=df["name"],
        textposition="top center", marker={"size": 12, "color": ACCENT},
        error_y={"type": "data", "symmetric": False, "array": df["ci_high"] - df["share"],
                 "arrayminus": df["share"] - df["ci_low"]},
        hovertemplate="%{text}<br>importance %{y:.1%}<br>performance %{x:.2f}<extra></extra>",
    ))
    fig.add_hline(y=imp_cut, line_dash="dot", line_color=MUTED)
    fig.add_vline(x=perf_cut, line_dash="dot", line_color=MUTED)
    fig.update_xaxes(title="performance (mean rating)")
    fig.update_yaxes(title="importance (share of R²)",
                     tickformat=axis_tickformat("fraction", [*df["ci_low"], *df["ci_high"]]))
    return styled(fig, title, height=460)


def control_chart(df: pd.DataFrame, title: str) -> go.Figure:
    """p-chart: weekly share with its 3-sigma limits; out-of-control weeks in red."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=df["period"], y=df["ucl"], mode="lines", line={"color": MUTED,
                             "dash": "dash"}, name="upper limit", line_shape="hvh"))
    fig.add_trace(go.Scatter(x=df["period"], y=df["lcl"], mode="lines", line={"color": MUTED,
                             "dash": "dash"}, name="lower limit", line_shape="hvh"))
    fig.add_trace(go.Scatter(x=df["period"], y=df["centre"], mode="lines", name="centre",
                             line={"color": GOOD, "width": 1}))
    fig.add_trace(go.Scatter(x=df["period"], y=df["p"], mode="lines+markers", name="share",
                             line={"color": PRIMARY},
                             marker={"size": 8, "color": [BAD if o else PRIMARY for o in df["out_of_control"]]},
                             hovertemplate="%{x}: %{y:.1%}<extra></extra>"))
    fig.update_yaxes(title="share satisfied", tickformat=axis_tickformat(
        "fraction", [*df["p"], *df["lcl"], *df["ucl"]]))
    return styled(fig, title)


def bars(df: pd.DataFrame, x: str, y: str, unit: str, label: str, title: str) -> go.Figure:
    fig = go.Figure(go.Bar(x=df[x].astype(str), y=df[y], marker_color=PRIMARY,
                           customdata=df[x].astype(str),
                           hovertemplate="%{x}: %{y:" + ("," if unit == "count" else "") + ".0f}<extra></extra>"))
    fig.update_xaxes(title=x.replace("_", " "))
    fig.update_yaxes(title=axis_title(label, unit),
                     tickformat=axis_tickformat(unit, [0.0, *df[y]]))  # bars start at zero
    return styled(fig, title)
