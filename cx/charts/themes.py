"""Charts of comment themes: share of each NPS group's comments mentioning a theme.

Tidy frames in (cx.analysis.themes), Plotly out; the house layout escapes every text (themes
are words a CX team typed, but they still reach labels and hovers as data).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cx.charts.format import format_ci, format_value
from cx.charts.text import BR
from cx.charts.theme import BAD, GOOD, MUTED, styled

GROUP_COLOR = {"detractors": BAD, "passives": MUTED, "promoters": GOOD}


def theme_group_bars(df: pd.DataFrame, title: str) -> go.Figure:
    """Horizontal bars: per theme, the share of detractors', passives' and promoters' comments
    that mention it, with Wilson whiskers; hidden shares (small n) are not drawn."""
    fig = go.Figure()
    order = list(dict.fromkeys(df["theme"].astype(str)))
    for group, color in GROUP_COLOR.items():
        g = df[(df["group"] == group) & df["share"].notna()]
        hover = [f"{r.theme}: {format_value(r.share, 'fraction')} of {group}' comments"
                 f"{BR}95% CI {format_ci(r.ci_low, r.ci_high, 'fraction')}"
                 f"{BR}{int(r.mentions):,} of {int(r.comments):,}" for r in g.itertuples()]
        fig.add_trace(go.Bar(
            x=g["share"], y=g["theme"].astype(str), orientation="h", name=group,
            marker_color=color, hovertext=hover, hoverinfo="text",
            error_x={"type": "data", "symmetric": False, "array": g["ci_high"] - g["share"],
                     "arrayminus": g["share"] - g["ci_low"], "color": "#555"}))
    fig.update_layout(barmode="group")
    fig.update_xaxes(title="share of the group's comments", tickformat=".0%", rangemode="tozero")
    fig.update_yaxes(title="theme", categoryorder="array", categoryarray=order[::-1])
    return styled(fig, title, height=max(280, 90 + 60 * len(order)))
