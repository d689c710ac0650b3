"""The Upload page's widgets: mapping editor, validation with progress, load, batches, rollback.

Every write re-checks the user's role where it happens (`require_action`), because hiding the
page is not access control. Loads and rollbacks clear the query caches so every page shows the
new data on its next run.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from cx.access import AccessDenied
from cx.export import to_csv_bytes
from cx.ingest import api
from cx.ingest.options import UNITS, IngestOptions
from cx.storage.schema import CANONICAL
from cx.ui import cached, context
from cx.ui.guard import require_action

_NOT_LOADABLE = {"batch_id"}
_LAST_REPORT = "cx_upload_report"


def field_choices(table: str, proposed: list[str]) -> list[str]:
    """Canonical fields of the table, then the proposed extra names (snake_case headers)."""
    canonical = [f.name for f in CANONICAL[table] if f.name not in _NOT_LOADABLE]
    return canonical + [p for p in proposed if p not in canonical]


def _scale_text(scale: object) -> str:
    return f"{scale[0]}-{scale[1]}" if isinstance(scale, (tuple, list)) and len(scale) == 2 else ""


def mapping_editor(preview: api.Preview, table: str) -> pd.DataFrame:
    """The proposed mapping as an editable table: field, unit and scale per source column."""
    rows = pd.DataFrame([{
        "header": c["header"], "field": c["field"], "kind": c["kind"], "how": c["how"],
        "unit": c.get("unit") or "", "scale": _scale_text(c.get("scale")),
        "note": c.get("note", ""),
    } for c in preview.columns])
    choices = field_choices(table, list(rows["field"])) if not rows.empty else []
    return st.data_editor(
        rows, hide_index=True, width="stretch", key=f"upload_mapping_{table}",
        disabled=["header", "kind", "how", "note"],
        column_config={
            "field": st.column_config.SelectboxColumn("field", options=choices, required=True),
            "unit": st.column_config.SelectboxColumn("unit", options=[""] + list(UNITS)),
            "scale": st.column_config.TextColumn("scale", help="e.g. 1-5, 1-7, 0-10"),
        },
    )


def options_from(edited: pd.DataFrame, preview: api.Preview, base: IngestOptions) -> IngestOptions:
    """IngestOptions carrying only what the user changed (the rest stays automatic)."""
    proposed = {c["header"]: c for c in preview.columns}
    mapping, units, scales = {}, {}, {}
    for r in edited.itertuples(index=False):
        was = proposed.get(r.header, {})
        if r.field and r.field != was.get("field"):
            mapping[r.header] = r.field
        if r.unit and r.unit != (was.get("unit") or ""):
            units[r.header] = r.unit
        if r.scale and r.scale != _scale_text(was.get("scale")):
            low, _, high = str(r.scale).partition("-")
            try:
                scales[r.header] = (int(low), int(high))
            except ValueError:
                raise ValueError(f"scale of column {r.header!r} must look like 1-5, "
                                 f"not {r.scale!r}") from None
    return IngestOptions(**{**base.__dict__, "mapping": mapping, "units": units, "scales": scales})


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
        store = context.store()
        report = (api.load if write else api.validate)(store, data, options, progress=_progress())
    except (AccessDenied, ValueError) as exc:
        st.error(str(exc))
        return None
    if write and report.status == "loaded":
        cached.clear()
    st.session_state[_LAST_REPORT] = report
    return report


def show_report(report: api.IngestReport) -> None:
    verb = {"loaded": "Loaded", "validated": "Checked (nothing written)"}.get(report.status)
    (st.success if verb else st.error)(
        f"{verb or 'Refused'}: {report.file_name} → {report.table}. {report.message}".strip())
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


def batches_table() -> pd.DataFrame:
    rows = [{"batch": b.batch_id, "table": b.table_name, "source": b.source,
             "file": b.file_name or "", "uploader": b.uploader or "",
             "loaded at (UTC)": b.created_at, "read": b.rows_read, "loaded": b.rows_loaded,
             "rejected": b.rows_rejected, "duplicates": b.rows_duplicate, "status": b.status}
            for b in api.batches(context.store())]
    return pd.DataFrame(rows, columns=["batch", "table", "source", "file", "uploader",
                                       "loaded at (UTC)", "read", "loaded", "rejected",
                                       "duplicates", "status"])


def rollback(batch_id: str) -> None:
    """Remove one batch's records after re-checking the role; report in place."""
    try:
        require_action("rollback")
        result = api.rollback(context.store(), batch_id)
    except (AccessDenied, ValueError) as exc:
        st.error(str(exc))
        return
    cached.clear()
    st.success(f"Rolled back batch {batch_id}: {result['rows_removed']:,} {result['table']} "
               "records removed.")
