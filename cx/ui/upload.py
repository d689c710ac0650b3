"""The Upload page's widgets: mapping editor, validation with progress, load, batches, rollback.

Every write re-checks the user's role where it happens (`require_action`), because hiding the
page is not access control. Loads and rollbacks clear the query caches so every page shows the
new data on its next run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pandas as pd
import streamlit as st

from cx.auth import cookie_key
from cx.auth.access import AccessDenied
from cx.views.export import to_csv_bytes
from cx.engines import writable
from cx.ingest import api
from cx.ingest.options import IngestOptions
from cx.storage.batches import Batch
from cx.views.summary import demo_mode
from cx.ui import cached, context
from cx.ui.analysis_views import plain
from cx.ui.guard import require_action

_LAST_REPORT = "cx_upload_report"


@st.cache_data(max_entries=8, show_spinner="Reading the file…")
def _preview(sha: str, table: str, file_name: str, delimiter: str | None,
             date_order: str | None, _data: bytes) -> api.Preview:
    return api.preview(_data, IngestOptions(table=table, file_name=file_name,
                                            delimiter=delimiter, date_order=date_order), rows=10)


def preview(data: bytes, base: IngestOptions) -> tuple[str, api.Preview]:
    """(sha256, preview) of an uploaded file, computed once per file and reading options.

    The preview profiles every column (issue 12: a wide file costs seconds), so a click on the
    page (every widget reruns the script) must not compute it again: keyed by the file's hash.
    """
    sha = hashlib.sha256(data).hexdigest()
    return sha, _preview(sha, base.table, base.file_name or "upload.csv", base.delimiter,
                         base.date_order, data)


def _progress() -> Callable[[str, float], None]:
    bar = st.progress(0.0, text="Starting…")

    def tick(stage: str, fraction: float) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=f"{stage.capitalize()}…")

    return tick


def run_ingest(data: bytes, options: IngestOptions, write: bool) -> api.IngestReport | None:
    """Validate (dry run) or load, with a progress bar; the role is checked again for a load."""
    try:
        if write:
            require_action("upload")
        with writable(context.store()) as store:
            report = (api.load if write else api.validate)(store, data, options,
                                                           progress=_progress())
    except (AccessDenied, ValueError) as exc:
        st.error(plain(str(exc)))
        return None
    if write and report.status == "loaded":
        cached.clear()
    st.session_state[_LAST_REPORT] = report
    return report


def demo_mode_note() -> None:
    """While only the demo data is loaded: what the first real load changes, and what it does not.

    True to what the app does: demo_mode ends with the first non-demo batch, ensure_demo never
    brings the demo back, the demo's batches can be rolled back on the Batches tab (analysts and
    admins), and logins go on being signed by the same key, unless the server was configured
    with a weak cookie key, which is refused outside demo mode (cx.auth.cookie_key.problem).
    """
    if not demo_mode(context.store()):
        return
    change = ("This is the first real upload: demo mode ends. The demo data stays beside your "
              "file until an analyst or admin rolls back its batches (source demo) on the "
              "Batches tab")
    configured = context.settings().cookie_key
    if configured and cookie_key.weakness(configured):
        st.warning(f"{change}. The server's configured cookie key is too weak to be used "
                   "outside demo mode: after this load the app stops with an error for everyone "
                   "until an admin replaces or removes that key.", icon=":material/warning:")
    else:
        st.info(f"{change}; logins and sessions keep working as before.",
                icon=":material/info:")


def show_report(report: api.IngestReport) -> None:
    verb = {"loaded": "Loaded", "validated": "Checked (nothing written)"}.get(report.status)
    (st.success if verb else st.error)(plain(
        f"{verb or 'Refused'}: {report.file_name} → {report.table}. {report.message}".strip()))
    cols = st.columns(4)
    for col, (label, value) in zip(cols, (("Rows read", report.rows_read),
                                          ("Rows loaded" if report.status == "loaded" else
                                           "Rows that would load", report.rows_loaded),
                                          ("Rows rejected", report.rows_rejected),
                                          ("Duplicates", report.rows_duplicate)), strict=True):
        col.metric(label, f"{value:,}")
    if report.batch_id:
        st.caption(f"Batch {report.batch_id}")
    if len(report.errors):
        st.dataframe(report.errors.head(1000), hide_index=True, width="stretch")
        st.download_button(f"Download all {len(report.errors):,} row errors (CSV)",
                           data=to_csv_bytes(report.errors), file_name="row-errors.csv",
                           mime="text/csv", key="upload_errors_csv")


def batches_frame(batches: list[Batch]) -> pd.DataFrame:
    """Every batch, the newest first."""
    rows = [{"batch": b.batch_id, "table": b.table_name, "source": b.source,
             "file": b.file_name or "", "uploader": b.uploader or "",
             "loaded at (UTC)": b.created_at, "read": b.rows_read, "loaded": b.rows_loaded,
             "rejected": b.rows_rejected, "duplicates": b.rows_duplicate, "status": b.status}
            for b in reversed(batches)]
    return pd.DataFrame(rows, columns=["batch", "table", "source", "file", "uploader",
                                       "loaded at (UTC)", "read", "loaded", "rejected",
                                       "duplicates", "status"])


def batch_label(batch: Batch) -> str:
    """What tells batches apart in the rollback picker: file, time, rows, who, and the id."""
    return (f"{batch.file_name or batch.source} · {batch.created_at:%d %b %Y %H:%M} UTC · "
            f"{batch.rows_loaded:,} {batch.table_name} · by {batch.uploader or batch.source} · "
            f"{batch.batch_id}")


def rollback_picker(batches: list[Batch]) -> str | None:
    """Active batches, the newest first (the default: usually the one to undo)."""
    active = {b.batch_id: b for b in reversed(batches) if b.status == "active"}
    return st.selectbox("Batch to roll back", list(active), key="upload_rollback_batch",
                        format_func=lambda i: batch_label(active[i]), index=0 if active else None)


def rollback(batch_id: str, username: str) -> None:
    """Remove one batch's records after re-checking the role and that the batch is one this
    person may see (visible_batches); report in place."""
    try:
        require_action("rollback")
        if batch_id not in {b.batch_id for b in visible_batches(username)}:
            raise ValueError(f"batch {batch_id} is not one of yours to roll back")
        with writable(context.store()) as store:
            result = api.rollback(store, batch_id)
    except (AccessDenied, ValueError) as exc:
        st.error(plain(str(exc)))
        return
    cached.clear()
    st.success(f"Rolled back batch {batch_id}: {result['rows_removed']:,} {result['table']} "
               "records removed.")


def visible_batches(username: str) -> list[Batch]:
    """Every batch (oldest first, as stored) for a person who sees all data; else only the
    batches `username` uploaded.

    Why: a batch's counts are of its whole file, rows of every region, and rolling it back
    removes them all. A person with a data scope learns neither the size of other people's
    files nor may remove rows outside the scope; their own files they know already.
    """
    batches = api.batches(context.store())
    if not scoped():
        return batches
    return [b for b in batches if b.uploader == username]


def scoped() -> bool:
    """Whether the signed-in person sees only part of the data (a data scope)."""
    return not context.scope().unrestricted
