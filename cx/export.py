"""CSV export that is safe to open in a spreadsheet.

Cells starting with = + - @ (or a tab / carriage return) are formulas to Excel and LibreOffice;
an uploaded comment like `=HYPERLINK("http://evil", "click")` would run when an analyst opens the
export. Such text cells get a leading apostrophe (OWASP's advice); numbers are left alone.
"""

from __future__ import annotations

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every text cell that a spreadsheet would evaluate is plain text."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so Excel reads accents right; exactly the rows and columns given."""
    return neutralise_formulas(df).to_csv(index=False).encode("utf-8-sig")
