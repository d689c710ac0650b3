"""Tickets: FRT and TTR (median, p90) by channel / team / priority, KM curves, SLA, backlog."""

import pandas as pd
import streamlit as st

from cx.charts import figures
from cx.metrics import MetricQuery, get_metric
from cx.ui import cached
from cx.ui import components as ui
from cx.ui.filters import current_view, for_table, ignored_fields
from cx.ui.guard import require_page
from cx.views.tickets import TIME_METRICS

require_page("tickets")
view = current_view()
filters = for_table(view.filters, "tickets")

st.title("Tickets")
st.caption(f"Tickets opened {view.period_text()}. Open tickets count as censored at their age "
           "(Kaplan–Meier), never dropped.")
ui.ignored_note(ignored_fields(view.filters, "tickets"), "tickets")
count = cached.metric(MetricQuery(metric="tickets", filters=filters)).rows
if count.empty or int(count["n"].iloc[0]) == 0:
    ui.empty("No tickets in this period: widen the dates or upload tickets on the Upload page.")
    st.stop()

by = st.selectbox("Break down by", ["channel", "team", "priority"], key="tickets_by")
METRICS = TIME_METRICS
with st.spinner("Computing response and resolution times…"):
    results = {m: cached.metric(MetricQuery(metric=m, filters=filters, by=(by,)))
               for m in METRICS}

left, right = st.columns(2)
for column, name in ((left, "frt_median"), (right, "ttr_median")):
    res = results[name]
    title = f"{res.metric.label} by {by}, {view.period_text()}"
    with column:
        points = ui.chart(figures.ci_bars(res.rows, by, res.metric.unit.value, res.metric.label,
                                          title), f"tickets_{name}")
        ui.drill_down(points, "tickets", filters, field=by, metric=name)
st.caption(f"Click a {by} to open its tickets. Grey dots have too few tickets to rank.")

table = pd.concat(
    [ui.metric_rows(results[m].rows, [by], results[m].metric.unit.value)
     .assign(metric=results[m].metric.label) for m in METRICS], ignore_index=True,
)[["metric", by, "value", "95% CI", "n", "reliability"]]
export = pd.concat(
    [ui.metric_export(results[m].rows, [by], results[m].metric.unit.value)
     .assign(metric=results[m].metric.label) for m in METRICS], ignore_index=True)
ui.table(table, "tickets_times", f"ticket times by {by} {view.period_text()}", export=export)

st.subheader("Share resolved within the 24-hour SLA")
sla = results["resolved_within_24h"]
points = ui.chart(figures.ci_bars(sla.rows, by, "fraction", sla.metric.label,
                                  f"Resolved within 24 h by {by}, {view.period_text()}"),
                  "tickets_sla")
ui.drill_down(points, "tickets", filters, field=by, metric="resolved_within_24h")

st.subheader("Resolution curve by channel")
curves = cached.km_curves(filters, "channel")
if curves.empty:
    ui.empty("No resolution times yet: the tickets in this period have no durations.")
else:
    ui.chart(figures.survival_curves(curves, f"Share of tickets still open, by channel, "
                                             f"{view.period_text()} (Kaplan–Meier)"),
             "tickets_km", selectable=False)

st.subheader("Open backlog by age")
backlog = cached.backlog(filters)
if int(backlog["tickets"].sum()) == 0:
    ui.empty("No open tickets among those opened in this period.")
else:
    ui.chart(figures.bars(backlog, "age", "tickets", "count", "Open tickets",
                          f"Open tickets by age, opened {view.period_text()}"),
             "tickets_backlog", selectable=False)
    ui.table(backlog, "tickets_backlog", f"open backlog {view.period_text()}")
