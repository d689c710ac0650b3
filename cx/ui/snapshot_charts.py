"""The weekly snapshot page's charts, built once per snapshot and shared by every run.

A stored snapshot is frozen and its charts are drawn from its payload alone, yet the page built
its nine Plotly figures again on every run, and the browser drew nine plots. Now the eight
12-week trends are the panels of one figure (one plot to lay out and draw: the browser's work
was most of the page's time), and the figures are built once per distinct payload and shared by
every run and session; nothing mutates them (`st.plotly_chart` serialises a copy). Issue 13.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from cx.charts import figures
from cx.snapshots import view

Chart = tuple[str, go.Figure]  # (element key, figure)


@st.cache_resource(max_entries=64, show_spinner=False)
def snapshot_charts(blocks: list[dict[str, Any]]) -> tuple[Chart, ...]:
    """The 12-week trends of every headline metric as one chart, then the p-charts of the
    metrics that have one."""
    # Keyed on the payload's content (Streamlit hashes the blocks): a rebuilt or restated
    # snapshot, or another scope's, has other blocks and so its own charts.
    charts: list[Chart] = []
    if blocks:
        panels = [(view.history_frame(m), m["unit"], m["label"]) for m in blocks]
        charts.append(("snapshot_trends", figures.trend_grid(
            panels, "Each headline metric by week, the 12 weeks to this one")))
    charts += [(f"snapshot_control_{m['name']}",
                figures.control_chart(frame, f"{m['label']}: usual range (from the 12 weeks "
                                             "before each week)"))
               for m in blocks if (frame := view.control_frame(m)) is not None]
    return tuple(charts)
