"""Rating scales the values imply: when a column's values leave the declared scale, propose one.

A CSAT column declared (or defaulted) 1-5 whose answers reach 10 was asked on a 10-point scale;
loading it as 1-5 would reject most rows. The Upload page shows the implied scale in the mapping
editor, where the analyst sees it and can change it; what the editor shows is what is used.
"""

from __future__ import annotations

import duckdb

from cx.ingest.profile import typed_token
from cx.ingest.readers import RAW
from cx.storage import run

COMMON_TOPS = (5, 7, 10, 100)


def value_ranges(cur: duckdb.DuckDBPyConnection, positions: list[int]
                 ) -> dict[int, tuple[float, float]]:
    """Smallest and largest number of each staged column c{position} (one scan)."""
    if not positions:
        return {}
    exprs = [f"{agg}(try_cast({typed_token(f'c{int(p)}')} AS DOUBLE))"
             for p in positions for agg in ("min", "max")]
    row = run(cur, f"SELECT {', '.join(exprs)} FROM {RAW}").fetchone()
    return {p: (row[2 * i], row[2 * i + 1]) for i, p in enumerate(positions)
            if row[2 * i] is not None}


def implied_scale(values: tuple[float, float], declared: tuple[int, int] | None
                  ) -> tuple[int, int] | None:
    """The usual scale (0/1 to 5, 7, 10 or 100) that holds values outside `declared`, or None."""
    low, high = values
    if declared is not None and declared[0] <= low and high <= declared[1]:
        return None
    if low < 0 or high != int(high) or low != int(low):
        return None
    top = next((t for t in COMMON_TOPS if high <= t), None)
    if top is None:
        return None
    return (0 if low == 0 else 1), top
