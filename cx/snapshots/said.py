"""The snapshot's "what customers said": top themes among the week's detractors and any theme
whose share of comments rose significantly against the previous week, each with one example.

Small-n rules (METHODS.md §7.3, cx.metrics.suppress): no theme is named, and no comment quoted,
unless at least ``privacy_floor_n`` comments stand behind it (the week's detractor comments for
a share, the theme's own mentions for its example), so a quote cannot be tied to a handful of
customers. Emerging themes come from cx.analysis.themes (score test, BH over the themes).
"""

from __future__ import annotations

from typing import Any

from cx.analysis.themes import emerging_themes, theme_by_group
from cx.analysis.words import example_comment
from cx.domain import DateRange, Filters
from cx.metrics import Engine
from cx.snapshots.week import IsoWeek

TOP_THEMES = 3


def _example(engine: Engine, theme: str, filters: Filters, detractors: bool) -> dict | None:
    found = example_comment(engine, theme, filters, detractors=detractors)
    return None if found is None else {"comment": found["comment"], "at": found["at"],
                                       "nps": found["nps"]}


def what_customers_said(engine: Engine, week: IsoWeek) -> dict[str, Any]:
    """JSON-ready section: detractor comments, top themes among them, emerging themes."""
    floor = engine.settings.thresholds.privacy_floor_n
    filters = Filters(DateRange(week.monday, week.sunday))
    groups = theme_by_group(engine, filters)
    det = groups[groups["group"] == "detractors"]
    comments = int(det["comments"].iloc[0]) if len(det) else 0
    top = det[(det["mentions"] >= floor) & (det["comments"] >= floor)].head(TOP_THEMES)
    themes = [{"theme": r["theme"], "mentions": int(r["mentions"]), "share": r["share"],
               "ci_low": r["ci_low"], "ci_high": r["ci_high"],
               "example": _example(engine, r["theme"], filters, True)}
              for r in top.to_dict(orient="records")]
    span = Filters(DateRange(week.previous().monday, week.sunday))
    grown = emerging_themes(engine, span, week=week.monday)
    rows = grown.emerging()
    emerging = [{"theme": r["theme"], "mentions": int(r["mentions"]), "share": r["share"],
                 "previous_share": r["previous_share"], "change": r["change"],
                 "ci_low": r["change_ci_low"], "ci_high": r["change_ci_high"], "q": r["q"],
                 "example": _example(engine, r["theme"], filters, False)}
                for r in rows.to_dict(orient="records") if r["mentions"] >= floor]
    return {"detractor_comments": comments, "top_detractor_themes": themes,
            "emerging": emerging, "themes_tested": int(grown.table["p"].notna().sum())}
