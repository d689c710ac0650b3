"""Tidy frames and texts for the snapshot page (no Streamlit here; the page stays thin)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from cx.analysis.readings import diff_ci
from cx.charts.format import format_change, format_ci, format_p, format_value
from cx.snapshots.report import control_words, restated_text, verdict
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


def delta_colour(block: dict[str, Any]) -> str:
    """st.metric's delta colour: grey unless the change is real (significant) and not zero."""
    _, cls = verdict(block)
    if not cls:
        return "off"
    return "normal" if block["higher_is_better"] else "inverse"


def tile_text(block: dict[str, Any], restated: Restatement | None) -> str:
    """Caption under a tile in plain words: n, previous week, whether the change is real, the
    usual range, a restatement. The statistics behind it are in `tile_help`."""
    words, _ = verdict(block)
    previous = format_value(block["previous"]["value"], block["unit"])
    parts = [f"n = {block['n']:,}", f"previous {previous}",
             "change not tested" if words == "not tested" else words]
    if control_words(block):
        parts.append(control_words(block))
    if restated is not None:
        parts.append(restated_text(restated))
    return " · ".join(parts)


def tile_help(block: dict[str, Any]) -> str:
    """The tile's tooltip: intervals, the corrected q-value and the p-chart status."""
    unit, ch = block["unit"], block["change"]
    parts = [f"95% CI {format_ci(block['ci_low'], block['ci_high'], unit)}."]
    if ch["p"] is not None:
        q = "" if ch["q"] is None else f", {format_p(ch['q'], 'q')} (Benjamini–Hochberg)"
        parts.append(f"Change 95% CI {diff_ci(ch['ci_low'], ch['ci_high'], unit)}{q}.")
    control = block.get("control") or {}
    if control.get("points"):
        parts.append(f"p-chart (limits from the 12 weeks before): {control['status']}.")
    return " ".join(parts)


def movers_frame(snapshot: Snapshot) -> pd.DataFrame:
    rows = (snapshot.payload.get("movers") or {}).get("rows") or []
    return pd.DataFrame([{
        "metric": r["label"], "dimension": r["dimension"], "segment": r["segment"],
        "this week": format_value(r["value"], r["unit"]),
        "previous": format_value(r["previous"], r["unit"]),
        "change": format_change(r["diff"], r["unit"]),
        "change CI": diff_ci(r["ci_low"], r["ci_high"], r["unit"]), "n": r["n"]}
        for r in rows])


def drivers_frame(snapshot: Snapshot) -> pd.DataFrame:
    drivers = snapshot.payload.get("drivers") or {}
    return pd.DataFrame([{
        "driver": d["label"], "share": f"{d['share'] * 100:.0f}%",
        "95% CI": format_ci(d.get("ci_low"), d.get("ci_high"), "fraction"),
        "performance": format_value(d.get("performance"), "scale points"),
        "quadrant": d.get("quadrant")} for d in drivers.get("rows") or []])


def said_frame(snapshot: Snapshot) -> pd.DataFrame:
    """Top detractor themes and emerging themes with one comment each (plain text cells)."""
    said = snapshot.payload.get("said") or {}
    rows = [{"": "among detractors", "theme": t["theme"], "mentions": t["mentions"],
             "share": format_value(t["share"], "fraction"),
             "95% CI / change": format_ci(t["ci_low"], t["ci_high"], "fraction"),
             "one comment": (t["example"] or {}).get("comment") or ""}
            for t in said.get("top_detractor_themes") or []]
    rows += [{"": "emerging", "theme": t["theme"], "mentions": t["mentions"],
              "share": format_value(t["share"], "fraction"),
              "95% CI / change": format_change(t["change"], "fraction"),
              "one comment": (t["example"] or {}).get("comment") or ""}
             for t in said.get("emerging") or []]
    return pd.DataFrame(rows)


def payload_rows(snapshot: Snapshot, part: str) -> pd.DataFrame:
    """The frozen rows of the movers or drivers table, numbers as numbers (for downloads)."""
    return pd.DataFrame((snapshot.payload.get(part) or {}).get("rows") or [])


def compare_frames(snapshots: Sequence[Snapshot]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Several frozen weeks side by side: one row per headline metric, one column per week
    (as shown), and the same numbers long and raw for downloads (week, metric, value, CI, n)."""
    raw = pd.DataFrame([
        {"week": s.payload["week"], "metric": m["name"], "label": m["label"], "unit": m["unit"],
         "value": m["value"], "ci_low": m["ci_low"], "ci_high": m["ci_high"], "n": m["n"]}
        for s in snapshots for m in s.payload["metrics"]])
    if raw.empty:
        return raw, raw
    shown = raw.assign(text=[f"{format_value(v, u)} (n = {n:,})" for v, u, n
                             in zip(raw["value"], raw["unit"], raw["n"], strict=True)])
    table = shown.pivot_table(index="label", columns="week", values="text", aggfunc="first",
                              sort=False)
    order = list(dict.fromkeys(raw["label"]))
    table = table.reindex(order)[sorted(table.columns, reverse=True)].reset_index()
    return table.rename(columns={"label": "metric"}), raw


def restated_by_name(changes: Sequence[Restatement]) -> dict[str, Restatement]:
    return {r.name: r for r in changes}
