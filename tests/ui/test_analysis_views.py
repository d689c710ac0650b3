"""The display helpers of the Segments and Drivers pages: formats, sentences, chart marks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cx.analysis.correlation import CorrelationAnalysis, correlation_core
from cx.analysis.segments import COLUMNS, SegmentAnalysis
from cx.charts.figures import ci_bars
from cx.stats.types import TestResult
from cx.ui import analysis_views as views


SIMPSON_X = np.array([1, 2, 3, 4, 5, 6, 20, 22, 24, 26, 28, 30], dtype=float)
SIMPSON_Y = np.array([3.0, 2.8, 2.6, 2.4, 2.2, 2.0, 4.8, 4.6, 4.4, 4.2, 4.0, 3.8])
SIMPSON_CODES = np.array([0] * 6 + [1] * 6)  # METHODS.md §5.4: chat hours 1..6, email 20..30


def test_partial_sentence_names_simpsons_paradox() -> None:
    summary, groups = correlation_core(SIMPSON_X, SIMPSON_Y, "spearman", SIMPSON_CODES,
                                       ("chat", "email"))
    c = CorrelationAnalysis("tickets", "resolution_hours", "csat", "spearman", "channel", summary,
                            groups, None, "")
    # pooled is positive, within each channel -1: the sentence must say the sign flips
    assert summary["r"] > 0 > summary["partial_r"]
    text = views.partial_sentence(c)
    assert text.startswith(f"Pooled {views.coef(summary['r'])} mixes channels")
    assert "opposite sign" in text and "Simpson" in text


def test_partial_sentence_methods_vector() -> None:
    # METHODS.md §5.4: pooled r = +0.8248, partial r | channel = -0.9487
    c = CorrelationAnalysis("tickets", "resolution_hours", "csat", "pearson_log", "channel",
                            {"r": 0.8248, "partial_r": -0.9487}, pd.DataFrame(), None, "")
    assert views.partial_sentence(c).startswith(
        "Pooled +0.825 mixes channels that differ in both resolution hours and csat; within the "
        "same channel (partial correlation) it is -0.949, the opposite sign")


@pytest.mark.parametrize(("r", "partial", "word"), [
    (-0.43, -0.30, "weaker"), (-0.20, -0.40, "stronger"), (-0.40, -0.42, "about the same")])
def test_partial_sentence_grades_the_change(r: float, partial: float, word: str) -> None:
    c = CorrelationAnalysis("tickets", "resolution_hours", "csat", "spearman", "channel",
                            {"r": r, "partial_r": partial}, pd.DataFrame(), None, "")
    assert f", {word}" in views.partial_sentence(c)
    no_control = CorrelationAnalysis("tickets", "resolution_hours", "csat", "spearman", None,
                                     {"r": r, "partial_r": math.nan}, pd.DataFrame(), None, "")
    assert views.partial_sentence(no_control) == ""


def test_number_formats() -> None:
    assert views.p_text(0.00001) == "<0.0001" and views.p_phrase(0.00001) == "p < 0.0001"
    assert views.p_text(0.01234) == "0.0123" and views.p_phrase(0.0591) == "p = 0.0591"
    assert views.p_text(math.nan) == "–" and views.coef(math.nan) == "–"
    assert views.coef(-0.8886) == "-0.889" and views.coef(0.1) == "+0.100"


def test_plain_escapes_markdown_and_directives() -> None:
    text = views.plain("[click](http://x) *bold* :red[alarm] <b>")
    # every character Markdown or Streamlit would act on is escaped
    assert text == r"\[click\]\(http\://x\) \*bold\* \:red\[alarm\] \<b\>"


def segment_analysis() -> SegmentAnalysis:
    table = pd.DataFrame([
        ("chat", 42.0, 951, 37.8, 46.9, "ok", 22.5, 16.0, 29.0, 1e-9, 1e-9, "higher", 1.0),
        ("phone", 5.8, 893, 0.6, 11.1, "ok", -24.8, -31.0, -19.0, 1e-9, 1e-9, "lower", 3.0),
        ("email", 27.0, 1221, 22.6, 31.4, "ok", 2.6, -2.8, 8.0, 0.348, 0.58, "none", 2.0),
        (None, 10.0, 12, -30.0, 50.0, "low_n", -15.0, -55.0, 25.0, 0.2, math.nan, "none", math.nan),
        ("fax", math.nan, 3, math.nan, math.nan, "suppressed", math.nan, math.nan, math.nan,
         math.nan, math.nan, "none", math.nan),
    ], columns=list(COLUMNS))
    het = TestResult(35.2, 35.2, 2.1e-7, df=4, method="wald_q_adjusted")
    return SegmentAnalysis("nps", "channel", "points", table, het, "")


def test_segment_rows_and_heterogeneity() -> None:
    a = segment_analysis()
    rows = views.segment_rows(a)
    assert list(rows["channel"]) == ["chat", "phone", "email", "(not set)", "fax"]
    assert rows.loc[1, ["value", "95% CI", "vs rest", "q (BH)", "badge", "rank"]].tolist() == \
        ["6", "1 to 11", "-25 pts", "<0.0001", "lower", "3"]
    assert rows.loc[3, ["q (BH)", "rank"]].tolist() == ["–", "–"]
    assert views.heterogeneity_line(a) == (
        "Test that all channel values are equal (Wald Q test of equal NPS, 4 df): statistic "
        "35.20, p < 0.0001 — they differ.")


def test_mark_segments_writes_badges_and_low_base() -> None:
    a = segment_analysis()
    fig = views.mark_segments(ci_bars(views.segment_points(a), "segment", "points", "NPS",
                                      "t", badge="badge"), a)
    marks = {(ann.y, ann.text) for ann in fig.layout.annotations}
    assert ("phone", "▼ lower") in marks and ("chat", "▲ higher") in marks
    assert ("(not set)", "n = 12 (low base)") in marks
    assert ("fax", "n = 3 (hidden)") in marks  # ci_bars' own mark for suppressed segments
    assert not any(y == "email" for y, _ in marks)
    assert fig.layout.yaxis.title.text == "channel"


def test_split_fields_drop_ids_and_the_metric_column() -> None:
    from cx.metrics import get_metric

    customers = ["churned", "region", "segment", "plan"]
    assert views.split_fields(customers, get_metric("churn_rate")) == ["region", "segment", "plan"]
    responses = ["customer_id", "ticket_id", "channel", "region"]
    assert views.split_fields(responses, get_metric("nps")) == ["channel", "region"]
