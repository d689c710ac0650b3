"""The snapshot as one self-contained HTML file: the e-mail body, the attachment, the PDF source.

Self-contained means: inline CSS, charts as inline SVG, no script, no external URL, and a
Content-Security-Policy that forbids any fetch, so it opens offline in a browser or a mail
client and prints the same in headless Chromium. Every text that could come from data (segment
names, labels, sentences) goes through html.escape.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from cx.analysis.readings import diff_ci
from cx.charts.format import format_change, format_ci, format_value
from cx.snapshots.service import Restatement
from cx.snapshots.store import Snapshot
from cx.snapshots.svg import line_chart

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body{font-family:Arial,Helvetica,sans-serif;color:#222;max-width:760px;margin:16px auto;padding:0 12px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:16px;margin:22px 0 8px;color:#2f5d8a}
table{border-collapse:collapse;width:100%;font-size:12px} th,td{padding:4px 6px;
border-bottom:1px solid #e6e9ee;text-align:right} th:first-child,td:first-child{text-align:left}
.meta{color:#666;font-size:12px} .bad,.sig{color:#c0392b;font-weight:bold}
.good{color:#2e8b57;font-weight:bold} .restated{color:#8e44ad} li{margin:4px 0}
.charts svg{margin:4px 6px 4px 0;max-width:100%;height:auto} .wide{overflow-x:auto}
@media print{body{margin:0} h2{page-break-after:avoid}}
"""


HOW_TO_READ = (
    "Changes are this week minus the previous week. \"A real change\" means it is larger than "
    "normal week-to-week noise: tested as in the CX Lens methods (adjusted-Wald for NPS, score "
    "test for shares, Welch t for means) with the Benjamini–Hochberg correction across the "
    "headline metrics, and across segments for the movers. Medians and volumes are not tested. "
    "The shaded band around a line is its 95% confidence interval, drawn where one exists. The "
    "usual range is a p-chart: 3-sigma limits from the 12 weeks before each week. A driver's "
    "share is its part of the R² of a regression of the outcome on all ratings (Shapley values "
    "or Johnson's relative weights, with a bootstrap interval).")


def _cell(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<td{attr}>{escape(text)}</td>"


def verdict(m: dict[str, Any]) -> tuple[str, str]:
    """The change in plain words, and its colour class: only a real (significant), non-zero
    change is coloured, green when it is for the better and red when for the worse."""
    ch = m["change"]
    if ch["p"] is None:
        return "not tested", ""
    if not ch["significant"] or not ch["diff"]:
        return "within normal noise", ""
    better = (ch["diff"] > 0) == bool(m["higher_is_better"])
    return "a real change", "good" if better else "bad"


def control_words(m: dict[str, Any]) -> str:
    """The usual-range check (a p-chart) in plain words; '' when the metric has none."""
    control = m.get("control") or {}
    if not control.get("points"):
        return ""
    return "outside its usual range" if control.get("out_of_control") else "in its usual range"


def _kpi_table(payload: dict[str, Any], restated: dict[str, Restatement]) -> str:
    head = ("<tr><th>metric</th><th>this week</th><th>95% CI</th><th>n</th><th>previous</th>"
            "<th>change</th><th>change CI</th><th>verdict</th><th>usual range</th></tr>")
    rows = []
    for m in payload["metrics"]:
        unit, ch = m["unit"], m["change"]
        words, cls = verdict(m)
        value = format_value(m["value"], unit)
        cells = [_cell(m["label"]), _cell(value), _cell(format_ci(m["ci_low"], m["ci_high"], unit)),
                 _cell(f"{m['n']:,}"), _cell(format_value(m["previous"]["value"], unit)),
                 _cell(format_change(ch["diff"], unit)),
                 _cell(diff_ci(ch["ci_low"], ch["ci_high"], unit) if ch["p"] is not None else ""),
                 _cell(words, cls),
                 _cell(control_words(m), "sig" if (m.get("control") or {}).get("out_of_control")
                       else "")]
        rows.append("<tr>" + "".join(cells) + "</tr>")
        if m["name"] in restated:
            rows.append(f'<tr><td colspan="9" class="restated">{escape(restated_text(restated[m["name"]]))}</td></tr>')
    return f'<div class="wide"><table id="kpis">{head}{"".join(rows)}</table></div>'


def restated_text(r: Restatement) -> str:
    """'restated: 61.8% (n = 171) instead of the reported 63.0% (n = 162), -1.2 pp'."""
    return (f"restated: {format_value(r.restated, r.unit)} (n = {r.restated_n:,}) instead of the "
            f"reported {format_value(r.reported, r.unit)} (n = {r.reported_n:,}), "
            f"{format_change(r.difference, r.unit)}")


def _charts(payload: dict[str, Any]) -> str:
    charts = [line_chart(m["history"], m["unit"], m["label"]) for m in payload["metrics"]]
    for m in payload["metrics"]:
        control = m.get("control") or {}
        if control.get("points"):
            charts.append(line_chart(control["points"], m["unit"], f"{m['label']}: usual range",
                                     value="p", band=None, limits=("lcl", "ucl"),
                                     flag="out_of_control"))
    return f'<div class="charts">{"".join(charts)}</div>'


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], table_id: str) -> str:
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(_cell(c) for c in r) + "</tr>" for r in rows)
    return f'<div class="wide"><table id="{table_id}"><tr>{th}</tr>{body}</table></div>'


def _movers(payload: dict[str, Any]) -> str:
    movers = payload.get("movers") or {}
    if not movers.get("rows"):
        return (f"<p>No segment moved beyond normal noise ({movers.get('tested', 0)} segment "
                "changes checked).</p>")
    rows = [(r["label"], f"{r['dimension']} = {r['segment']}", format_value(r["value"], r["unit"]),
             format_value(r["previous"], r["unit"]), format_change(r["diff"], r["unit"]),
             diff_ci(r["ci_low"], r["ci_high"], r["unit"]), f"{r['n']:,}")
            for r in movers["rows"]]
    return _table(("metric", "segment", "this week", "previous", "change", "change CI", "n"),
                  rows, "movers")


def _drivers(payload: dict[str, Any]) -> str:
    drivers = payload.get("drivers") or {}
    if not drivers.get("rows"):
        return "<p>No driver analysis for this week (not enough answers with driver ratings).</p>"
    rows = [(d["label"], f"{d['share'] * 100:.0f}%",
             format_ci(d.get("ci_low"), d.get("ci_high"), "fraction"),
             format_value(d.get("performance"), "scale points"))
            for d in drivers["rows"]]
    intro = (f"<p>What drives {escape(drivers['outcome_label'])} over the {drivers['weeks']} "
             f"weeks to {escape(payload['sunday'])}: each rating's share of what the ratings "
             f"explain (n = {drivers['n']:,}).</p>")
    return intro + _table(("driver", "share", "95% CI", "performance"), rows, "drivers")


def _said(payload: dict[str, Any]) -> str:
    """Top detractor themes and emerging themes, each with one quoted comment (escaped)."""
    said = payload.get("said")
    if said and said.get("unavailable"):
        return f"<p>{escape(said['unavailable'])}</p>"
    if not said or not (said["top_detractor_themes"] or said["emerging"]):
        return "<p>No theme stood out in this week's comments (or too few comments to say).</p>"
    rows = [("among detractors", t["theme"], format_value(t["share"], "fraction"),
             format_ci(t["ci_low"], t["ci_high"], "fraction"),
             (t["example"] or {}).get("comment") or "") for t in said["top_detractor_themes"]]
    rows += [("emerging", t["theme"], format_value(t["share"], "fraction"),
              format_change(t["change"], "fraction"), (t["example"] or {}).get("comment") or "")
             for t in said["emerging"]]
    intro = (f"<p>{said['detractor_comments']:,} detractor comments this week; share of them "
             "mentioning each theme, and themes whose share of all comments rose "
             "significantly against last week.</p>")
    return intro + _table(("", "theme", "share", "CI / change", "one comment"), rows, "said")


def render_html(snapshot: Snapshot, restatements: Sequence[Restatement] = ()) -> str:
    p = snapshot.payload
    restated = {r.name: r for r in restatements}
    sentences = "".join(f"<li>{escape(s)}</li>" for s in p["headlines"])
    meta = (f"Built {snapshot.built_at:%Y-%m-%d %H:%M} UTC by {snapshot.built_by}; weeks run "
            f"Monday–Sunday in {snapshot.tz}; {len(snapshot.batch_ids)} data batches; numbers "
            "are frozen as reported.")
    if p.get("scope"):
        meta += f" Data scope: {p['scope']}."
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>CX weekly {escape(p['week'])}</title><style>{STYLE}</style></head><body>"
        f"<h1>CX weekly snapshot {escape(p['title'])}</h1><p class=\"meta\">{escape(meta)}</p>"
        f'<ul id="headlines">{sentences}</ul>'
        f"<h2>Headline metrics</h2>{_kpi_table(p, restated)}"
        f"<h2>12-week history</h2>{_charts(p)}"
        f"<h2>Top movers by segment</h2>{_movers(p)}"
        f"<h2>Top drivers</h2>{_drivers(p)}"
        f"<h2>What customers said</h2>{_said(p)}"
        f"<h2>How to read this</h2><p class=\"meta\">{escape(HOW_TO_READ)}</p>"
        "</body></html>"
    )


def render_text(snapshot: Snapshot) -> str:
    """The plain-text part of the e-mail: sentences, then one line per headline metric."""
    p = snapshot.payload
    lines = [f"CX weekly snapshot {p['title']}", ""] + [f"- {s}" for s in p["headlines"]] + [""]
    if p.get("scope"):
        lines[1:1] = [f"Data scope: {p['scope']}"]
    for m in p["metrics"]:
        words, _ = verdict(m)
        lines.append(f"{m['label']}: {format_value(m['value'], m['unit'])} (n = {m['n']:,}; "
                     f"change {format_change(m['change']['diff'], m['unit'])}, {words})")
    lines += ["", "The attached HTML file has the charts; it opens offline in any browser."]
    return "\n".join(lines)
