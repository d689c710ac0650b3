"""The explorer page's parts that read untrusted input: the drill-down in the URL, the page
number in the session, and verbatims shown in full.

Why apart from the page: a link can carry any field name or text, and session values can be
forged; each is checked here and answered with a plain sentence, never a traceback, and URL
text is always shown as text (Markdown escaped), never as a link or an image.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cx.views.records import DRILL_PREFIX, VERBATIM_COLUMNS, Drill, drill_from_params
from cx.ui import cached
from cx.ui.analysis_views import plain
from cx.ui.filters import period_text
from cx.metrics.text_fields import text_fields  # theme drill-downs

PAGE_KEY = "explorer_page"


def url_drill() -> tuple[Drill | None, str | None]:
    """The drill-down the URL asks for, and why it cannot be used (None when it can)."""
    params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    if not any(k.startswith(DRILL_PREFIX) for k in params):
        return None, None
    drill = drill_from_params(params)
    if drill is None:
        return None, ("The link's drill-down cannot be read (an unknown table or metric, or a "
                      "date that is not YYYY-MM-DD).")
    problem = drill.problem(cached.dimensions(drill.table) + list(text_fields(drill.table)))
    return (None, problem) if problem else (drill, None)


def refuse_drill(problem: str) -> None:
    st.warning(plain(problem) + " Showing the records of the sidebar filters instead.",
               icon=":material/link_off:")


def drill_banner(drill: Drill) -> None:
    """Which records these are, as plain text; a button back to the sidebar filters."""
    left, right = st.columns([4, 1])
    left.info(plain(f"Records behind the chart point: {drill.table}, {drill.describe()}, "
                    f"{period_text(drill.filters.dates)}."), icon=":material/filter_alt:")
    if right.button("Back to the sidebar filters", key="explorer_clear_drill"):
        for name in [k for k in st.query_params.keys() if k.startswith(DRILL_PREFIX)]:
            del st.query_params[name]
        st.rerun()


def page_number() -> int:
    """The page asked for; a value that is not a whole number of at least 1 means page 1."""
    raw = st.session_state.get(PAGE_KEY, 1)
    try:
        number = int(raw)
    except (TypeError, ValueError, OverflowError):
        number = 1
    if number < 1 or number != raw:
        st.session_state[PAGE_KEY] = number = max(number, 1)
    return number


def full_verbatims(rows: pd.DataFrame, table: str) -> None:
    """Every comment of the page in full: table cells cut long text at the column's width."""
    columns = [c for c in VERBATIM_COLUMNS.get(table, ()) if c in rows.columns]
    texts = [(i, c, str(v)) for i, row in rows.iterrows() for c in columns
             if isinstance((v := row[c]), str) and v.strip()]
    if not texts:
        return
    with st.expander(f"The {len(texts)} comments of this page in full"):
        for i, column, text in texts:
            st.caption(f"Row {int(i) + 1} · {column}")
            st.text(text)


WIDE_TABLE = 8  # columns: more than a page's frame shows at once at the usual widths


def sideways_note(rows: pd.DataFrame) -> str:
    """Said when the records table holds more columns than its frame shows: the explorer keeps
    every column of the file (it cannot choose which matter), so the table scrolls sideways
    inside its frame and the last column is reached there (issue 11 item 9)."""
    if len(rows.columns) <= WIDE_TABLE:
        return ""
    return f" All {len(rows.columns)} columns are shown: scroll the table sideways to see the last."
