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
from cx.charts.format import format_change, format_ci, format_p, format_value
from cx.domain import DateRange, Filters
from cx.auth.scopes import stamp
from cx.views.export import records_csv, records_xlsx, to_csv_bytes, to_xlsx_bytes
from cx.views.kpis import Tile
from cx.auth import access
from cx.views.records import Drill, RecordQuery
from cx.stats.clusters import effective_n_text
from cx.ui.analysis_views import effective_n_column
from cx.ui import cached, context, guard

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


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table(df: pd.DataFrame, key: str, file_name: str, export: pd.DataFrame | None = None,
          **kwargs: object) -> None:
    """A table, and its rows as CSV and Excel. `export`: the same rows with numbers as numbers
    (value, ci_low, ci_high, n in columns of their own) when the table shows formatted text."""
    st.dataframe(df, hide_index=True, width="stretch", key=f"{key}_table", **kwargs)
    rows = df if export is None else export
    slug = _slug(file_name)
    csv_col, xlsx_col = st.columns(2)
    csv_col.download_button("Download CSV", data=to_csv_bytes(rows), file_name=f"{slug}.csv",
                            mime="text/csv", key=f"{key}_csv", icon=":material/download:")
    xlsx_col.download_button("Download Excel", data=lambda: to_xlsx_bytes(rows),
                             file_name=f"{slug}.xlsx", mime=XLSX_MIME, key=f"{key}_xlsx",
                             icon=":material/table_view:")


def records_export(query: RecordQuery, total: int) -> None:
    """Every record in the filter (not only the page shown), with the count said up front; the
    file is read from the database only when a button is clicked."""
    store, settings = context.store(), context.settings()
    query = stamp(query, context.scope())  # read outside cx.ui.cached: the scope is set here
    st.caption(f"Download all {total:,} {query.table} in this filter and search, in this order "
               "(not only this page):")
    csv_col, xlsx_col = st.columns(2)
    csv_col.download_button(f"All {total:,} as CSV", key="records_all_csv",
                            data=lambda: records_csv(store, settings, query),
                            file_name=f"{query.table}-all.csv", mime="text/csv",
                            icon=":material/download:")
    xlsx_col.download_button(f"All {total:,} as Excel", key="records_all_xlsx",
                             data=lambda: records_xlsx(store, settings, query),
                             file_name=f"{query.table}-all.xlsx", mime=XLSX_MIME,
                             icon=":material/table_view:")


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
        **effective_n_column(df),
    })


def metric_export(df: pd.DataFrame, keys: Sequence[str], unit: str) -> pd.DataFrame:
    """A metric result for download: keys, then numbers as numbers and the unit they are in
    (shares as fractions, times in hours)."""
    cols = [*keys, "value", "ci_low", "ci_high", "n", "reliability"]
    cols += [c for c in ("deff", "n_eff") if c in df]
    return df[cols].assign(n=df["n"].astype(int), unit=unit)


OVERVIEW_HOW_TO_READ = (
    "Each tile compares the period with the previous period of the same length. A change is "
    "called real (✱, coloured) when it is larger than normal noise: a two-sample test "
    "(adjusted-Wald for NPS, score test for shares, Welch t for means) whose p-values are "
    "corrected with Benjamini–Hochberg over the tiles tested together (q < 0.05), the same rule "
    "as the weekly snapshot. Medians and volumes "
    "are not tested: compare their intervals. A grey change is within normal noise. The range "
    "under each value is its 95% confidence interval; the shaded band on the weekly trend is the "
    "same interval for each week, drawn where one exists. Grey points have too few answers. "
    "How every number is computed: docs/methods.md in the CX Lens folder.")


def _delta(t: Tile) -> tuple[str | None, str]:
    """Delta text for st.metric and its colour: grey unless the change is real (significant)
    and not zero; then green when for the better (a lower churn is better)."""
    if math.isnan(t.change):
        return None, "off"
    mark = " ✱" if t.significant else ""
    if not t.significant or t.change == 0:
        return format_change(t.change, t.unit) + mark, "off"
    return format_change(t.change, t.unit) + mark, "normal" if t.higher_is_better else "inverse"


def _tile_words(t: Tile) -> str:
    """The change in plain words for the caption; the test itself is in the tooltip."""
    if math.isnan(t.change):
        return "no previous period"
    if not t.tested:
        return "not tested (a median or a volume): compare the intervals"
    return "a real change" if t.significant else "within normal noise"


def kpi_tile(t: Tile) -> None:
    """Value, interval, n, change vs the previous period (✱ = real change), sparkline."""
    with st.container(border=True):
        delta, colour = _delta(t)
        test = f"Test of the change: {format_p(t.p)}." if t.tested else ""
        st.metric(t.label, format_value(t.value, t.unit), delta=delta, delta_color=colour,
                  help=" ".join(x for x in (t.help, test) if x), border=False)
        prev = "" if math.isnan(t.previous) else f"previous {format_value(t.previous, t.unit)}; "
        repeats = effective_n_text(t.deff, t.n_eff)
        st.caption(f"95% CI {format_ci(t.ci_low, t.ci_high, t.unit)} · n = {t.n:,}"
                   + ("" if t.reliability == "ok" else f" ({t.reliability})")
                   + (f"  \n{repeats}" if repeats else "")
                   + f"  \n{prev}{_tile_words(t)}")
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
