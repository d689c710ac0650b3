"""The Verbatims page's queries, cached like every page's (cx.ui.cached: data version + ttl).

A module of its own so the page's analyses (cx.analysis.themes, .sentiment, .words) are
registered without growing cx.ui.cached, which every page shares.
"""

from __future__ import annotations

import pandas as pd

from cx.analysis.readings import diff_ci
from cx.analysis.segments import SegmentAnalysis
from cx.analysis.sentiment import sentiment_trend
from cx.analysis.themes import EmergingThemes, emerging_themes, theme_by_group, theme_effects
from cx.analysis.words import distinguishing_words
from cx.charts.format import format_change, format_ci, format_value
from cx.config import Settings
from cx.domain import Filters
from cx.metrics import Engine
from cx.metrics.text_fields import TEXT_TABLES, THEME
from cx.ui import context
from cx.ui.analysis_views import p_text
from cx.ui.cached import cached


def _engine(settings: Settings) -> Engine:
    return Engine(context.store(), settings)


@cached
def verbatims_themes(settings: Settings, filters: Filters) -> list[str]:
    """Themes the comments in scope mention, sorted."""
    return _engine(settings).dimension_values("responses", THEME, filters)


@cached
def theme_dimension(settings: Settings, table: str) -> list[str]:
    """["theme"] when some comment of ``table`` mentions a theme: what the Segments page adds to
    its split fields (a multi-valued dimension, cx.metrics.text_fields); else []."""
    if table not in TEXT_TABLES:
        return []
    return [THEME] if _engine(settings).dimension_values(table, THEME, limit=1) else []


@cached
def verbatims_groups(settings: Settings, filters: Filters) -> pd.DataFrame:
    return theme_by_group(_engine(settings), filters)


@cached
def verbatims_effects(settings: Settings, metric: str, filters: Filters) -> SegmentAnalysis:
    return theme_effects(_engine(settings), metric, filters)


@cached
def verbatims_emerging(settings: Settings, filters: Filters) -> EmergingThemes:
    return emerging_themes(_engine(settings), filters)


@cached
def verbatims_sentiment(settings: Settings, filters: Filters) -> pd.DataFrame:
    return sentiment_trend(_engine(settings), filters)


@cached
def verbatims_words(settings: Settings, filters: Filters) -> pd.DataFrame:
    return distinguishing_words(_engine(settings), filters)


def word_rows(words: pd.DataFrame) -> pd.DataFrame:
    """A word list as shown in half the page's width: the counts and z (the full rows, with
    the log-odds and its interval, go to the downloads)."""
    return pd.DataFrame({"term": words["term"], "detractors": words["detractors"],
                         "promoters": words["promoters"], "z": words["z"].round(2)})


def group_rows(groups: pd.DataFrame) -> pd.DataFrame:
    """The theme x NPS-group table as shown: shares and Wilson intervals in percent."""
    return pd.DataFrame({
        "theme": groups["theme"], "group": groups["group"], "mentions": groups["mentions"],
        "comments": groups["comments"],
        "share": [format_value(v, "fraction") for v in groups["share"]],
        "95% CI": [format_ci(lo, hi, "fraction") for lo, hi in
                   zip(groups["ci_low"], groups["ci_high"], strict=True)],
        "reliability": groups["reliability"]})


def emerging_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The emerging-themes table as shown: shares in percent, the change in points with its
    Newcombe interval, p and BH q."""
    return pd.DataFrame({
        "theme": table["theme"], "mentions": table["mentions"], "comments": table["comments"],
        "share": [format_value(v, "fraction") for v in table["share"]],
        "week before": [format_value(v, "fraction") for v in table["previous_share"]],
        "change": [format_change(v, "fraction") for v in table["change"]],
        "change 95% CI": [diff_ci(lo, hi, "fraction") if pd.notna(lo) else "–" for lo, hi in
                          zip(table["change_ci_low"], table["change_ci_high"], strict=True)],
        "p": [p_text(p) for p in table["p"]], "q (BH)": [p_text(q) for q in table["q"]],
        "badge": table["badge"]})
