"""The Upload page's mapping: every column with a pick list, what is missing, one date for every
row, the scales used, saved mappings, and the options a load gets from all that.

What the editor shows is what the load uses: every scale in the editor is sent as declared, and a
caption lists the scale each score and rating column will be checked against.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from cx.auth.access import AccessDenied
from cx.ingest import api
from cx.ingest.options import UNITS, IngestOptions
from cx.ingest.plan import canonical_kind
from cx.ingest.templates import Template, find_templates, save_template
from cx.storage.schema import CANONICAL, NATURAL_KEY, TIME_FIELD
from cx.ui import context
from cx.ui.analysis_views import plain
from cx.ui.guard import require_action

SCORES = ("nps", "csat", "ces")
_WHAT = {"submitted_at": "the date each answer was given",
         "opened_at": "when each ticket was opened", "ticket_id": "each ticket's id",
         "customer_id": "each customer's id"}
_COLUMNS = ["header", "field", "kind", "unit", "scale", "filter", "note"]
DATE_CHOICES = ("column", "one_date")


def field_choices(table: str, proposed: list[str]) -> list[str]:
    """Loadable canonical fields of the table, then the proposed extra names (snake_case)."""
    canonical = [f.name for f in CANONICAL[table] if f.kind != "meta"]
    return canonical + [p for p in proposed if p not in canonical]


def scale_text(scale: object) -> str:
    return f"{scale[0]}-{scale[1]}" if isinstance(scale, (tuple, list)) and len(scale) == 2 else ""


def _note(column: dict[str, Any]) -> str:
    note = column.get("note", "")
    if column.get("implied_scale"):
        low, high = column["values"]
        note = (f"values run {low}-{high}, outside {scale_text(column.get('scale'))}: "
                f"proposed {scale_text(column['implied_scale'])}; " + note).rstrip("; ")
    return note


def editor_rows(preview: api.Preview, template: Template | None) -> pd.DataFrame:
    """One row per source column: the proposal, with an implied scale and a template applied."""
    saved = template.columns if template else {}
    rows = []
    for c in preview.columns:
        row = {"header": c["header"], "field": c["field"], "kind": c["kind"],
               "unit": c.get("unit") or "",
               "scale": scale_text(c.get("implied_scale") or c.get("scale")),
               "filter": False, "note": _note(c)}
        row.update({k: v for k, v in saved.get(c["header"], {}).items() if k in row})
        rows.append(row)
    return pd.DataFrame(rows, columns=_COLUMNS)


def mapping_editor(rows: pd.DataFrame, table: str, key: str) -> pd.DataFrame:
    """Every column of the file with a pick list of fields, unit, scale and 'offer as filter'."""
    choices = field_choices(table, list(rows["field"]))
    return st.data_editor(
        rows, hide_index=True, width="stretch", key=key,
        disabled=["header", "kind", "note"],
        column_config={
            "field": st.column_config.SelectboxColumn("field", options=choices, required=True),
            "unit": st.column_config.SelectboxColumn("unit", options=[""] + list(UNITS),
                                                     help="durations only"),
            "scale": st.column_config.TextColumn("scale", help="scores and ratings, e.g. 1-5"),
            "filter": st.column_config.CheckboxColumn(
                "sidebar filter", help="extra text dimensions only: offer it as a sidebar "
                                       "filter to everyone (otherwise kept as a field)"),
        },
    )


def kind_of(table: str, field: str, proposed_kind: str) -> str:
    return canonical_kind(table, field) or proposed_kind


def missing_required(edited: pd.DataFrame, table: str, derived: dict[str, str]) -> list[str]:
    """Required fields (id, date) that no column goes to and the load cannot derive."""
    fields = set(edited["field"])
    needed = [NATURAL_KEY[table]] if table != "responses" else []
    needed += [TIME_FIELD[table]] if table != "customers" else []
    return [f for f in needed if f not in fields and f not in derived]


def show_missing(edited: pd.DataFrame, table: str, missing: list[str]) -> None:
    for name in missing:
        st.warning(f"Required field not recognised: **{name}** ({_WHAT.get(name, name)}). "
                   f"Pick the column that holds it in the field column above"
                   + (", or choose one date for every row below." if name == TIME_FIELD[table]
                      else "."), icon=":material/warning:")
    if table == "responses" and not set(SCORES) & set(edited["field"]):
        st.warning("No score recognised (nps, csat or ces): if the file has one, pick its "
                   "column in the field column above.", icon=":material/warning:")


def date_choice(table: str, missing: list[str], key: str) -> dt.date | None:
    """When no column gives the record's date: offer one date for every row (a date input)."""
    if TIME_FIELD.get(table) not in missing:
        return None
    how = st.radio("Date of each record", DATE_CHOICES, key=f"upload_date_how_{key}",
                   horizontal=True,
                   format_func={"column": "from a column (pick it above)",
                                "one_date": "one date for every row"}.get)
    if how != "one_date":
        return None
    return st.date_input("The date of every row", value=dt.date.today(),
                         key=f"upload_one_date_{key}", max_value=dt.date.today())


def _scale(header: str, text: str) -> tuple[int, int]:
    low, sep, high = str(text).replace("–", "-").partition("-")
    try:
        scale = (int(low), int(high))
    except ValueError:
        raise ValueError(f"scale of column {header!r} must look like 1-5, not {text!r}") from None
    if not sep or scale[0] >= scale[1]:
        raise ValueError(f"scale of column {header!r}: the minimum must be below the maximum")
    return scale


def options_from(edited: pd.DataFrame, preview: api.Preview, base: IngestOptions,
                 date: dt.date | None = None) -> IngestOptions:
    """IngestOptions for what the editor shows: changed fields, every scale and unit shown."""
    proposed = {c["header"]: c for c in preview.columns}
    mapping, units, scales, filters, seen = {}, {}, {}, [], {}
    for r in edited.itertuples(index=False):
        was = proposed.get(r.header, {})
        if r.field in seen:
            raise ValueError(f"columns {seen[r.field]!r} and {r.header!r} both go to {r.field}: "
                             "pick one")
        seen[r.field] = r.header
        if r.field != was.get("field"):
            mapping[r.header] = r.field
        kind = kind_of(base.table, r.field, str(was.get("kind", "")))
        if r.unit and kind != "duration":
            raise ValueError(f"column {r.header!r}: a unit applies to durations only "
                             "(first_response_hours, resolution_hours)")
        if r.unit:
            units[r.header] = r.unit
        if r.scale and kind in ("score", "rating") and r.field != "nps":  # nps: always 0-10
            scales[r.header] = _scale(r.header, r.scale)
        if r.filter and kind == "dimension" and r.field not in {f.name for f in
                                                                 CANONICAL[base.table]}:
            filters.append(r.field)
    return IngestOptions(**{**base.__dict__, "mapping": mapping, "units": units,
                            "scales": scales, "filters": tuple(filters), "date": date})


def scales_used(edited: pd.DataFrame, options: IngestOptions) -> str:
    """'CSAT → csat 1-10 · Q1 → q1 1-5': the scale each score and rating is checked against."""
    parts = []
    for r in edited.itertuples(index=False):
        scale = options.scale_for(r.field, r.header)
        if scale and kind_of(options.table, r.field, r.kind) in ("score", "rating"):
            parts.append(f"{plain(r.header)} → {r.field} {scale_text(scale)}")
    return " · ".join(parts)


def template_choice(preview: api.Preview, table: str) -> Template | None:
    """A saved mapping for these headers is proposed again (the newest first)."""
    headers = [c["header"] for c in preview.columns]
    if not headers:
        return None
    found = {t.name: t for t in find_templates(context.state_store(), table, headers)}
    if not found:
        return None
    names = [*found, ""]
    picked = st.selectbox("Saved mapping for these headers", names, key="upload_template",
                          format_func=lambda n: n or "none: CX Lens's own proposal")
    return found.get(picked)


def save_template_form(edited: pd.DataFrame, table: str, user: str) -> None:
    """Save what the editor shows under a name, for the next file with these headers."""
    with st.form("upload_save_template", border=False):
        name = st.text_input("Save this mapping as", max_chars=80, key="upload_template_name",
                             placeholder="e.g. Monthly NPS export")
        if not st.form_submit_button("Save mapping", icon=":material/bookmark_add:"):
            return
    columns = {r.header: {"field": r.field, "unit": r.unit or "", "scale": r.scale or "",
                          "filter": bool(r.filter)} for r in edited.itertuples(index=False)}
    try:
        require_action("upload")
        saved = save_template(context.state_store(), name, table, list(edited["header"]), columns, user)
    except (AccessDenied, ValueError) as exc:
        st.error(plain(str(exc)))
        return
    st.success(f"Saved the mapping “{plain(saved.name)}”: it is proposed again for a file with "
               "these headers.")
