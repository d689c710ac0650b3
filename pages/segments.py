"""Segments: any metric by any dimension, each segment against the rest, and a two-way heat map."""

import streamlit as st

from cx.charts import figures
from cx.metrics import CATALOG, MetricQuery, MetricType, get_metric
from cx.ui import analysis_views as views
from cx.ui import cached
from cx.ui import components as ui
from cx.ui import verbatims
from cx.ui.filters import current_view, for_table, ignored_fields
from cx.ui.guard import require_page

require_page("segments")
view = current_view()

ui.page_header(
    "Segments",
    f"{view.period_text()} · each segment against the rest of the data in scope; badges "
    "after Benjamini–Hochberg correction; ranked by the conservative 95% bound.",
)

choices = [m.name for m in CATALOG if m.type is not MetricType.COUNT]
left, right = st.columns(2)
name = left.selectbox("Metric", choices, index=choices.index("nps"), key="segments_metric",
                      format_func=lambda m: get_metric(m).label)
metric = get_metric(name)
dims = views.split_fields(cached.dimensions(metric.table) + verbatims.theme_dimension(
    metric.table), metric)  # comment themes: a comment in every theme it mentions
by = right.selectbox("Split by", dims, key=f"segments_by_{metric.table}",
                     index=dims.index("channel") if "channel" in dims else 0)
filters = for_table(view.filters, metric.table)
ui.ignored_note(ignored_fields(view.filters, metric.table), metric.table)

with st.spinner(f"Comparing {metric.label} across {by}…"):
    analysis = cached.segments(name, by, filters)
if analysis.table.empty or int(analysis.table["n"].sum()) == 0:
    ui.empty(f"No {metric.table} with {metric.label} in this period: widen the dates, clear some "
             f"filters, or upload {metric.table} on the Upload page.")
    st.stop()

st.markdown(views.plain(analysis.reading))
title = f"{metric.label} by {by}, {view.period_text()} (95% CI, ranked by lower bound)"
fig = views.mark_segments(figures.ci_bars(views.segment_points(analysis), "segment",
                                          analysis.unit, metric.label, title, badge="badge"),
                          analysis)
points = ui.chart(fig, "segments_chart")
ui.drill_down(points, metric.table, filters, field=by, metric=name)
st.caption(f"Click a dot to open its {metric.table}. Green / red: higher / lower than the rest; "
           "grey: too few answers for a badge or a rank.")
st.caption(views.plain(views.heterogeneity_line(analysis)))
for note in analysis.notes:
    st.caption(views.plain(note))
ui.table(views.segment_rows(analysis), "segments", f"{name} by {by} {view.period_text()}",
         export=views.segment_export(analysis))

st.subheader("Two dimensions at once")
others = [d for d in dims if d != by]
if not others:
    ui.empty(f"{metric.table.capitalize()} have no second dimension to cross with {by}.")
    st.stop()
second = st.selectbox("Against", others, key=f"segments_second_{metric.table}",
                      index=others.index("region") if "region" in others else 0)
with st.spinner("Computing the heat map…"):
    grid = cached.metric(MetricQuery(metric=name, filters=filters, by=(by, second))).rows
if grid.empty:
    ui.empty(f"No {metric.label} by {by} and {second} in this period: widen the dates.")
    st.stop()
ui.chart(figures.heatmap(views.heat_ready(grid, by, second), by, second, metric.unit.value,
                         metric.label, f"{metric.label} by {by} and {second}, "
                                       f"{view.period_text()}"),
         "segments_heatmap", selectable=False)
st.caption("Blank cells have too few answers (or too wide an interval) to show a value.")
with st.expander("The heat map as a table"):
    heat = views.heat_ready(grid, by, second)
    ui.table(ui.metric_rows(heat, [by, second], metric.unit.value),
             "segments_heat", f"{name} by {by} and {second} {view.period_text()}",
             export=ui.metric_export(heat, [by, second], metric.unit.value))
