"""The HTML export: self-contained, escaped, one chart per headline metric plus the p-chart."""

from __future__ import annotations

import copy
import html as html_module
import re
from pathlib import Path

import pytest

from cx.config import Settings
from cx.snapshots import get_or_build, render_html, render_text
from cx.snapshots.store import Snapshot
from cx.snapshots.svg import line_chart
from cx.storage import Store
from tests.snapshots.conftest import BAD_WEEK, NOW


@pytest.fixture(scope="module")
def bad_snapshot(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    import shutil

    from cx.config import load_settings

    db = tmp_path_factory.mktemp("report") / "r.duckdb"
    shutil.copy2(demo_db, db)
    return get_or_build(Store(db), load_settings().with_db(db), BAD_WEEK, "cli", now=NOW)[0]


def test_html_is_self_contained(bad_snapshot: Snapshot) -> None:
    html = render_html(bad_snapshot)
    assert "<script" not in html.lower()
    # no attribute that would fetch anything; the only URL is the SVG namespace name
    assert re.findall(r"(?:src|href)\s*=", html, flags=re.I) == []
    assert set(re.findall(r"https?://[^\"' )]+", html)) == {"http://www.w3.org/2000/svg"}
    assert "default-src 'none'" in html
    # eight headline trends and CSAT's p-chart
    assert html.count('<svg class="cx-chart"') == 9
    assert "63.0%" in html and '<td class="bad">a real change</td>' in html


def test_user_text_is_escaped(bad_snapshot: Snapshot) -> None:
    payload = copy.deepcopy(bad_snapshot.payload)
    evil = '<img src=x onerror="alert(1)">'
    payload["movers"] = {"tested": 1, "significant": 1, "rows": [{
        "metric": "csat", "label": "CSAT", "unit": "fraction", "dimension": "channel",
        "segment": evil, "value": 0.5, "previous": 0.8, "diff": -0.3, "ci_low": -0.4,
        "ci_high": -0.2, "n": 40, "q": 0.001}]}
    payload["headlines"] = [f"Largest move in {evil}"]
    html = render_html(Snapshot(**{**bad_snapshot.__dict__, "payload": payload}))
    assert evil not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_chart_marks_out_of_control_weeks_and_gaps() -> None:
    points = [{"week": f"2026-W{w}", "p": p, "lcl": 0.7, "ucl": 0.9, "out_of_control": p < 0.7}
              for w, p in ((40, 0.8), (41, 0.82), (42, 0.63))]
    points.insert(1, {"week": "2026-W40b", "p": None, "lcl": None, "ucl": None,
                      "out_of_control": False})
    svg = line_chart(points, "fraction", "CSAT", value="p", band=None, limits=("lcl", "ucl"),
                     flag="out_of_control")
    assert svg.count("<circle") == 3 and svg.count('fill="#c0392b"') == 1  # theme BAD
    assert svg.count("<polyline") == 2 * 2 + 2  # two limit lines and the series, each in 2 runs
    assert "2026-W42: 63.0%" in svg


def test_text_part_lists_every_metric(bad_snapshot: Snapshot) -> None:
    text = render_text(bad_snapshot)
    assert "CSAT (top-2-box): 63.0% (n = 162; change -23.4 pp, a real change)" in text
    metric_lines = [line for line in text.splitlines()
                    if ": " in line and "(n = " in line and not line.startswith("- ")]
    assert len(metric_lines) == 8  # "- " lines are the movers, not headline metrics


# --- executive wording (issue 11, item 6) ---
JARGON = re.compile(r"\bq\s*[=<]|\bp\s*[=<]|p-chart|Benjamini|Welch|Wald|R²|variance|"
                    r"control limit|significant \(", re.I)


def test_main_text_is_plain_and_methods_wait_in_how_to_read(bad_snapshot: Snapshot) -> None:
    html = render_html(bad_snapshot)
    main, how = html.split("<h2>How to read this</h2>")
    words = html_module.unescape(re.sub(r"<[^>]+>", " ", main))
    assert JARGON.findall(words) == []
    assert "Benjamini–Hochberg" in how and "p-chart" in how
    for sentence in bad_snapshot.payload["headlines"]:
        assert JARGON.findall(sentence) == [], sentence
    assert JARGON.findall(render_text(bad_snapshot)) == []


def _verdict_of(diff: float, significant: bool, higher_is_better: bool = True) -> tuple:
    from cx.snapshots.report import verdict

    return verdict({"higher_is_better": higher_is_better,
                    "change": {"p": 0.01 if significant else 0.4, "diff": diff,
                               "significant": significant}})


def test_only_a_real_nonzero_change_is_coloured() -> None:
    from cx.snapshots.view import delta_colour

    assert _verdict_of(0.0, True) == ("within normal noise", "")
    assert _verdict_of(-0.1, False) == ("within normal noise", "")
    assert _verdict_of(-0.1, True) == ("a real change", "bad")
    assert _verdict_of(-0.1, True, higher_is_better=False) == ("a real change", "good")
    block = {"higher_is_better": True, "change": {"p": 0.4, "diff": -0.3, "significant": False}}
    assert delta_colour(block) == "off"
    block["change"].update(p=0.001, significant=True)
    assert delta_colour(block) == "normal"
    block["change"]["diff"] = 0.0
    assert delta_colour(block) == "off"
