"""Display tables, chart marks and sentences for the Segments and Drivers pages.

Why a module and not page code: the pages stay flat (guard → filters → cached call → render),
while everything a test should pin down — which number is shown in which format, which sentence
explains the partial correlation — lives here, as plain functions of the analysis results. The
tables hold formatted text (the formats of cx.charts.format), so the CSV a user downloads says
exactly what the page shows.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from cx.analysis.correlation import CorrelationAnalysis
from cx.analysis.drivers import DriverAnalysis
from cx.analysis.segments import SegmentAnalysis
from cx.analysis.readings import diff_ci
from cx.charts.format import format_change, format_ci, format_value
from cx.charts.text import BR, inert, md_plain
from cx.charts.theme import BADGE_COLOR, MUTED
from cx.metrics import MetricDef
from cx.stats.clusters import effective_n_text

NOT_SET = "(not set)"
TEST_NAMES = {"chi2_homogeneity": "chi-square test of equal shares",
              "welch_anova": "Welch's ANOVA of equal means",
              "wald_q_adjusted": "Wald Q test of equal NPS",
              "wald_q": "Wald Q test of equal NPS"}
COEFFICIENT = {"spearman": "Spearman ρ", "kendall": "Kendall τ-b",
               "pearson_log": "Pearson r on log time"}


def plain(text: str) -> str:
    """Escape Markdown so segment names from uploads are shown as typed, never as markup."""
    return md_plain(text)


def p_text(p: float) -> str:
    """p- and q-values in tables: four decimals, '<0.0001' below that, '–' when untested."""
    if p is None or not math.isfinite(p):
        return "–"
    return "<0.0001" if p < 0.0001 else f"{p:.4f}"


def p_phrase(p: float) -> str:
    """'p < 0.0001' or 'p = 0.0123' for sentences and captions."""
    text = p_text(p)
    return f"p < {text[1:]}" if text.startswith("<") else f"p = {text}"


def coef(r: float) -> str:
    """A correlation coefficient: three decimals, signed ('-0.431')."""
    return "–" if r is None or not math.isfinite(r) else f"{r:+.3f}"


def segment_names(table: pd.DataFrame) -> pd.Series:
    return table["segment"].map(lambda s: NOT_SET if s is None or pd.isna(s) else str(s))


def split_fields(dims: list[str], metric: MetricDef) -> list[str]:
    """Fields worth splitting a metric by: not record ids (one segment per record) and not the
    metric's own column (churn by churned is 0% and 100% by definition)."""
    allowed = [d for d in dims if not metric.dimensions or d in metric.dimensions]
    return [d for d in allowed if not d.endswith("_id") and d != metric.column]


def effective_n_column(df: pd.DataFrame) -> dict[str, list[str]]:
    """An "effective n" column when some row's answers repeat per customer (deff > 1.1,
    METHODS.md §0.1); no column otherwise."""
    if "deff" not in df or "n_eff" not in df:
        return {}
    texts = [effective_n_text(d, e) for d, e in zip(df["deff"], df["n_eff"], strict=True)]
    if not any(texts):
        return {}
    return {"effective n": [f"{float(e):,.0f} (design effect {float(d):.2f})" if t else ""
                            for t, d, e in zip(texts, df["deff"], df["n_eff"], strict=True)]}


def segment_rows(a: SegmentAnalysis) -> pd.DataFrame:
    """The segments table as shown: formatted values, differences vs the rest, p, BH q, badge."""
    t = a.table
    return pd.DataFrame({
        a.by: segment_names(t),
        "value": [format_value(v, a.unit) for v in t["value"]],
        "95% CI": [format_ci(lo, hi, a.unit) for lo, hi in zip(t["ci_low"], t["ci_high"])],
        "n": t["n"].astype(int),
        "reliability": t["reliability"].astype(str),
        "vs rest": [format_change(d, a.unit) for d in t["diff_vs_rest"]],
        "vs rest 95% CI": [diff_ci(lo, hi, a.unit) if math.isfinite(lo) else "–"
                           for lo, hi in zip(t["diff_ci_low"], t["diff_ci_high"])],
        "p": [p_text(p) for p in t["p"]],
        "q (BH)": [p_text(q) for q in t["q"]],
        "badge": t["badge"].astype(str),
        "rank": ["–" if pd.isna(r) else str(int(r)) for r in t["rank"]],
        **effective_n_column(t),
    })


def heterogeneity_line(a: SegmentAnalysis) -> str:
    """One line: are all segments equal? (the k-segment omnibus test)."""
    het = a.heterogeneity
    if het is None:
        return f"No test that all {a.by} values are equal: this kind of metric has none here."
    name = TEST_NAMES.get(het.method, het.method)
    if not math.isfinite(het.p):
        return f"Test that all {a.by} values are equal ({name}): not enough data."
    df = f", {het.df:g} df" if math.isfinite(het.df) else ""
    verdict = "they differ" if het.p < 0.05 else "no clear difference"
    return (f"Test that all {a.by} values are equal ({name}{df}): statistic "
            f"{het.statistic:.2f}, {p_phrase(het.p)} — {verdict}.")


def mark_segments(fig: go.Figure, a: SegmentAnalysis) -> go.Figure:
    """Write each badge beside its dot, and 'n = …' beside greyed low-base dots."""
    for row, name in zip(a.table.itertuples(), segment_names(a.table)):
        if row.reliability == "suppressed":
            continue  # ci_bars already writes "n = … (hidden)"
        if row.badge in ("higher", "lower"):
            text, color = ("▲ higher" if row.badge == "higher" else "▼ lower"), \
                BADGE_COLOR[row.badge]
        elif row.reliability != "ok":
            text, color = f"n = {int(row.n):,} (low base)", MUTED
        else:
            continue
        x = row.ci_high if math.isfinite(row.ci_high) else row.value
        fig.add_annotation(x=x, y=inert(name), text=text, showarrow=False, xanchor="left",
                           xshift=8, font={"color": color}, name=f"badge-{row.badge}")
    fig.update_yaxes(title=inert(a.by.replace("_", " ")))
    fig.update_layout(margin_r=130)  # room for the badge text right of the widest whisker
    return fig


def segment_points(a: SegmentAnalysis) -> pd.DataFrame:
    """The table with missing segment keys named, as figures.ci_bars draws and names them."""
    return a.table.assign(segment=segment_names(a.table))


def segment_export(a: SegmentAnalysis) -> pd.DataFrame:
    """The segments table for download: numbers as numbers, in the metric's unit."""
    return segment_points(a).rename(columns={"segment": a.by}).assign(unit=a.unit)


def heat_ready(rows: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    """Engine rows by two fields, with missing keys named, ready for figures.heatmap."""
    out = rows.copy()
    for field in (x, y):
        out[field] = out[field].map(lambda s: NOT_SET if s is None or pd.isna(s) else str(s))
    return out


def partial_sentence(c: CorrelationAnalysis) -> str:
    """Why the pooled and the partial coefficient differ, in one sentence (METHODS.md §5.4)."""
    s, by = c.summary, c.control
    x, y = c.x.replace("_", " "), c.y.replace("_", " ")
    r, pr = s.get("r", math.nan), s.get("partial_r", math.nan)
    if not by or not (math.isfinite(r) and math.isfinite(pr)):
        return ""
    head = (f"Pooled {coef(r)} mixes {by}s that differ in both {x} and {y}; within the same "
            f"{by} (partial correlation) it is {coef(pr)}")
    if r * pr < 0:
        tail = ", the opposite sign: the pooled figure is Simpson's paradox, read the partial one."
    elif abs(pr) < abs(r) - 0.05:
        tail = f", weaker: part of the pooled association is the {by} mix, not {x} itself."
    elif abs(pr) > abs(r) + 0.05:
        tail = f", stronger: the {by} mix hides part of the association."
    else:
        tail = f", about the same: the {by} mix does not explain the association."
    return head + tail


def group_rows(c: CorrelationAnalysis) -> pd.DataFrame:
    """Per-group coefficients as shown (the `by_group` of `analyze correlation`)."""
    g = c.by_group
    return pd.DataFrame({
        c.control or "group": g["group"].map(lambda s: NOT_SET if s is None else str(s)),
        COEFFICIENT[c.method]: [coef(r) for r in g["r"]],
        "95% CI": [f"{coef(lo)} to {coef(hi)}" if math.isfinite(lo) else "no interval"
                   for lo, hi in zip(g["ci_low"], g["ci_high"])],
        "p": [p_text(p) for p in g["p"]],
        "n": g["n"].astype(int),
        "reliability": g["reliability"].astype(str),
    })


def group_points(c: CorrelationAnalysis) -> pd.DataFrame:
    """by_group in the columns figures.ci_bars reads (value, ci_low, ci_high, n, reliability)."""
    g = c.by_group.rename(columns={"r": "value", "group": "segment"})
    g["segment"] = g["segment"].map(lambda s: NOT_SET if s is None else str(s))
    return g


def bin_rows(bins: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "resolution time": bins["bucket"].astype(str),
        "n": bins["n"].astype(int),
        "mean CSAT": [format_value(m, "scale points") for m in bins["mean"]],
        "satisfied (top-2-box)": [format_value(v, "fraction") for v in bins["value"]],
        "95% CI (Wilson)": [format_ci(lo, hi, "fraction")
                            for lo, hi in zip(bins["ci_low"], bins["ci_high"])],
        "reliability": bins["reliability"].astype(str),
    })


def driver_rows(d: DriverAnalysis) -> pd.DataFrame:
    """Ranked drivers as shown: share of R² with its bootstrap CI, r, performance, quadrant."""
    t = d.drivers
    return pd.DataFrame({
        "rank": t["rank"].astype(int),
        "driver": t["label"].astype(str),
        "field": t["name"].astype(str),
        "share of R²": [format_value(s, "fraction") for s in t["share"]],
        "95% CI (bootstrap)": [format_ci(lo, hi, "fraction")
                               for lo, hi in zip(t["ci_low"], t["ci_high"])],
        "importance (R² part)": [f"{v:.4f}" for v in t["importance"]],
        "r with outcome": [coef(r) for r in t["r"]],
        "performance (mean)": [format_value(p, "scale points") for p in t["performance"]],
        "quadrant": t["quadrant"].astype(str),
        "sign flip": ["yes" if f else "" for f in t["sign_flip"]],
    })


def quadrant_hover(fig: go.Figure, d: DriverAnalysis) -> go.Figure:
    """Hover with the share's bootstrap CI and the n behind it, like every other chart."""
    t = d.drivers
    fig.update_traces(hovertemplate=None, hoverinfo="text", hovertext=[
        inert(f"{label}{BR}share of R² {format_value(s, 'fraction')}, 95% CI "
              f"{format_ci(lo, hi, 'fraction')}{BR}performance {format_value(p, 'scale points')}"
              f"{BR}{quad} · n = {d.n:,}")
        for label, s, lo, hi, p, quad in zip(t["label"], t["share"], t["ci_low"], t["ci_high"],
                                              t["performance"], t["quadrant"])])
    return fig


def quadrant_points(d: DriverAnalysis) -> tuple[pd.DataFrame, float, float]:
    """Drivers labelled by their readable names, and the quadrant cut lines (METHODS.md §6.3)."""
    t = d.drivers
    return t.assign(name=t["label"].astype(str)), 1.0 / len(t), float(t["performance"].mean())
