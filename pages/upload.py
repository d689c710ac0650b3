"""Upload and batches (analysts, admins): preview, mapping, validation, load, rollback."""

import streamlit as st

from cx.ingest import api
from cx.ingest.options import IngestOptions
from cx.storage.schema import RECORD_TABLES
from cx.ui import components as ui
from cx.ui import upload
from cx.ui.guard import require_page

user = require_page("upload")

st.title("Upload and batches")
st.caption("The sidebar filters do not apply here: uploads and batches are shown whole.")
load_tab, batches_tab = st.tabs(["Upload a file", "Batches"])
with load_tab:
    file = st.file_uploader("CSV, Excel or Parquet file", type=["csv", "txt", "xlsx", "parquet"],
                            key="upload_file")
    table = st.selectbox("Load into", RECORD_TABLES, key="upload_table")
    on_error = st.radio("Rows with errors", ["reject", "skip"], horizontal=True, key="upload_on_error",
                        format_func={"reject": "refuse the whole file",
                                     "skip": "load the valid rows, report the rest"}.get)
    if file is None:
        ui.empty("Pick a file to see its first rows and the proposed mapping.")
    else:
        data = file.getvalue()
        base = IngestOptions(table=table, on_error=on_error, file_name=file.name,
                             uploader=user.username)
        with st.spinner("Reading the file…"):
            preview = api.preview(data, base, rows=10)
        st.dataframe(preview.rows, hide_index=True, width="stretch")
        if preview.problem:
            st.error(preview.problem)
        st.subheader("Mapping")
        st.caption("Change a column's field, unit (durations) or scale (ratings) here; "
                   "unmatched columns are kept as extra fields under their snake_case name.")
        edited = upload.mapping_editor(preview, table)
        try:
            options = upload.options_from(edited, preview, base)
        except ValueError as exc:
            st.error(str(exc))
            st.stop()
        check, confirm = st.columns(2)
        if check.button("Validate", key="upload_validate", icon=":material/fact_check:"):
            upload.run_ingest(data, options, write=False)
        sure = confirm.checkbox("I checked the mapping: load this file", key="upload_sure")
        if confirm.button("Load", type="primary", key="upload_load", disabled=not sure):
            upload.run_ingest(data, options, write=True)
        report = st.session_state.get("cx_upload_report")
        if report is not None and report.file_name == file.name:
            upload.show_report(report)

with batches_tab:
    batches = upload.batches_table()
    if batches.empty:
        ui.empty("No batches yet: upload a file, or run `python -m cx demo`.")
    else:
        ui.table(batches, "upload_batches", "batches")
        active = batches[batches["status"] == "active"]["batch"].tolist()
        with st.form("upload_rollback"):
            victim = st.selectbox("Batch to roll back", active, key="upload_rollback_batch")
            sure = st.checkbox("Yes, remove every record of this batch.")
            if st.form_submit_button("Roll back", type="primary") and victim:
                if sure:
                    upload.rollback(victim)
                else:
                    st.warning("Tick the box to confirm the rollback.")
