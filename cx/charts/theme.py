"""One look for every chart: colours, fonts, margins, and how low-n values are shown."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from cx.charts.text import inert_figure

PRIMARY = "#2f5d8a"
ACCENT = "#d9822b"
GOOD = "#2e8b57"
BAD = "#c0392b"
MUTED = "#b8c0cc"  # low-n / unreliable values are drawn in this grey
GRID = "#e6e9ee"
PALETTE = ("#2f5d8a", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#b7950b")
BAND_ALPHA = 0.18

TIER_COLOR = {"ok": PRIMARY, "low_n": MUTED, "suppressed": MUTED}
BADGE_COLOR = {"higher": GOOD, "lower": BAD, "none": PRIMARY}


def _house_template() -> go.layout.Template:
    """plotly_white's look for the trace types our charts draw (scatter, bar, heatmap).

    Why not `template="plotly_white"`: Plotly deep-copies a template into every figure, and the
    full one carries defaults for 24 trace types; that copy was most of a chart's build time
    (about 130 of 140 ms per chart, measured; issue 13)."""
    white = pio.templates["plotly_white"]
    return go.layout.Template(layout=white.layout, data={
        kind: white.data[kind] for kind in ("scatter", "bar", "heatmap")})


HOUSE_TEMPLATE = _house_template()


def band_fill(hex_color: str, alpha: float = BAND_ALPHA) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def styled(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    """Apply the house layout; the title says what and over which period. Every text in the
    figure is escaped here (cx.charts.text), so uploaded values never render as HTML."""
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        template=HOUSE_TEMPLATE,
        colorway=list(PALETTE),
        font={"family": "Inter, Segoe UI, Helvetica, Arial, sans-serif", "size": 13},
        height=height,
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        hoverlabel={"font_size": 12},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
    )
    fig.update_xaxes(gridcolor=GRID, zerolinecolor=GRID)
    fig.update_yaxes(gridcolor=GRID, zerolinecolor=GRID)
    return inert_figure(fig)
