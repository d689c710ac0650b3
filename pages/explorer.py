"""Verbatims and records: search, filter, sort and page through records with their scores."""
# Opened from a chart point, it shows exactly that point's records (the drill-down in the URL);
# otherwise the sidebar filters apply. Comments are shown as plain text, never as HTML.

import streamlit as st

from cx.views.records import MAX_PAGE_SIZE, RecordQuery, column_order
from cx.storage.schema import RECORD_TABLES, TIME_FIELD
from cx.ui import cached
from cx.ui import components as ui
from cx.ui import explorer
from cx.ui.filters import current_view, for_table, period_text
from cx.ui.guard import require_page

require_page("explorer")
view = current_view()
drill, problem = explorer.url_drill()

st.title("Verbatims and records")
if problem:
    explorer.refuse_drill(problem)
if drill is not None:
    explorer.drill_banner(drill)

labels = {"responses": "Survey responses", "tickets": "Tickets", "customers": "Customers"}
table = st.segmented_control("Records", RECORD_TABLES, format_func=labels.__getitem__,
                             default=drill.table if drill else "responses",
                             key=f"explorer_table_{drill.table if drill else 'sidebar'}")
table = table or (drill.table if drill else "responses")
drilled = drill is not None and drill.table == table
filters = drill.filters if drilled else for_table(view.filters, table)

search_col, sort_col, order_col, size_col = st.columns([3, 2, 1, 1])
search = search_col.text_input("Search", key="explorer_search",
                               placeholder="words in comments, ids, agent names")
fields = column_order(table, cached.dimensions(table) + [TIME_FIELD[table]])
sort = sort_col.selectbox("Sort by", fields, index=fields.index(TIME_FIELD[table]),
                          key=f"explorer_sort_{table}")
descending = order_col.toggle("Newest / largest first", value=True, key="explorer_desc")
size = size_col.selectbox("Rows per page", [25, 50, 100, 250, MAX_PAGE_SIZE], index=1,
                          key="explorer_size")
page_no = explorer.page_number()
query = RecordQuery(table, filters, search, sort, descending, page_no, int(size),
                    counted_for=drill.metric if drilled else None)
result = cached.record_page(query)
if result.total == 0:
    ui.empty(f"No {table} match: clear the search, widen the dates, or upload {table}.")
    st.stop()
if page_no > result.pages:  # the filters shrank the result since the page number was chosen
    st.session_state[explorer.PAGE_KEY] = 1
    st.rerun()

st.caption(f"{result.total:,} {table} match ({period_text(filters.dates)}); "
           f"page {page_no} of {result.pages:,}." + explorer.sideways_note(result.rows))
ui.table(result.rows, "explorer", f"{table} page {page_no}")
ui.records_export(query, result.total)
explorer.full_verbatims(result.rows, table)
st.number_input("Page", min_value=1, max_value=result.pages, step=1, key=explorer.PAGE_KEY)
