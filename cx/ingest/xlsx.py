"""XLSX sheets read safely: size checked before parsing, formulas without saved results refused.

Why: an .xlsx is a zip; 1.35 MB can inflate to gigabytes, and openpyxl would parse all of it
before anything else is checked (issue 12: 148 s, 1.1 GB). The zip's directory states every
member's inflated size, so the check costs nothing. And a formula whose result was never saved
(a workbook written by a script, never opened in Excel) reads as empty: loading it would turn
computed numbers into silent NULLs, so such cells are refused by name.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

_SHOWN_CELLS = 5


def inflated_size(path: Path) -> int:
    """Bytes the members take once unzipped, read from the zip directory (nothing is unzipped)."""
    with zipfile.ZipFile(path) as book:
        return sum(member.file_size for member in book.infolist())


def has_formulas(path: Path) -> bool:
    """Does any worksheet hold a formula (an <f> element)? Cheap, so the costly pass is rare."""
    with zipfile.ZipFile(path) as book:
        return any(b"<f" in book.read(member) for member in book.namelist()
                   if member.startswith("xl/worksheets/") and member.endswith(".xml"))


def read_frame(path: Path, sheet: str | None, limit: int | None) -> pd.DataFrame:
    """Every cell as text (None when empty), header row included, saved formula results used."""
    frame = pd.read_excel(path, sheet_name=sheet if sheet else 0, header=None, dtype=str,
                          engine="openpyxl", nrows=None if limit is None else limit + 1)
    return frame.astype(object).where(frame.notna(), None)


def unsaved_formulas(path: Path, sheet: str | None, frame: pd.DataFrame) -> list[str]:
    """Cells (e.g. 'C2') holding a formula whose result the file does not carry."""
    if not has_formulas(path):
        return []
    book = load_workbook(path, read_only=True, data_only=False)
    try:
        ws = book[sheet] if sheet else book.worksheets[0]
        cells = []
        for r, row in enumerate(ws.iter_rows(max_row=len(frame), values_only=True)):
            for c, value in enumerate(row):
                if (isinstance(value, str) and value.startswith("=") and c < frame.shape[1]
                        and frame.iat[r, c] is None):
                    cells.append(f"{get_column_letter(c + 1)}{r + 1}")
        return cells
    finally:
        book.close()


def formula_message(name: str, cells: list[str], headers: tuple[str | None, ...]) -> str:
    columns = sorted({_column_name(cell, headers) for cell in cells})
    shown = ", ".join(cells[:_SHOWN_CELLS]) + (" ..." if len(cells) > _SHOWN_CELLS else "")
    return (f"{name}: {len(cells)} formula cell(s) have no saved result (cells {shown}; "
            f"column(s) {', '.join(columns)}), so their values would be lost. Open the workbook "
            "in Excel and save it, or replace the formulas by their values")


def _column_name(cell: str, headers: tuple[str | None, ...]) -> str:
    letters = cell.rstrip("0123456789")
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    header = headers[index - 1] if index - 1 < len(headers) else None
    return repr(header) if header else letters
