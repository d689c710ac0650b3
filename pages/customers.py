"""Customers: churn and retention by segment, plan, tenure band; CLV; NPS of churned vs kept."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from cx.charts import figures
from cx.domain import DateRange
from cx.metrics import MetricQuery, get_metric
from cx.ui import cached
from cx.ui import components as ui
from cx.ui.filters import current_view, for_table, ignored_fields
from cx.ui.guard import require_page

require_page("customers")
view = current_view()
filters = for_table(view.filters, "customers")

st.title("Customers")
ui.ignored_note(ignored_fields(view.filters, "customers"), "customers")
count = cached.metric(MetricQuery(metric="customers", filters=replace(filters, dates=DateRange())))
if count.rows.empty or int(count.rows["n"].iloc[0]) == 0:
    ui.empty("No customers loaded: upload a customers file on the Upload page.")
    st.stop()
st.caption(f"Churn over {view.period_text()}: customers active at its start who churned within "
           "it, divided by those active at its start. " + get_metric("churn_rate").help)

by = st.selectbox("Break down by", ["segment", "plan", "region", "tenure band"], key="cust_by")
if by == "tenure band":
    churn = cached.churn_by_tenure(filters)
    key, drill_field = "tenure_band", None
else:
    churn = cached.metric(MetricQuery(metric="churn_rate", filters=filters, by=(by,))).rows
    key, drill_field = by, by
if churn.empty or int(churn["n"].sum()) == 0:
    ui.empty("No customers were active at the start of this period: widen the dates.")
    st.stop()
title = f"Churn rate by {by}, {view.period_text()}"
points = ui.chart(figures.ci_bars(churn, key, "fraction", "Churn rate", title), "cust_churn")
if drill_field:
    st.caption(f"Click a {by} to open its customers.")
    ui.drill_down(points, "customers", replace(filters, dates=DateRange()), field=drill_field,
                  metric="churn_rate")
retention = churn.assign(value=1 - churn["value"], ci_low=1 - churn["ci_high"],
                         ci_high=1 - churn["ci_low"])
table = pd.concat([ui.metric_rows(churn, [key], "fraction").assign(metric="churn rate"),
                   ui.metric_rows(retention, [key], "fraction").assign(metric="retention rate")],
                  ignore_index=True)[["metric", key, "value", "95% CI", "n", "reliability"]]
export = pd.concat([ui.metric_export(churn, [key], "fraction").assign(metric="churn rate"),
                    ui.metric_export(retention, [key], "fraction").assign(metric="retention rate")],
                   ignore_index=True)
ui.table(table, "cust_churn", f"churn and retention by {by} {view.period_text()}", export=export)

st.subheader("Customer lifetime value")
margin = st.slider("Gross margin (assumption for derived CLV)", 0.05, 1.0, 1.0, 0.05,
                   key="cust_margin")
clv_by = by if by != "tenure band" else "segment"
clv = cached.metric(MetricQuery(metric="clv", filters=replace(filters, dates=DateRange()),
                                by=(clv_by,), clv_margin=margin))
st.caption("CLV is a lifetime figure over all customers in scope (the date filter does not "
           "apply). " + clv.metric.help)
for note in clv.notes:
    st.caption(f"Note: {note}")
ui.table(ui.metric_rows(clv.rows, [clv_by], "currency"), "cust_clv", f"clv by {clv_by}",
         export=ui.metric_export(clv.rows, [clv_by], "currency"))

st.subheader("NPS of churned and retained customers")
nps = cached.nps_by_churn(for_table(view.filters, "responses"))
if len(nps) < 2:
    ui.empty("Needs survey answers linked (by customer_id) to both churned and retained "
             "customers in this period: widen the dates or upload responses with customer ids.")
else:
    ui.chart(figures.ci_bars(nps, "status", "points", "NPS",
                             f"NPS by churn status, answers {view.period_text()}"),
             "cust_nps", selectable=False)
    ui.table(ui.metric_rows(nps, ["status"], "points"), "cust_nps", "nps by churn status",
             export=ui.metric_export(nps, ["status"], "points"))
