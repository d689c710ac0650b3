"""One-line plain-English readings the UI shows above each analysis.

Numbers go through cx.charts.format so a sentence says exactly what the chart and table say.
Sentences never overstate: "significant" only after the correction the analysis applied.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from cx.charts.format import format_change, format_ci, format_value
from cx.stats.types import TestResult


def _label(value: Any) -> str:
    return "(not set)" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else str(value)


def _pct(conf: float) -> str:
    return f"{conf * 100:g}%"


def _p(p: float) -> str:
    if not math.isfinite(p):
        return "p not available"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _plural(k: int, word: str) -> str:
    return f"{k} {word}" if k == 1 else f"{k} {word}s"


def segment_reading(label: str, by: str, unit: str, table: pd.DataFrame,
                    het: TestResult | None, conf: float) -> str:
    """'Phone NPS is lower than the rest: -12 pts, 95% CI -18 to -6, significant after
    correcting for 5 comparisons.' or why nothing is flagged."""
    family = int(table["q"].notna().sum())
    badged = table[table["badge"] != "none"].sort_values("q")
    if table.empty:
        return f"No {label} answers match the filters: there is nothing to compare by {by}."
    if family == 0:
        return (f"Too few answers to compare {label} by {by}: a segment needs a reportable base "
                "(n ≥ 30; n_eff when answers repeat per customer) before it can be flagged.")
    if badged.empty:
        tail = f" (test that all segments are equal: {_p(het.p)})" if het is not None else ""
        return (f"No {by} differs significantly from the rest in {label} after correcting for "
                f"{_plural(family, 'comparison')}{tail}.")
    top = badged.iloc[0]
    sentence = (f"{_label(top['segment'])} {label} is {top['badge']} than the rest: "
                f"{format_change(top['diff_vs_rest'], unit)}, {_pct(conf)} CI "
                f"{diff_ci(top['diff_ci_low'], top['diff_ci_high'], unit)}, "
                f"significant after correcting for {_plural(family, 'comparison')}.")
    if len(badged) > 1:
        others = ", ".join(f"{_label(s)} ({b})" for s, b in
                           zip(badged["segment"].iloc[1:], badged["badge"].iloc[1:]))
        sentence += f" Also different from the rest: {others}."
    return sentence


def diff_ci(low: float, high: float, unit: str) -> str:
    """Interval of a difference: shares in percentage points, like the change itself."""
    if unit == "fraction" and math.isfinite(low) and math.isfinite(high):
        return f"{format_change(low, unit)} to {format_change(high, unit)}"
    return format_ci(low, high, unit)


def uncompared_reading(label: str, by: str, table: pd.DataFrame) -> str:
    ranked = table[table["rank"] == 1]
    best = f" Best by the conservative bound: {_label(ranked['segment'].iloc[0])}." \
        if len(ranked) else ""
    return (f"{label} by {by} is shown with intervals only: no segment-vs-rest significance test "
            f"fits this kind of metric.{best}")


_SYMBOL = {"spearman": "Spearman ρ", "kendall": "Kendall τ-b", "pearson_log": "Pearson r (log x)"}


def _r(value: float) -> str:
    return "–" if not math.isfinite(value) else f"{value:+.2f}".replace("-", "−")


def correlation_reading(x: str, y: str, control: str | None, summary: dict[str, Any],
                        by_group: pd.DataFrame, conf: float) -> str:
    """'csat falls as resolution_hours rises: Spearman ρ −0.32 (95% CI …, n = …). …'"""
    r, p, n = summary["r"], summary["p"], summary["n"]
    head = f"{_SYMBOL[summary['method']]} {_r(r)} ({_pct(conf)} CI {_r(summary['ci_low'])} to " \
           f"{_r(summary['ci_high'])}, n = {format_value(n, 'count')})"
    if not math.isfinite(r):
        return f"Not enough paired values of {x} and {y} to estimate a correlation (n = {n})."
    if math.isfinite(p) and p < 1.0 - conf:
        verb = "rises" if r > 0 else "falls"
        sentence = f"{y} {verb} as {x} rises: {head}."
    else:
        sentence = f"No clear association between {x} and {y}: {head}."
    if control and math.isfinite(summary.get("partial_r", math.nan)):
        sentence += f" Controlling for {control}: {_r(summary['partial_r'])}"
        shown = by_group[by_group["reliability"] == "ok"].dropna(subset=["r"])
        if len(shown) >= 2:
            lo, hi = shown.loc[shown["r"].idxmin()], shown.loc[shown["r"].idxmax()]
            sentence += (f"; within {control} from {_r(lo['r'])} ({_label(lo['group'])}) to "
                         f"{_r(hi['r'])} ({_label(hi['group'])})")
        sentence += "."
    return sentence


def _share(value: float) -> str:
    return format_value(value, "fraction").replace(".0%", "%")


def drivers_reading(outcome: str, table: pd.DataFrame, r2: float, n: int, method: str) -> str:
    """'Issue resolved and Agent knowledge drive csat most: 41% and 33% of the explained
    variance (R² 0.52, n = 12,345, Shapley).' plus what to fix first and any sign flips."""
    top = table.head(2)
    names = " and ".join(str(v) for v in top["label"])
    shares = " and ".join(_share(v) for v in top["share"])
    how = "Shapley" if method == "shapley" else "Johnson's relative weights"
    sentence = (f"{names} drive {outcome.replace('=', ' = ')} most: {shares} of the explained variance "
                f"(R² {r2:.2f}, n = {format_value(n, 'count')}, {how}).")
    fix = table[table["quadrant"] == "fix first"]
    if len(fix):
        sentence += f" Fix first (important, below-average score): {', '.join(fix['label'])}."
    flips = table[table["sign_flip"]]
    if len(flips):
        verb = "has a model sign" if len(flips) == 1 else "have model signs"
        sentence += (f" Collinearity: {', '.join(flips['label'])} {verb} opposite to the "
                     "correlation; read the shares, not the coefficients.")
    return sentence


def trend_reading(label: str, unit: str, table: pd.DataFrame,
                  control: pd.DataFrame | None) -> str:
    """'CSAT (top-2-box) over 104 periods: latest 81.2% (n = 420). Out of control: 2026-10-12.'"""
    if table.empty:
        return f"No {label} data in this period."
    last = table.iloc[-1]
    sentence = (f"{label} over {_plural(len(table), 'period')}: latest "
                f"{format_value(last['value'], unit)} (n = {format_value(last['n'], 'count')}).")
    if control is not None:
        out = control[control["out_of_control"]]
        if len(out):
            when = ", ".join(f"{pd.Timestamp(p):%Y-%m-%d} ({s})"
                             for p, s in zip(out["period"], out["side"]))
            sentence += f" Outside the control limits: {when}."
        else:
            sentence += " Every period is within its control limits."
    return sentence


def change_reading(label: str, unit: str, grain: str, value: float, previous: float,
                   change: tuple[float, float, float, float], significant: bool,
                   comparable: bool, conf: float) -> str:
    """'CSAT (top-2-box) week over week: -11.6 pp (from 84.0% to 72.4%), 95% CI ..., p = 0.007,
    significant.'"""
    if not (math.isfinite(value) and math.isfinite(previous)):
        return f"{label}: no {grain}-over-{grain} change (one of the two {grain}s has no data)."
    head = (f"{label} {grain} over {grain}: {format_change(change[0], unit)} (from "
            f"{format_value(previous, unit)} to {format_value(value, unit)})")
    if not comparable:
        return head + "; no significance test fits this kind of metric."
    verdict = "significant" if significant else "not significant"
    return (f"{head}, {_pct(conf)} CI {diff_ci(change[1], change[2], unit)}, {_p(change[3])}: "
            f"{verdict}.")
