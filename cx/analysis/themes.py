"""What comments talk about: themes by NPS group, their effect on a metric, emerging themes.

Every number is an aggregate of the features computed at load time (cx.text, schema migration
7) through the metric engine, where `theme` is a multi-valued dimension and `commented=true`
keeps the records with an analysed comment (cx.metrics.text_fields). A comment mentioning two
themes counts in both; a share of comments is "comments mentioning X / comments" with the
comment, not the mention, as the unit, so shares of one group do not add up to 100%.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cx.analysis.segments import SegmentAnalysis, bh_badges, population_counts, segment_table
from cx.domain import Filters, Grain
from cx.metrics import Engine, MetricQuery
from cx.metrics.text_fields import COMMENTED, THEME
from cx.stats.proportions import two_proportions_test, wilson
from cx.stats.reliability import eligible, hidden, reliability

GROUPS = (("det", "detractors"), ("pas", "passives"), ("pro", "promoters"))
COUNT_METRIC = {"responses": "responses", "tickets": "tickets"}


def with_commented(filters: Filters) -> Filters:
    """The same scope restricted to records with an analysed comment."""
    return filters.with_values(**{COMMENTED: "true"})


def _share_row(x: int, n: int, conf: float, engine: Engine) -> dict[str, Any]:
    """A share with its Wilson interval and tier; hidden (NaN) below the privacy floor of n."""
    tier = reliability(n, math.nan, "share", engine.settings.thresholds)
    est = wilson(x, n, conf) if n else None
    if est is None or tier in ("no_data", "suppressed"):
        return {"share": math.nan, "ci_low": math.nan, "ci_high": math.nan, "reliability": tier}
    tier = reliability(n, est.half_width, "share", engine.settings.thresholds)
    return {"share": est.value, "ci_low": est.ci_low, "ci_high": est.ci_high, "reliability": tier}


def theme_by_group(engine: Engine, filters: Filters = Filters()) -> pd.DataFrame:
    """Per theme and NPS group: comments mentioning the theme, the group's comments, the share
    with its Wilson interval. Columns: theme, group, mentions, comments, share, ci_low, ci_high,
    reliability. Rows ordered by the theme's share among detractors, largest first."""
    by_theme = engine.sufficient(MetricQuery("nps", filters=filters, by=(THEME,)))
    total = population_counts(engine, MetricQuery("nps", filters=filters))
    conf, rows = engine.settings.confidence, []
    for rec in by_theme.to_dict(orient="records"):
        for key, name in GROUPS:
            x, n = int(rec[key] or 0), int(total.get(key, 0) or 0)
            rows.append({"theme": rec[THEME], "group": name, "mentions": x, "comments": n,
                         **_share_row(x, n, conf, engine)})
    out = pd.DataFrame(rows, columns=["theme", "group", "mentions", "comments", "share",
                                      "ci_low", "ci_high", "reliability"])
    order = out[out["group"] == "detractors"].sort_values(
        ["mentions", "theme"], ascending=[False, True])["theme"].tolist()
    out["_o"] = out["theme"].map({t: i for i, t in enumerate(order)})
    return out.sort_values(["_o", "group"], kind="stable").drop(columns="_o").reset_index(
        drop=True)


def theme_shares(engine: Engine, table: str, filters: Filters = Filters()) -> pd.DataFrame:
    """Per theme: texts of ``table`` mentioning it, all analysed texts, the share with its
    Wilson interval (tickets have no NPS groups: one share per theme). Columns: theme, mentions,
    comments, share, ci_low, ci_high, reliability; most mentioned first."""
    if table not in COUNT_METRIC:
        raise ValueError(f"themes exist for {', '.join(COUNT_METRIC)}, not {table!r}")
    count = COUNT_METRIC[table]
    mentions = engine.sufficient(MetricQuery(count, filters=filters, by=(THEME,)))
    total = engine.sufficient(MetricQuery(count, filters=with_commented(filters)))
    n = int(total["n_rows"].iloc[0]) if len(total) else 0
    conf = engine.settings.confidence
    rows = [{"theme": r[THEME], "mentions": int(r["n_rows"]), "comments": n,
             **_share_row(int(r["n_rows"]), n, conf, engine)}
            for r in mentions.to_dict(orient="records")]
    out = pd.DataFrame(rows, columns=["theme", "mentions", "comments", "share", "ci_low",
                                      "ci_high", "reliability"])
    return out.sort_values(["mentions", "theme"], ascending=[False, True],
                           kind="stable").reset_index(drop=True)


def theme_effects(engine: Engine, metric: str, filters: Filters = Filters()) -> SegmentAnalysis:
    """Each theme's comments against the other comments on ``metric`` (segments vs rest, same
    tests, BH badges and small-n rules), ordered by the difference, most negative first."""
    analysis = segment_table(engine, metric, THEME, filters)
    table = analysis.table.sort_values("diff_vs_rest", kind="stable", na_position="last")
    return SegmentAnalysis(analysis.metric, analysis.by, analysis.unit,
                           table.reset_index(drop=True), analysis.heterogeneity,
                           analysis.reading, analysis.comparable, analysis.notes)


@dataclass(frozen=True, eq=False)
class EmergingThemes:
    """Weekly shares per theme and the latest week against the one before (§8.1 per theme)."""

    week: dt.date | None
    previous: dt.date | None
    series: pd.DataFrame  # theme, period, mentions, comments, share, ci_low, ci_high, reliability
    table: pd.DataFrame  # theme, share, previous_share, change, change_ci_low/high, p, q, badge
    notes: tuple[str, ...] = field(default_factory=tuple)

    def emerging(self) -> pd.DataFrame:
        """Themes whose share rose significantly (BH over every theme tested)."""
        return self.table[self.table["badge"] == "higher"].reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        return {"week": self.week, "previous": self.previous, "notes": list(self.notes),
                "rows": self.table.to_dict(orient="records"),
                "series": self.series.to_dict(orient="records")}


SERIES_COLUMNS = ["theme", "period", "mentions", "comments", "share", "ci_low", "ci_high",
                  "reliability"]
CHANGE_COLUMNS = ["theme", "mentions", "comments", "share", "previous_mentions",
                  "previous_comments", "previous_share", "change", "change_ci_low",
                  "change_ci_high", "p", "q", "badge"]


def _weekly_counts(engine: Engine, table: str, filters: Filters) -> tuple[pd.DataFrame, dict]:
    count = COUNT_METRIC[table]
    mentions = engine.sufficient(MetricQuery(count, filters=filters, by=(THEME,),
                                             grain=Grain.WEEK))
    comments = engine.sufficient(MetricQuery(count, filters=with_commented(filters),
                                             grain=Grain.WEEK))
    per_week = {pd.Timestamp(p).date(): int(n) for p, n in zip(comments["period"],
                                                                comments["n_rows"])}
    mentions["period"] = [pd.Timestamp(p).date() for p in mentions["period"]]
    return mentions, per_week


def emerging_themes(engine: Engine, filters: Filters = Filters(), table: str = "responses",
                    week: dt.date | None = None) -> EmergingThemes:
    """Share of comments mentioning each theme per ISO week, and ``week`` (default: the latest
    week with comments) against the week before with the two-proportion score test and Newcombe
    interval (METHODS.md §8.1, WOW-1); badges after BH over the themes tested."""
    if table not in COUNT_METRIC:
        raise ValueError(f"themes exist for {', '.join(COUNT_METRIC)}, not {table!r}")
    mentions, per_week = _weekly_counts(engine, table, filters)
    conf = engine.settings.confidence
    series = pd.DataFrame([{THEME: r[THEME], "period": r["period"], "mentions": int(r["n_rows"]),
                            "comments": per_week.get(r["period"], 0),
                            **_share_row(int(r["n_rows"]), per_week.get(r["period"], 0), conf,
                                         engine)}
                           for r in mentions.to_dict(orient="records")], columns=SERIES_COLUMNS)
    if not per_week:
        return EmergingThemes(None, None, series, pd.DataFrame(columns=CHANGE_COLUMNS),
                              ("no comments in scope",))
    week = week or max(per_week)
    previous = week - dt.timedelta(days=7)
    table_out = _week_changes(series, week, previous, per_week, engine)
    return EmergingThemes(week, previous, series, table_out)


def _week_changes(series: pd.DataFrame, week: dt.date, previous: dt.date,
                  per_week: dict[dt.date, int], engine: Engine) -> pd.DataFrame:
    """One row per theme: this week's share minus the previous week's, tested; BH badges."""
    conf, floor = engine.settings.confidence, engine.settings.thresholds
    n1, n0 = per_week.get(week, 0), per_week.get(previous, 0)
    rows = []
    for theme, grp in series.groupby(THEME, sort=True):
        x1 = int(grp.loc[grp["period"] == week, "mentions"].sum())
        x0 = int(grp.loc[grp["period"] == previous, "mentions"].sum())
        with warnings.catch_warnings():  # statsmodels divides by a zero share for its ratio
            warnings.simplefilter("ignore", RuntimeWarning)  # and odds ratio, which we do not use
            test = two_proportions_test(x1, n1, x0, n0, conf) if n1 and n0 else None
        rows.append({THEME: theme, "mentions": x1, "comments": n1,
                     "share": x1 / n1 if n1 else math.nan, "previous_mentions": x0,
                     "previous_comments": n0, "previous_share": x0 / n0 if n0 else math.nan,
                     "change": test.estimate if test else math.nan,
                     "change_ci_low": test.ci_low if test else math.nan,
                     "change_ci_high": test.ci_high if test else math.nan,
                     "p": test.p if test else math.nan})
    out = pd.DataFrame(rows, columns=CHANGE_COLUMNS[:-2])
    tiers = [reliability(n, math.nan, "share", floor) for n in (n1, n0)]
    if any(hidden(t) for t in tiers):  # a week below the privacy floor: no share, no test
        out[["share", "previous_share", "change", "change_ci_low", "change_ci_high",
             "p"]] = np.nan
    ok = [all(eligible(t) for t in tiers)] * len(out)  # badges need reportable n (§7.3)
    out["q"], out["badge"] = bh_badges(out["change"], out["p"], ok, conf)
    return out.sort_values(["q", "change"], ascending=[True, False],
                           na_position="last", kind="stable").reset_index(drop=True)
