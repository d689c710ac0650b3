"""Three to five plain-English sentences and an e-mail subject, from a snapshot payload only.

No free text: every sentence is a template filled with numbers that are in the payload, formatted
by cx.charts.format exactly as the tables show them, so a reader can find each number again.
Executives read these first, so they speak plainly: "a real change, not noise", "its usual
range"; q-values, test and chart names stay in the tables and the "How to read this" notes.
"""

from __future__ import annotations

from typing import Any

from cx.analysis.readings import diff_ci
from cx.charts.format import format_change, format_value

MAX_SENTENCES = 5
Payload = dict[str, Any]


def _metric(payload: Payload, name: str) -> dict[str, Any] | None:
    return next((m for m in payload.get("metrics", []) if m["name"] == name), None)


def _pct(payload: Payload) -> str:
    return f"{payload.get('confidence', 0.95) * 100:g}%"


def moved(m: dict[str, Any]) -> str:
    """'dropped 23.4 pp' / 'rose 5 pts': the size without its sign, the sign as a word."""
    diff = m["change"]["diff"]
    word = "rose" if diff > 0 else "dropped" if diff < 0 else "did not move"
    return f"{word} {format_change(abs(diff), m['unit']).lstrip('+')}" if diff else word


def _significant(payload: Payload) -> list[dict[str, Any]]:
    flagged = [m for m in payload["metrics"] if m["change"]["significant"]]
    return sorted(flagged, key=lambda m: (m["change"]["q"], m["name"]))


def _change_sentence(m: dict[str, Any], payload: Payload) -> str:
    unit, ch = m["unit"], m["change"]
    return (f"{m['label']} {moved(m)} to {format_value(m['value'], unit)} from "
            f"{format_value(m['previous']['value'], unit)}: a real change, not noise (most "
            f"likely between {diff_ci(ch['ci_low'], ch['ci_high'], unit)}, {_pct(payload)} "
            "confidence).")


def _control_sentence(m: dict[str, Any]) -> str | None:
    c = m.get("control") or {}
    if not c.get("points"):
        return None
    if c.get("lcl") is None or c.get("ucl") is None:
        return (f"{m['label']}: no control limits this week ({c.get('status', 'no data')}); "
                "the p-chart cannot say whether the week is in control.")
    if not c.get("out_of_control"):
        return (f"{m['label']} is within its usual range this week: "
                f"{format_value(m['value'], m['unit'])} against "
                f"{format_value(c['lcl'], m['unit'])} to {format_value(c['ucl'], m['unit'])} "
                "(from the 12 weeks before).")
    limit = c["lcl"] if c["status"].startswith("below") else c["ucl"]
    return (f"{m['label']} is outside its usual range this week: "
            f"{format_value(m['value'], m['unit'])} is {c['status']} of "
            f"{format_value(limit, m['unit'])} (usual level "
            f"{format_value(c['centre'], m['unit'])} over the 12 weeks before).")


def _steady_sentence(payload: Payload) -> str:
    parts = [f"{m['label']} {format_value(m['value'], m['unit'])} "
             f"({format_change(m['change']['diff'], m['unit'])})"
             for m in payload["metrics"] if m["change"]["p"] is not None][:3]
    if not parts:
        return (f"No change could be tested: the week before {payload['week']} has no "
                "comparable answers.")
    return ("No headline metric changed significantly from the previous week (every change is "
            "within normal week-to-week noise): " + ", ".join(parts) + ".")


def _mover_sentence(payload: Payload) -> str | None:
    movers = payload.get("movers") or {}
    if not movers.get("tested"):
        return None
    if not movers["rows"]:
        return (f"No segment moved beyond normal noise ({movers['tested']} segment changes "
                "checked).")
    top = movers["rows"][0]
    return (f"Largest segment move: {top['label']} for {top['dimension']} {top['segment']} "
            f"{format_change(top['diff'], top['unit'])} to {format_value(top['value'], top['unit'])} "
            f"(n = {top['n']:,}).")


def _driver_sentence(payload: Payload) -> str | None:
    drivers = payload.get("drivers") or {}
    rows = drivers.get("rows") or []
    if not rows:
        return None
    top = rows[0]
    return (f"The strongest driver of {drivers['outcome_label']} over the {drivers['weeks']} "
            f"weeks to {payload['sunday']} is {top['label']}: it accounts for "
            f"{top['share'] * 100:.0f}% of what the ratings explain (n = {drivers['n']:,}).")


def _times_sentence(payload: Payload) -> str | None:
    frt, ttr = _metric(payload, "frt_median"), _metric(payload, "ttr_median")
    if frt is None or ttr is None or frt["value"] is None or ttr["value"] is None:
        return None
    return (f"Median first response {format_value(frt['value'], 'hours')} "
            f"({format_change(frt['change']['diff'], 'hours')}), median time to resolution "
            f"{format_value(ttr['value'], 'hours')} "
            f"({format_change(ttr['change']['diff'], 'hours')}) over {ttr['n']:,} tickets.")


def _volume_sentence(payload: Payload) -> str | None:
    r, t = _metric(payload, "responses"), _metric(payload, "tickets")
    if r is None or t is None:
        return None
    return (f"Volume: {format_value(r['value'], 'count')} survey responses "
            f"({format_change(r['change']['diff'], 'count')} on the previous week) and "
            f"{format_value(t['value'], 'count')} tickets "
            f"({format_change(t['change']['diff'], 'count')}).")


def headline_sentences(payload: Payload) -> list[str]:
    """Significant changes (or "no significant change"), control status, movers, drivers,
    response times, volume; at most five."""
    significant = _significant(payload)
    out = [_change_sentence(m, payload) for m in significant[:2]]
    if not significant:
        out.append(_steady_sentence(payload))
    out += [s for s in (_control_sentence(m) for m in payload["metrics"]) if s]
    out += [s for s in (_mover_sentence(payload), _driver_sentence(payload),
                        _times_sentence(payload), _volume_sentence(payload)) if s]
    return out[:MAX_SENTENCES]


def subject_line(payload: Payload) -> str:
    """'CX weekly 2026-W47 — CSAT dropped 23.4 pp, significant, out of control'."""
    flags = []
    for m in payload["metrics"]:
        words = []
        if m["change"]["significant"]:
            words.append(f"{m['label']} {moved(m)}, significant")
        if (m.get("control") or {}).get("out_of_control"):
            words.append("out of control" if words else f"{m['label']} out of control")
        if words:
            flags.append(", ".join(words))
    tail = "; ".join(flags) if flags else "no significant change"
    return f"CX weekly {payload['week']} — {tail}"
