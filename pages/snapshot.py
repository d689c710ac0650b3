"""Weekly snapshot: the frozen numbers of one ISO week, their 12-week history, what moved, why."""
# Executives land here. The stored snapshot is shown as reported; when today's data would give a
# different number, the tile says "restated" beside it. Opening the page builds the last complete
# week's snapshot when there is none yet (cron may not have run).

import datetime as dt

import streamlit as st

from cx.charts.format import format_value
from cx.charts.text import md_plain
from cx.domain import Filters
from cx.snapshots import SnapshotRefused, find_chromium, get_or_build
from cx.snapshots import load_snapshot, pdf_bytes, render_html, snapshot_weeks, view
from cx.snapshots.report import HOW_TO_READ
from cx.ui import cached
from cx.ui import components as ui
from cx.ui import context
from cx.ui.guard import require_page
from cx.ui.snapshot_charts import snapshot_charts

require_page("snapshot")

st.title("Weekly snapshot")
st.caption("The sidebar filters do not apply here: a snapshot covers all data of its week.")
store, settings = context.store(), context.settings()
scope = context.scope()  # each data scope has its own frozen snapshot
if not scope.unrestricted:
    st.caption(f"Your data scope: {md_plain(scope.describe())}.")
latest = cached.snapshot_week(dt.date.today())
weeks = sorted(set(snapshot_weeks(store, scope)) | {latest}, reverse=True)
week = st.selectbox("Week", weeks, format_func=lambda w: w.label(), key="snapshot_week")
snap = load_snapshot(store, week, scope)
if snap is None:
    try:
        with st.spinner(f"Building the snapshot of {week}…"):
            snap, _ = get_or_build(store, settings, week, built_by="app", scope=scope)
    except SnapshotRefused as exc:
        ui.empty(f"No snapshot for {week}: {exc}. Upload data, or pick another week.")
        st.stop()

changes = cached.snapshot_restated(week, Filters())  # Filters: the gate stamps the scope
by_name = view.restated_by_name(changes)
st.caption(f"Frozen {snap.built_at:%Y-%m-%d %H:%M} UTC by {snap.built_by} · weeks run Monday–"
           f"Sunday in {snap.tz} · {len(snap.batch_ids)} data batches"
           + (f" · {len(changes)} numbers restated by later uploads" if changes else ""))
# Headlines name segments from uploads: shown as typed, never as links, colours or icons.
st.markdown("\n".join(f"- {md_plain(s)}" for s in snap.payload["headlines"]))

html = render_html(snap, changes)
left, right = st.columns(2)
left.download_button("Download HTML report", html, file_name=f"cx-weekly-{week}.html",
                     mime="text/html", icon=":material/download:", key="snapshot_html")
if find_chromium():
    right.download_button("Download PDF report", lambda: pdf_bytes(html),
                          file_name=f"cx-weekly-{week}.pdf", mime="application/pdf",
                          icon=":material/picture_as_pdf:", key="snapshot_pdf")
else:
    right.caption("PDF export needs Chromium on the server, which is not installed here; the "
                  "HTML report prints to PDF from any browser.")

blocks = snap.payload["metrics"]
columns = st.columns(4)
for i, m in enumerate(blocks):
    with columns[i % 4], st.container(border=True):
        st.metric(m["label"], format_value(m["value"], m["unit"]), delta=view.tile_delta(m),
                  delta_color=view.delta_colour(m), help=view.tile_help(m), border=False)
        st.caption(view.tile_text(m, by_name.get(m["name"])))

others = [w for w in snapshot_weeks(store, scope) if w != week]
if others:
    chosen = st.multiselect("Compare with other weeks", sorted(others, reverse=True),
                            format_func=lambda w: w.label(), key="snapshot_compare",
                            placeholder="pick weeks to set beside this one")
    if chosen:
        frozen = [snap] + [s for s in (load_snapshot(store, w, scope) for w in chosen) if s is not None]
        shown, raw = view.compare_frames(frozen)
        ui.table(shown, "snapshot_compare_table", f"weeks compared {week}", export=raw)

st.subheader("12-week history")
for key, fig in snapshot_charts(blocks):  # built once per snapshot, not on every run
    ui.chart(fig, key, selectable=False)

st.subheader("Top movers by segment")
movers = view.movers_frame(snap)
if movers.empty:
    tested = (snap.payload.get("movers") or {}).get("tested", 0)
    st.caption(f"No segment moved beyond normal noise ({tested} segment changes checked).")
else:
    ui.table(movers, "snapshot_movers", f"movers {week}", export=view.payload_rows(snap, "movers"))

st.subheader("Top drivers")
drivers = view.drivers_frame(snap)
if drivers.empty:
    st.caption("No driver analysis for this week (not enough answers with driver ratings).")
else:
    st.caption(f"What drives {snap.payload['drivers']['outcome_label']} over the "
               f"{snap.payload['drivers']['weeks']} weeks to {snap.payload['sunday']}: each "
               "rating's share of what the ratings explain.")
    ui.table(drivers, "snapshot_drivers", f"drivers {week}",
             export=view.payload_rows(snap, "drivers"))

st.subheader("What customers said")
said = view.said_frame(snap)
if (snap.payload.get("said") or {}).get("unavailable"):
    st.caption(snap.payload["said"]["unavailable"])
elif said.empty:
    st.caption("No theme stood out in this week's comments (or too few comments to say).")
else:
    st.caption(f"{snap.payload['said']['detractor_comments']:,} detractor comments this week: "
               "the themes most of them mention, and themes growing against last week.")
    ui.table(said, "snapshot_said", f"what customers said {week}")

with st.expander("How to read this"):
    st.caption(HOW_TO_READ)
