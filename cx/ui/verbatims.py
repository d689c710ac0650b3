"""The Verbatims page's queries, cached like every page's (cx.ui.cached: data version + ttl).

A module of its own so the page's analyses (cx.analysis.themes, .sentiment, .words) are
registered without growing cx.ui.cached, which every page shares.
"""

from __future__ import annotations

import pandas as pd

from cx.analysis.segments import SegmentAnalysis
from cx.analysis.sentiment import sentiment_trend
from cx.analysis.themes import EmergingThemes, emerging_themes, theme_by_group, theme_effects
from cx.analysis.words import distinguishing_words
from cx.config import Settings
from cx.domain import Filters
from cx.metrics import Engine
from cx.metrics.text_fields import TEXT_TABLES, THEME
from cx.ui import context
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
