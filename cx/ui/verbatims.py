"""The Verbatims page's queries, cached like every page's (cx.ui.cached: data version + ttl).

A module of its own so the page's analyses (cx.analysis.themes, .sentiment, .words) are
registered without growing cx.ui.cached, which every page shares.
"""

from __future__ import annotations

import pandas as pd

from cx.analysis.readings import diff_ci
from cx.analysis.segments import SegmentAnalysis
from cx.analysis.sentiment import sentiment_trend
from cx.analysis.themes import (
    EmergingThemes,
    emerging_themes,
    theme_by_group,
    theme_effects,
    theme_shares,
)
from cx.analysis.words import distinguishing_words
from cx.charts.format import format_change, format_ci, format_value
from cx.config import Settings
from cx.domain import Filters
from cx.metrics import Engine
from cx.metrics.text_fields import TEXT_TABLES, THEME
from cx.text.records import text_fields
from cx.ui import context
from cx.ui.analysis_views import p_text
from cx.ui.cached import cached


def _engine(settings: Settings) -> Engine:
    return Engine(context.store(), settings)


# What the page offers per source: the table, and the metrics that make sense on its records.
SOURCES = {"responses": "Survey comments", "tickets": "Ticket texts"}
UPLOAD_HINT = {"responses": "survey responses with comments",
               "tickets": "tickets with a text column (a description)"}
NOUNS = {"responses": ("comment", "comments"), "tickets": ("ticket text", "ticket texts")}
SOURCE_METRICS = {"responses": ("nps", "csat"),
                  "tickets": ("ticket_csat", "ticket_csat_mean", "ttr_median",
                              "resolved_within_24h")}


@cached
def verbatims_themes(settings: Settings, filters: Filters, table: str = "responses") -> list[str]:
    """Themes the comments (or ticket texts) in scope mention, sorted."""
    return _engine(settings).dimension_values(table, THEME, filters)


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
def verbatims_shares(settings: Settings, table: str, filters: Filters) -> pd.DataFrame:
    return theme_shares(_engine(settings), table, filters)


@cached
def text_columns(settings: Settings, table: str) -> list[str]:
    """The fields of ``table`` whose text was analysed (a ticket upload names its own)."""
    with context.store().cursor() as cur:
        return text_fields(cur, table)


@cached
def verbatims_effects(settings: Settings, metric: str, filters: Filters) -> SegmentAnalysis:
    return theme_effects(_engine(settings), metric, filters)


@cached
def verbatims_emerging(settings: Settings, filters: Filters,
                       table: str = "responses") -> EmergingThemes:
    return emerging_themes(_engine(settings), filters, table)


@cached
def verbatims_sentiment(settings: Settings, filters: Filters,
                        table: str = "responses") -> pd.DataFrame:
    return sentiment_trend(_engine(settings), filters, table)


@cached
def verbatims_words(settings: Settings, filters: Filters) -> pd.DataFrame:
    return distinguishing_words(_engine(settings), filters)


def word_rows(words: pd.DataFrame) -> pd.DataFrame:
    """A word list as shown in half the page's width: the counts and z (the full rows, with
    the log-odds and its interval, go to the downloads)."""
    z = pd.to_numeric(words["z"])  # an empty list (no promoter in the filter) has object dtype
    return pd.DataFrame({"term": words["term"], "detractors": words["detractors"],
                         "promoters": words["promoters"], "z": z.round(2)})


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


def share_rows(shares: pd.DataFrame) -> pd.DataFrame:
    """Theme shares of one source's texts as shown: the share and its Wilson interval."""
    return pd.DataFrame({
        "theme": shares["theme"], "mentions": shares["mentions"],
        "texts": shares["comments"],
        "share": [format_value(v, "fraction") for v in shares["share"]],
        "95% CI": [format_ci(lo, hi, "fraction") for lo, hi in
                   zip(shares["ci_low"], shares["ci_high"], strict=True)],
        "reliability": shares["reliability"]})


def offered_themes(themes: list[str], filters: Filters) -> list[str]:
    """The themes whose texts the page lists: inside the sidebar's theme filter when it has one,
    so a listed text always passes the sidebar's filters too."""
    chosen = set(filters.as_dict().get(THEME, ()))
    return [t for t in themes if t in chosen] if chosen else themes


def record_line(table: str, row: object) -> str:
    """The line above a listed text: when, and the record's own score."""
    if table == "responses":
        nps = getattr(row, "nps", None)
        score = "no NPS" if pd.isna(nps) else f"NPS {int(nps)}"  # None, NaN or pd.NA
        return f"{row.submitted_at:%Y-%m-%d %H:%M} · {score}"
    csat, hours = getattr(row, "csat", None), getattr(row, "resolution_hours", None)
    parts = [f"{row.opened_at:%Y-%m-%d %H:%M}", f"ticket {row.ticket_id}",
             "no CSAT" if pd.isna(csat) else f"CSAT {int(csat)}",
             "unresolved" if pd.isna(hours) else f"resolved in {hours:.1f} h"]
    return " · ".join(parts)
