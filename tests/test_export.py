"""CSV downloads neutralise spreadsheet formulas in text cells and nothing else."""

from __future__ import annotations

import io

import pandas as pd

from cx.export import neutralise_cell, to_csv_bytes


def test_formula_like_text_becomes_plain_text() -> None:
    for cell in ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]:
        assert neutralise_cell(cell) == "'" + cell
    for cell in ["fine", "a=b", "", "3-4"]:
        assert neutralise_cell(cell) == cell
    assert neutralise_cell(-5) == -5  # numbers stay numbers


def test_csv_bytes_have_exactly_the_rows_shown() -> None:
    df = pd.DataFrame({"comment": ["=1+1 slow", "great"], "nps": [-1, 10]})
    raw = to_csv_bytes(df)
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert list(back["comment"]) == ["'=1+1 slow", "great"]
    assert list(back["nps"]) == [-1, 10]
    assert len(back) == 2
