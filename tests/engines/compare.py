"""Equality as the parity suite means it: counts and text exactly, estimates within 1e-9
relative (issue 17), NaN equal to NaN; rows matched by their group keys, not their order."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

REL = 1e-9


def _num(value: Any) -> float | None:
    if isinstance(value, (bool, np.bool_)) or value is None:
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    return None


def same(a: Any, b: Any, where: str = "") -> list[str]:
    """Differences between two results (dicts, lists, frames, numbers), as readable lines."""
    if isinstance(a, pd.DataFrame) or isinstance(b, pd.DataFrame):
        return same_frame(a, b, where)
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return [f"{where}: keys {sorted(set(a) ^ set(b))} differ"]
        return [d for k in a for d in same(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            return [f"{where}: {len(a)} vs {len(b)} items"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in same(x, y, f"{where}[{i}]")]
    x, y = _num(a), _num(b)
    if x is not None and y is not None:
        if math.isnan(x) and math.isnan(y):
            return []
        if isinstance(a, (int, np.integer)) and isinstance(b, (int, np.integer)):
            return [] if a == b else [f"{where}: count {a} vs {b}"]
        if math.isclose(x, y, rel_tol=REL, abs_tol=1e-12):
            return []
        return [f"{where}: {x!r} vs {y!r}"]
    if _missing(a) and _missing(b):
        return []
    if isinstance(a, (dt.date, pd.Timestamp)) and isinstance(b, (dt.date, pd.Timestamp)):
        return [] if pd.Timestamp(a) == pd.Timestamp(b) else [f"{where}: {a} vs {b}"]
    return [] if a == b else [f"{where}: {a!r} vs {b!r}"]


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def same_frame(a: pd.DataFrame, b: pd.DataFrame, where: str = "") -> list[str]:
    if list(a.columns) != list(b.columns):
        return [f"{where}: columns {list(a.columns)} vs {list(b.columns)}"]
    if len(a) != len(b):
        return [f"{where}: {len(a)} vs {len(b)} rows"]
    keys = [c for c in a.columns if a[c].dtype == object or c == "period"]
    if keys:
        a = a.sort_values(keys, key=lambda s: s.astype(str)).reset_index(drop=True)
        b = b.sort_values(keys, key=lambda s: s.astype(str)).reset_index(drop=True)
    return same(a.to_dict(orient="records"), b.to_dict(orient="records"), where)
