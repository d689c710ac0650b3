"""Secondary suppression: a value hidden for small n stays hidden (issue 14 item 2).

A table's total is shown elsewhere (the segments table's total is the headline, a heat map's
rows and columns are the segments table and the trend), so "total minus the visible groups"
must never isolate fewer answers than the privacy floor (METHODS.md §7.3).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cx.stats.reliability import hidden

SAFE_COLUMNS = ("n", "reliability", "n_missing", "mixed_scales", "clv_source", "excluded",
                "no_data_reason")


def protect_complement(frame: pd.DataFrame, floor: int, keys: tuple[str, ...]) -> pd.DataFrame:
    """Secondary suppression for one-way tables (segments, periods) whose total is shown
    elsewhere: total minus the visible groups is the hidden groups together, so their combined
    n must reach the privacy floor too; else the smallest visible groups are hidden as well.
    A hidden row keeps its keys, n and data-quality flags, nothing that depends on its answers.
    """
    more = _complement(frame, floor)
    if not more:
        return frame
    out = frame.copy()
    out.loc[more, "reliability"] = "suppressed"
    return _blank(out, keys)


def _complement(frame: pd.DataFrame, floor: int) -> list[Any]:
    """Index of the visible rows to hide so the hidden rows' n together reach the floor.

    Every hidden row's answers are in the pool, a "no data" one too: a Kaplan-Meier group whose
    S(t) is unidentified still has tickets in the total, so it shields its neighbours as well
    as a suppressed row does (counting only suppressed rows hid a visible n=6 month needlessly).
    """
    # Plain lists, not pandas selections: this runs once per row and per column of a two-way
    # table (545 small groups for NPS by channel and week), and pandas' per-call overhead made
    # it 0.14 s of a 0.31 s engine run at 1M answers.
    hides = [hidden(t) for t in frame["reliability"].astype(str).tolist()]
    ns = [0 if pd.isna(n) else n for n in frame["n"].tolist()]
    hidden_n = int(sum(n for n, h in zip(ns, hides, strict=True) if h))
    more: list[Any] = []
    if hidden_n == 0 or hidden_n >= floor:
        return more
    raw = frame["n"].tolist()
    visible = [i for i, h in enumerate(hides) if not h]
    # smallest n first, a missing n last, ties in table order (sort_values' stable order)
    for i in sorted(visible, key=lambda i: (pd.isna(raw[i]), 0 if pd.isna(raw[i]) else raw[i])):
        if hidden_n >= floor:
            break
        more.append(frame.index[i])
        hidden_n += int(raw[i])
    return more


def _blank(out: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    """Suppressed rows keep keys and SAFE_COLUMNS only."""
    blank = [c for c in out.columns if c not in SAFE_COLUMNS and c not in keys]
    gone = out["reliability"] == "suppressed"
    out[blank] = out[blank].astype(object).where(~gone, None)
    for c in ("value", "ci_low", "ci_high"):
        out[c] = pd.to_numeric(out[c], errors="coerce")
    return out


def protect_margins(frame: pd.DataFrame, floor: int, keys: tuple[str, ...]) -> pd.DataFrame:
    """Secondary suppression for two-way tables (a field by period, two fields): each row and
    each column is a one-way table whose total the product shows (the segments table, the
    trend), so each gets the one-way rule; repeated until nothing changes, because hiding a
    cell to protect its row can leave its column with a recoverable hidden cell."""
    out, changed, more = frame.copy(), False, [None]
    while more:
        more = []
        for other in keys:  # groups of equal `other`: one row, then one column, of the table
            step = [idx for _, g in out.groupby(other, dropna=False, sort=False)
                    for idx in _complement(g, floor)]
            out.loc[step, "reliability"] = "suppressed"
            more += step
        changed = changed or bool(more)
    return _blank(out, keys) if changed else frame
