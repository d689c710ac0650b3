"""Upload and batches (analysts, admins): preview, mapping, validation, load, rollback."""

from pathlib import Path

import streamlit as st

from cx.ingest.options import IngestOptions
from cx.storage.schema import RECORD_TABLES
from cx.ui import components as ui
from cx.ui import upload
from cx.ui import upload_mapping as mapping
from cx.ui.analysis_views import plain
from cx.ui.guard import require_page

user = require_page("upload")

st.title("Upload and batches")
st.caption("The sidebar filters do not apply here: uploads and batches are shown whole.")
load_tab, batches_tab = st.tabs(["Upload a file", "Batches"])
with load_tab:
    file = st.file_uploader("CSV, Excel or Parquet file", type=["csv", "txt", "xlsx", "parquet"],
                            key="upload_file")
    table = st.selectbox("Load into", RECORD_TABLES, key="upload_table")
    with st.expander("How to read the file"):
        order = st.selectbox("Dates such as 03/04/2023 are", [None, "dmy", "mdy"],
                             key="upload_date_order",
                             format_func={None: "decided from the values", "dmy": "day first",
                                          "mdy": "month first"}.get)
        delimiter = st.selectbox("Columns are separated by", [None, ",", ";", "\t", "|"],
                                 key="upload_delimiter",
                                 format_func=lambda d: {None: "detected", "\t": "tab"}.get(d, d))
    on_error = st.radio("Rows with errors", ["reject", "skip"], horizontal=True, key="upload_on_error",
                        format_func={"reject": "refuse the whole file",
                                     "skip": "load the valid rows, report the rest"}.get)
    if file is None:
        ui.empty("Pick a file to see its first rows and the proposed mapping.")
    else:
        data = file.getvalue()
        base = IngestOptions(table=table, on_error=on_error, file_name=file.name,
                             uploader=user.username, delimiter=delimiter, date_order=order)
        sha, preview = upload.preview(data, base)
        st.dataframe(preview.rows, hide_index=True, width="stretch")
        if preview.problem and not preview.columns:
            st.error(plain(preview.problem))
            st.stop()
        st.subheader("Mapping")
        st.caption("Pick each column's field, unit (durations), scale (scores and ratings) and "
                   "whether an extra text column becomes a sidebar filter; unmatched columns are "
                   "kept as extra fields under their snake_case name.")
        template = mapping.template_choice(preview, table)
        key = f"{table}_{sha[:16]}_{template.name if template else ''}"
        edited = mapping.mapping_editor(mapping.editor_rows(preview, template), table,
                                        f"upload_mapping_{key}")
        missing = mapping.missing_required(edited, table, preview.derived)
        mapping.show_missing(edited, table, missing)
        date = mapping.date_choice(table, missing, key)
        source = st.text_input("Source name", value=Path(file.name).stem, max_chars=80,
                               key=f"upload_source_{sha[:16]}",
                               help="Every record of this file gets it in the Source filter, so "
                                    "two surveys are never pooled without a way to separate them.")
        try:
            options = mapping.options_from(edited, preview,
                                           IngestOptions(**{**base.__dict__,
                                                            "source": source.strip() or None}),
                                           date)
        except ValueError as exc:
            st.error(plain(str(exc)))
            st.stop()
        if used := mapping.scales_used(edited, options):
            st.caption(f"Scales used: {used}")
        mapping.save_template_form(edited, table, user.username)
        upload.demo_mode_note()
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
    batches = upload.visible_batches(user.username)
    if upload.scoped():
        st.caption("You see part of the data (a data scope): only the files you uploaded are "
                   "listed, and only those you can roll back.")
    if not batches:
        ui.empty("No batches yet: upload a file on the first tab.")
    else:
        ui.table(upload.batches_frame(batches), "upload_batches", "batches")
        with st.form("upload_rollback"):
            victim = upload.rollback_picker(batches)
            sure = st.checkbox("Yes, remove every record of this batch.")
            if st.form_submit_button("Roll back", type="primary") and victim:
                if sure:
                    upload.rollback(victim, user.username)
                else:
                    st.warning("Tick the box to confirm the rollback.")
