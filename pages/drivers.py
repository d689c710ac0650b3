"""Drivers: ticket CSAT against resolution time (pooled, per channel, partial) and key drivers."""

import math

import streamlit as st

from cx.charts import figures
from cx.ui import analysis_views as views
from cx.ui import cached
from cx.ui import components as ui
from cx.ui.filters import current_view, for_table, ignored_fields
from cx.ui.guard import require_page

require_page("drivers")
view = current_view()

ui.page_header(
    "Drivers",
    f"{view.period_text()} · what goes with satisfaction, and which rated attributes "
    "explain it. Correlation is not cause: read it as where to look.",
)

st.subheader("Ticket CSAT vs resolution time")
tickets = for_table(view.filters, "tickets")
ui.ignored_note(ignored_fields(view.filters, "tickets"), "tickets")
left, right = st.columns(2)
method = left.selectbox("Coefficient", list(views.COEFFICIENT), key="drivers_method",
                        format_func=views.COEFFICIENT.__getitem__)
dims = cached.dimensions("tickets")
control = right.selectbox("Control for", dims, key="drivers_control",
                          index=dims.index("channel") if "channel" in dims else 0)
with st.spinner("Correlating CSAT with resolution time…"):
    corr = cached.correlation("tickets", "resolution_hours", "csat", method, control, tickets)
s = corr.summary
if not math.isfinite(s["r"]):
    ui.empty(f"Not enough data: {s['n']} tickets in this period have both a resolution time and "
             "a CSAT rating. Widen the dates, clear some filters, or upload rated tickets.")
else:
    st.markdown(views.plain(corr.reading))
    c1, c2, c3 = st.columns(3)
    c1.metric(f"{views.COEFFICIENT[method]}, all tickets", views.coef(s["r"]), border=True,
              help="Surveys go out only for resolved tickets, so long open tickets are missing "
                   "and the association is attenuated.")
    c1.caption(f"95% CI {views.coef(s['ci_low'])} to {views.coef(s['ci_high'])} · "
               f"n = {s['n']:,} · {views.p_phrase(s['p'])}")
    c2.metric(f"Partial, controlling for {control}", views.coef(s["partial_r"]), border=True)
    c2.caption(f"95% CI {views.coef(s['partial_ci_low'])} to {views.coef(s['partial_ci_high'])}"
               f" · {views.p_phrase(s['partial_p'])}")
    c3.metric("Tickets with both values", f"{s['n']:,}", border=True)
    st.markdown(":material/call_split: " + views.plain(views.partial_sentence(corr)))
    for note in corr.notes:
        st.caption(views.plain(note))
    if corr.bins is not None:
        ui.chart(figures.binned(corr.bins, f"Satisfied tickets by resolution time, "
                                           f"{view.period_text()} (95% Wilson CI)"),
                 "drivers_bins", selectable=False)
        ui.table(views.bin_rows(corr.bins), "drivers_bins",
                 f"csat by sla bucket {view.period_text()}", export=corr.bins)
    points = ui.chart(figures.ci_bars(views.group_points(corr), "segment", "scale points",
                                      views.COEFFICIENT[method],
                                      f"{views.COEFFICIENT[method]} within each {control}, "
                                      f"{view.period_text()} (95% CI)"), "drivers_groups")
    ui.drill_down(points, "tickets", tickets, field=control)
    st.caption(f"Click a {control} to open its tickets.")
    ui.table(views.group_rows(corr), "drivers_groups",
             f"csat vs resolution by {control} {view.period_text()}", export=corr.by_group)

st.subheader("Key drivers")
responses = for_table(view.filters, "responses")
fields = {f.name: f for f in cached.numeric_fields("responses")}
kinds = {"csat": "Overall CSAT rating", "nps": "NPS score (0–10)",
         "condition": "A condition (field = value)"}
pick = st.radio("Outcome", list(kinds), format_func=kinds.__getitem__, horizontal=True,
                key="drivers_outcome")
outcome = pick
if pick == "condition":
    left, right = st.columns(2)
    options = cached.filter_options()
    dims = [d for d in cached.dimensions("responses") if options.get(d)]
    field = left.selectbox("Field", dims, key="drivers_condition_field")
    value = right.selectbox("Value", options.get(field, []), key="drivers_condition_value")
    outcome = f"{field}={value}"
target = outcome.partition("=")[0]
offered = [n for n in fields if n != target]
ratings = [n for n in offered if fields[n].kind == "rating"]
if not ratings:
    ui.empty("No rating columns yet: upload survey responses with attribute ratings "
             "(e.g. 1–5 scores for wait time or friendliness) to see what drives the outcome.")
    st.stop()
chosen = st.multiselect("Drivers", offered, default=ratings, key=f"drivers_list_{target}",
                        format_func=lambda n: fields[n].source_header or n)
if len(chosen) < 2:
    ui.empty("Pick at least two drivers.")
    st.stop()
with st.spinner("Fitting the driver model and its 500 bootstrap resamples…"):
    kda = cached.drivers("responses", outcome, tuple(chosen), responses)
if kda.suppressed:
    ui.empty(f"Not enough data: {views.plain(kda.reading)} Widen the dates or clear filters.")
    st.stop()
st.markdown(views.plain(kda.reading))
for note in kda.notes:
    st.caption(views.plain(note))
quad, imp_cut, perf_cut = views.quadrant_points(kda)
fig = figures.quadrant(quad, imp_cut, perf_cut,
                       f"Importance vs performance for {outcome.replace('=', ' = ')}, "
                       f"{view.period_text()} (R² {kda.r2:.2f}, n = {kda.n:,})")
ui.chart(views.quadrant_hover(fig, kda), "drivers_quadrant", selectable=False)
st.caption("Dotted lines: average importance (1 / number of drivers) and average score. Top left "
           "= fix first; top right = maintain; bottom right = possible over-investment. "
           "Whiskers: 95% bootstrap CI of each share.")
# Short headers and set widths, so all ten columns fit the page's frame (issue 11 item 9: no
# table cuts off its last column); the long names stay as each header's tooltip.
DRIVER_COLUMNS = {
    "rank": st.column_config.NumberColumn("#", width=40, help="rank"),
    "driver": st.column_config.TextColumn(width=150),
    "field": st.column_config.TextColumn(width=110),
    "share of R²": st.column_config.TextColumn("share", width=70, help="share of R²"),
    "95% CI (bootstrap)": st.column_config.TextColumn("95% CI", width=120,
                                                      help="95% CI (bootstrap)"),
    "importance (R² part)": st.column_config.TextColumn("R² part", width=80,
                                                        help="importance (R² part)"),
    "r with outcome": st.column_config.TextColumn("r", width=80, help="r with outcome"),
    "performance (mean)": st.column_config.TextColumn("mean", width=70,
                                                      help="performance (mean)"),
    "quadrant": st.column_config.TextColumn(width=130),
    "sign flip": st.column_config.TextColumn("flip", width=50, help="sign flip"),
}
ui.table(views.driver_rows(kda), "drivers_table", f"key drivers {outcome} {view.period_text()}",
         export=kda.drivers, column_config=DRIVER_COLUMNS)
