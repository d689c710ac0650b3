"""Building blocks every dashboard page uses: charts, tables, KPI tiles, empty states, drill-down.

One place decides how a chart is downloaded (PNG from the Plotly modebar), how a table is
downloaded (formula-neutralised CSV of exactly the rows shown), and how a click on a chart point
opens the records behind it, so pages (ours and the Segments/Drivers pages) look and act alike.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cx.charts import figures
from cx.charts.format import format_change, format_ci, format_value
from cx.domain import DateRange, Filters
from cx.export import to_csv_bytes
from cx.kpis import Tile
from cx import access
from cx.records import Drill
from cx.ui import cached, guard

EXPLORER = access.page("explorer")  # where every drill-down lands


NO_DATA = "No data yet: upload a file on the Upload page, or run `python -m cx demo`."


def page_header(title: str, caption: str) -> None:
    """Title and caption; on a database without any record, the empty state, and the run stops."""
    st.title(title)
    st.caption(caption)
    if cached.latest_date() is None:
        empty(NO_DATA)
        st.stop()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


def may_drill() -> bool:
    """Whether this user may open the records behind a chart point (the explorer page)."""
    return guard.may_open(EXPLORER.name)


def chart(fig: go.Figure, key: str, selectable: bool = True) -> list[dict]:
    """Draw a figure with a PNG download in its modebar; return the clicked points (if any).

    Points are clickable only for a drill-down the user's role may open (`may_drill`).
    """
    title = fig.layout.title.text or key
    config = {"displaylogo": False,
              "toImageButtonOptions": {"format": "png", "filename": _slug(title), "scale": 2}}
    if not selectable or not may_drill():
        st.plotly_chart(fig, key=key, config=config, width="stretch")
        return []
    event = st.plotly_chart(fig, key=key, config=config, width="stretch", on_select="rerun",
                            selection_mode="points")
    try:
        return list(event.selection.points)
    except AttributeError:  # no selection state (e.g. a page run without a browser)
        return []


def table(df: pd.DataFrame, key: str, file_name: str, **kwargs: object) -> None:
    """A table and the CSV of exactly what it shows (spreadsheet formulas neutralised)."""
    st.dataframe(df, hide_index=True, width="stretch", key=f"{key}_table", **kwargs)
    st.download_button("Download CSV", data=to_csv_bytes(df), file_name=f"{_slug(file_name)}.csv",
                       mime="text/csv", key=f"{key}_csv", icon=":material/download:")


def empty(message: str) -> None:
    """An empty state that says what to do next."""
    st.info(message, icon=":material/info:")


def ignored_note(fields: Sequence[str], what: str) -> None:
    if fields:
        st.caption(f"The filter on {', '.join(fields)} does not apply to {what}.")


def metric_rows(df: pd.DataFrame, keys: Sequence[str], unit: str) -> pd.DataFrame:
    """A metric result as a readable table: keys, value, CI, n, reliability (formatted text)."""
    return pd.DataFrame({
        **{k: df[k].astype(str) for k in keys},
        "value": [format_value(v, unit) for v in df["value"]],
        "95% CI": [format_ci(lo, hi, unit) for lo, hi in zip(df["ci_low"], df["ci_high"],
                                                             strict=True)],
        "n": df["n"].astype(int),
        "reliability": df["reliability"].astype(str),
    })


def _delta(t: Tile) -> tuple[str | None, str]:
    """Delta text for st.metric and its colour rule (a lower churn is good)."""
    if math.isnan(t.change):
        return None, "off"
    mark = " ✱" if t.significant else ""
    return format_change(t.change, t.unit) + mark, "normal" if t.higher_is_better else "inverse"


def kpi_tile(t: Tile) -> None:
    """Value, interval, n, change vs the previous period (✱ = significant), sparkline."""
    with st.container(border=True):
        delta, colour = _delta(t)
        st.metric(t.label, format_value(t.value, t.unit), delta=delta, delta_color=colour,
                  help=t.help, border=False)
        if t.tested:
            test = f"p = {t.p:.3f}" + (" (significant)" if t.significant else "")
        else:
            test = "no test for medians; compare the intervals"
        prev = "" if math.isnan(t.previous) else f"previous {format_value(t.previous, t.unit)}; "
        st.caption(f"95% CI {format_ci(t.ci_low, t.ci_high, t.unit)} · n = {t.n:,}"
                   + ("" if t.reliability == "ok" else f" ({t.reliability})")
                   + f"  \n{prev}{test if not math.isnan(t.change) else 'no previous period'}")
        if len(t.spark) > 1:
            st.plotly_chart(figures.sparkline([v for v in t.spark]), key=f"spark_{t.metric}",
                            config={"displayModeBar": False, "staticPlot": True}, width="stretch")


def drill_hint(text: str) -> None:
    """The "click a point" caption, only for roles whose click opens something."""
    if may_drill():
        st.caption(text)


def drill_down(points: list[dict], table: str, filters: Filters, field: str | None = None,
               dates_of: Callable[[str], DateRange] | None = None,
               metric: str | None = None) -> None:
    """On a clicked point, open the explorer on its records; `customdata[0]` names the point.

    `field`: the point's key is a value of this field (e.g. a channel), added to the filters.
    `dates_of`: turns the key into the dates it stands for (e.g. a trend's week) instead.
    `metric`: the point's metric; the explorer then lists only the records counted in its n.
    """
    if not points:
        return
    if not may_drill():  # a selection forged or left from before a role change
        roles = ", ".join(sorted(r.value for r in EXPLORER.roles))
        st.info(f"The records behind a point are on the {EXPLORER.title} page, which needs one "
                f"of these roles: {roles}.", icon=":material/lock:")
        return
    custom = points[0].get("customdata")
    key = custom[0] if isinstance(custom, (list, tuple)) and custom else custom
    if key is None:
        return
    if dates_of is not None:
        drill = Drill(table, replace(filters, dates=dates_of(str(key))), metric)
    elif field is not None:
        chosen = {**filters.as_dict(), field: (str(key),)}
        drill = Drill(table, Filters.of(filters.dates, **chosen), metric)
    else:
        drill = Drill(table, filters, metric)
    st.switch_page(EXPLORER.file, query_params=drill.to_params())
