"""Uploaded text in a chart is text: every figure builder escapes <, > and & (issue 12, item 4).

Plotly renders <a href>, <b>, <i>, <span style> … inside labels, hover text, titles, legends,
annotations and ticks. A category value from an upload must reach the figure JSON only in its
escaped form, which Plotly shows as the characters typed.
"""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from cx.analysis.drivers import DriverAnalysis
from cx.charts import figures
from cx.charts.text import inert, inert_figure, md_plain
from cx.ui import analysis_views as views
from tests.ui.test_analysis_views import segment_analysis

LINK = '<a href="http://evil">x</a>'
PAYLOADS = (LINK, "<b>b</b>", "<img src=x>", ":red[x]", "[l](http://e)")
ESCAPED = {LINK: '&lt;a href="http://evil"&gt;x&lt;/a&gt;', "<b>b</b>": "&lt;b&gt;b&lt;/b&gt;",
           "<img src=x>": "&lt;img src=x&gt;"}
TITLE = "NPS by <b>plan</b>"


def _metric_rows(field: str) -> pd.DataFrame:
    return pd.DataFrame({field: list(PAYLOADS), "value": [10.0, 20.0, 30.0, 40.0, 50.0],
                         "ci_low": [5.0, 15.0, 25.0, 35.0, 45.0],
                         "ci_high": [15.0, 25.0, 35.0, 45.0, 55.0], "n": [100] * 5,
                         "reliability": ["ok", "ok", "low_n", "ok", "suppressed"],
                         "badge": ["higher", "none", "none", "lower", "none"]})


def _drivers() -> DriverAnalysis:
    table = pd.DataFrame({"name": ["a", "b", "c"], "label": list(PAYLOADS[:3]),
                          "share": [0.5, 0.3, 0.2], "ci_low": [0.4, 0.2, 0.1],
                          "ci_high": [0.6, 0.4, 0.3], "performance": [4.0, 3.0, 2.0],
                          "quadrant": ["fix", "keep", "watch"], "rank": [1, 2, 3],
                          "importance": [0.2, 0.1, 0.05], "r": [0.5, 0.4, 0.3],
                          "sign_flip": [False] * 3})
    return DriverAnalysis("responses", "nps", 0.35, 400, "shapley", table, "")


def _builders() -> dict[str, go.Figure]:
    """Every figure the app draws, fed the payloads wherever uploaded text can enter."""
    rows = _metric_rows("plan")
    trend_rows = pd.DataFrame({
        "period": pd.to_datetime(["2026-01-05", "2026-01-12"] * 3), "plan": list(PAYLOADS[:3]) * 2,
        "value": [1.0] * 6, "ci_low": [0.5] * 6, "ci_high": [1.5] * 6, "n": [40] * 6,
        "reliability": ["ok"] * 6})
    grid = pd.DataFrame({"plan": [LINK, LINK, "<b>b</b>", "<b>b</b>"],
                         "region": ["<img src=x>", "EU"] * 2, "value": [0.8, 0.7, 0.6, 0.9],
                         "n": [100, 200, 40, 150], "reliability": ["ok"] * 4})
    curves = pd.DataFrame({"group": [LINK, LINK, "<b>b</b>", "<b>b</b>"], "t": [1.0, 5.0] * 2,
                           "s": [1.0, 0.5] * 2})
    buckets = rows.rename(columns={"plan": "bucket"})
    control = pd.DataFrame({"period": ["<b>b</b>", LINK], "p": [0.7, 0.8], "lcl": [0.5] * 2,
                            "ucl": [0.9] * 2, "centre": [0.7] * 2, "out_of_control": [False] * 2})
    quad, imp, perf = views.quadrant_points(_drivers())
    seg = segment_analysis()
    seg.table.loc[0, "segment"], seg.table.loc[1, "segment"] = LINK, "<img src=x>"
    seg_fig = figures.ci_bars(views.segment_points(seg), "segment", "points", "NPS", TITLE,
                              badge="badge")
    return {
        "ci_bars": figures.ci_bars(rows, "plan", "points", "NPS", TITLE, badge="badge"),
        "trend": figures.trend(trend_rows, "points", "NPS", TITLE, series="plan"),
        "heatmap": figures.heatmap(grid, "plan", "region", "fraction", "<b>CSAT</b>", TITLE),
        "survival_curves": figures.survival_curves(curves, TITLE),
        "binned": figures.binned(buckets, TITLE),
        "quadrant": figures.quadrant(quad, imp, perf, TITLE),
        "quadrant_hover": views.quadrant_hover(figures.quadrant(quad, imp, perf, TITLE),
                                               _drivers()),
        "control_chart": figures.control_chart(control, TITLE),
        "bars": figures.bars(rows, "plan", "n", "count", "<b>Open</b>", TITLE),
        "mark_segments": views.mark_segments(seg_fig, seg),
    }


@pytest.mark.parametrize("name", list(_builders()))
def test_every_figure_holds_uploaded_text_only_escaped(name: str) -> None:
    decoded = json.loads(_builders()[name].to_json())  # to_json writes < as \u003c
    for trace in decoded["data"]:
        trace.pop("customdata", None)  # the raw value for drill-down; Plotly never shows it
    flat = json.dumps(decoded, ensure_ascii=False)
    for tag in ("<a ", "<a>", "</a>", "<b>", "<img"):
        assert tag not in flat, f"{name}: {tag!r} reaches the figure unescaped"
    assert "&lt;b&gt;plan&lt;/b&gt;" in flat  # the title
    found = [form for form in ESCAPED.values() if form in flat]
    assert found, f"{name}: no escaped payload in the figure"


def test_drill_down_keeps_the_raw_value_and_breaks_stay_breaks() -> None:
    fig = figures.ci_bars(_metric_rows("plan"), "plan", "points", "NPS", TITLE)
    trace = fig.data[0]
    assert list(trace.customdata[:, 0]) == [LINK, "<b>b</b>", "<img src=x>", ":red[x]"]
    assert list(trace.y) == [ESCAPED[LINK], ESCAPED["<b>b</b>"], ESCAPED["<img src=x>"],
                             ":red[x]"]
    assert trace.hovertext[0] == "10<br>95% CI 5 to 15<br>n = 100"
    assert list(fig.layout.yaxis.categoryarray)[-1] == "[l](http://e)"
    assert fig.layout.annotations[0].y == "[l](http://e)"  # the suppressed one, by name


def test_inert_escapes_html_and_keeps_the_text() -> None:
    assert inert('a & <b> "q"') == 'a &amp; &lt;b&gt; "q"'
    fig = inert_figure(go.Figure(go.Bar(x=["<i>i</i>"], y=[1], name="<b>n</b>")))
    assert fig.data[0].x == ("&lt;i&gt;i&lt;/i&gt;",) and fig.data[0].name == "&lt;b&gt;n&lt;/b&gt;"


@pytest.mark.parametrize(("raw", "shown"), [
    (":red[x]", r"\:red\[x\]"), ("[l](http://e)", r"\[l\]\(http\://e\)"),
    ("<b>b</b>", r"\<b\>b\</b\>"), (":material/home: & **x**", r"\:material/home\: \& \*\*x\*\*"),
])
def test_markdown_escape_covers_links_directives_and_html(raw: str, shown: str) -> None:
    assert md_plain(raw) == shown
