"""CSV and Excel downloads that people can use: numbers as numbers, text that never runs.

Numbers are written as numbers (value, ci_low, ci_high and n in their own columns, plain ASCII
minus signs), so a spreadsheet can sum and chart them. Text cells starting with = + - @ (or a
tab / carriage return) are formulas to Excel and LibreOffice; an uploaded comment like
`=HYPERLINK("http://evil", "click")` would run when an analyst opens the export. In CSV such
text cells get a leading apostrophe (OWASP's advice); in XLSX every text cell is stored as a
string, which no spreadsheet evaluates. Numeric cells are never touched.

The records export holds every record in the filter, read from DuckDB page by page (the
explorer's own query, so it is exactly what the explorer lists) rather than all at once.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterable, Iterator
from dataclasses import replace

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from cx.config import Settings
from cx.views.records import MAX_PAGE_SIZE, RecordQuery, fetch_records
from cx.storage import Store

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MINUS = "\u2212"  # typographic minus: shown in sentences, but a spreadsheet wants "-"


def neutralise_cell(value: object) -> object:
    """Text a spreadsheet would evaluate gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str):
        value = value.replace(_MINUS, "-")
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def _is_text(column: pd.Series) -> bool:
    return column.dtype == object or pd.api.types.is_string_dtype(column)


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every text cell that a spreadsheet would evaluate is plain text."""
    out = df.copy()
    for col in out.columns:
        if _is_text(out[col]):
            out[col] = out[col].map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def _csv(df: pd.DataFrame, header: bool) -> str:
    return neutralise_formulas(df).to_csv(index=False, header=header)


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so Excel reads accents right; exactly the rows and columns given."""
    return _csv(df, header=True).encode("utf-8-sig")


def chunks_to_csv(frames: Iterable[pd.DataFrame]) -> bytes:
    """One CSV from frames of the same columns: the header once, then every frame's rows."""
    out = io.StringIO()
    for i, frame in enumerate(frames):
        out.write(_csv(frame, header=i == 0))
    return out.getvalue().encode("utf-8-sig")


def _xlsx_value(value: object) -> object:
    """A cell value openpyxl stores natively: numbers, dates, text; missing values empty."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, (np.generic,)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else str(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)  # Excel has no time zones
    return value


def _row(sheet: object, values: Iterable[object]) -> list[object]:
    cells = []
    for value in values:
        value = _xlsx_value(value)
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=None)
            cell.value, cell.data_type = value.replace(_MINUS, "-"), "s"  # text, never a formula
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def chunks_to_xlsx(frames: Iterable[pd.DataFrame], sheet_name: str = "data") -> bytes:
    """One worksheet from frames of the same columns, written row by row (write-only mode)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name[:31] or "data")
    for i, frame in enumerate(frames):
        if i == 0:
            sheet.append(_row(sheet, [str(c) for c in frame.columns]))
        for record in frame.itertuples(index=False, name=None):
            sheet.append(_row(sheet, record))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_xlsx_bytes(df: pd.DataFrame) -> bytes:
    return chunks_to_xlsx([df])


def record_chunks(store: Store, settings: Settings, query: RecordQuery,
                  chunk: int = MAX_PAGE_SIZE) -> Iterator[pd.DataFrame]:
    """Every record of the query's filter and search, in its sort order, `chunk` rows at a time
    (whatever page the explorer shows)."""
    first = fetch_records(store, settings, replace(query, page=1, page_size=chunk))
    yield first.rows
    for page in range(2, first.pages + 1):
        yield fetch_records(store, settings, replace(query, page=page, page_size=chunk)).rows


def records_csv(store: Store, settings: Settings, query: RecordQuery) -> bytes:
    return chunks_to_csv(record_chunks(store, settings, query))


def records_xlsx(store: Store, settings: Settings, query: RecordQuery) -> bytes:
    return chunks_to_xlsx(record_chunks(store, settings, query), query.table)
