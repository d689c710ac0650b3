"""Overview: the six headline KPIs against the previous period, and a weekly trend with CI band."""

from functools import partial

import streamlit as st

from cx.charts import figures
from cx.domain import Grain
from cx.views.kpis import OVERVIEW_METRICS, tiles_frame
from cx.metrics import MetricQuery, get_metric
from cx.views.records import period_dates
from cx.ui import cached
from cx.ui import components as ui
from cx.ui import sources
from cx.ui.filters import current_view, for_table
from cx.ui.guard import require_page

require_page("overview")
view = current_view()

ui.page_header(
    "Overview",
    f"{view.period_text()} · change against the previous period of the same length; "
    "✱ marks a real change, larger than normal noise",
)

per_metric = tuple(for_table(view.filters, get_metric(m).table) for m in OVERVIEW_METRICS)
sources.pooled_caption(for_table(view.filters, "responses"))
with st.spinner("Computing the headline numbers…"):
    tiles = cached.tiles(OVERVIEW_METRICS, per_metric)
if all(t.n == 0 for t in tiles):
    ui.empty("No records in this period: widen the dates or clear some filters, "
             "or upload data on the Upload page.")
    st.stop()
columns = st.columns(3)
for i, t in enumerate(tiles):
    with columns[i % 3]:
        ui.kpi_tile(t)
with st.expander("How to read this"):
    st.caption(ui.OVERVIEW_HOW_TO_READ)
with st.expander("The numbers as a table"):
    ui.table(tiles_frame(tiles), "kpis", f"kpis {view.period_text()}")

st.subheader("Weekly trend")
choice = st.selectbox("Metric", OVERVIEW_METRICS, key="overview_trend_metric",
                      format_func=lambda m: get_metric(m).label)
metric = get_metric(choice)
filters = for_table(view.filters, metric.table)
result = cached.metric(MetricQuery(metric=choice, filters=filters, grain=Grain.WEEK))
if result.rows.empty:
    ui.empty(f"No {metric.table} in this period: widen the dates or upload {metric.table}.")
    st.stop()
title = f"{metric.label} by week, {view.period_text()}"
points = ui.chart(figures.trend(result.rows, metric.unit.value, metric.label, title), "trend")
ui.drill_hint("Click a week to open its records in the explorer.")
ui.drill_down(points, metric.table, filters, metric=choice,
              dates_of=partial(period_dates, grain=Grain.WEEK, within=filters.dates))
