"""Tidy frames and texts for the snapshot page (no Streamlit here; the page stays thin)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from cx.analysis.readings import diff_ci
from cx.charts.format import format_change, format_ci, format_p, format_value
from cx.snapshots.report import restated_text
from cx.snapshots.service import Restatement
from cx.snapshots.store import Snapshot

def history_frame(block: dict[str, Any]) -> pd.DataFrame:
    """The 12-week series in the columns figures.trend reads (period, value, CI, n, tier)."""
    df = pd.DataFrame(block["history"]).rename(columns={"week": "period"})
    for name in ("value", "ci_low", "ci_high"):
        df[name] = pd.to_numeric(df[name], errors="coerce")
    return df


def control_frame(block: dict[str, Any]) -> pd.DataFrame | None:
    points = (block.get("control") or {}).get("points") or []
    if not points:
        return None
    return pd.DataFrame(points).rename(columns={"week": "period"})


def tile_delta(block: dict[str, Any]) -> str | None:
    """'-23.4 pp ✱' for st.metric; ✱ marks a significant change (BH-corrected)."""
    change = block["change"]
    if change["diff"] is None:
        return None
    return format_change(change["diff"], block["unit"]) + (" ✱" if change["significant"] else "")


def tile_text(block: dict[str, Any], restated: Restatement | None) -> str:
    """Caption under a tile: interval, n, previous, the test's verdict, a restatement."""
    unit, ch = block["unit"], block["change"]
    parts = [f"95% CI {format_ci(block['ci_low'], block['ci_high'], unit)} · n = {block['n']:,}",
             f"previous {format_value(block['previous']['value'], unit)}"]
    if ch["p"] is None:
        parts.append("change not tested")
    else:
        verdict = "significant" if ch["significant"] else "not significant"
        q = "" if ch["q"] is None else f" ({format_p(ch['q'], 'q')})"
        parts.append(f"change CI {diff_ci(ch['ci_low'], ch['ci_high'], unit)}, {verdict}{q}")
    control = block.get("control") or {}
    if control.get("points"):
        parts.append(f"control chart: {control['status']}")
    if restated is not None:
        parts.append(restated_text(restated))
    return " · ".join(parts)


def movers_frame(snapshot: Snapshot) -> pd.DataFrame:
    rows = (snapshot.payload.get("movers") or {}).get("rows") or []
    return pd.DataFrame([{
        "metric": r["label"], "dimension": r["dimension"], "segment": r["segment"],
        "this week": format_value(r["value"], r["unit"]),
        "previous": format_value(r["previous"], r["unit"]),
        "change": format_change(r["diff"], r["unit"]),
        "change CI": diff_ci(r["ci_low"], r["ci_high"], r["unit"]), "n": r["n"],
        "q": round(r["q"], 4)} for r in rows])


def drivers_frame(snapshot: Snapshot) -> pd.DataFrame:
    drivers = snapshot.payload.get("drivers") or {}
    return pd.DataFrame([{
        "driver": d["label"], "share of R²": f"{d['share'] * 100:.0f}%",
        "95% CI": format_ci(d.get("ci_low"), d.get("ci_high"), "fraction"),
        "performance": format_value(d.get("performance"), "scale points"),
        "quadrant": d.get("quadrant")} for d in drivers.get("rows") or []])


def restated_by_name(changes: Sequence[Restatement]) -> dict[str, Restatement]:
    return {r.name: r for r in changes}
