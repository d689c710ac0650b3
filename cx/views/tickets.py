"""Ticket views that are not a single metric: Kaplan–Meier curves per group, open backlog by age.

The curves come from the engine's sufficient statistics for `ttr_median` (one row per distinct
duration with resolutions and still-open tickets), so the curve and the TTR tiles can never
disagree about which tickets were censored or excluded.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlglot import exp

from cx.config import Settings
from cx.domain import Filters
from cx.metrics import Engine, MetricQuery
from cx.metrics.compiler import Params, col, filter_conditions, scope_condition
from cx.metrics.dialects import get_dialect
from cx.metrics.plans import CLOSED_UNRESOLVED
from cx.stats.survival import kaplan_meier, step_points
from cx.storage import Store, run

# The Tickets page's times and SLA share, per breakdown value (its table and charts).
TIME_METRICS = ("frt_median", "frt_p90", "ttr_median", "ttr_p90", "resolved_within_24h")

# Backlog age buckets in hours: lower bounds and their labels.
AGE_BUCKETS = ((0, "< 1 day"), (24, "1–3 days"), (72, "3–7 days"), (168, "1–2 weeks"),
               (336, "2–4 weeks"), (672, "> 4 weeks"))


def km_curves(engine: Engine, filters: Filters, by: str) -> pd.DataFrame:
    """Columns group, t (hours), s (share still open), n: one step curve per value of `by`.

    Only the points where a curve steps (and its last point) are returned: exactly the same
    curves, with far fewer points for the browser to receive and draw (`step_points`)."""
    stats = engine.sufficient(MetricQuery(metric="ttr_median", filters=filters, by=(by,)))
    frames = []
    for name, part in stats.groupby(by, dropna=False, sort=True):
        ok = part[part["t"].notna() & (part["t"] >= 0)]
        km = kaplan_meier(ok["t"].to_numpy(float), ok["events"], ok["censored"])
        if not km.curve:
            continue
        t, s = zip(*step_points(km.curve), strict=True)
        frames.append(pd.DataFrame({"group": "(none)" if pd.isna(name) else str(name),
                                    "t": t, "s": s, "n": km.n}))
    if not frames:
        return pd.DataFrame(columns=["group", "t", "s", "n"])
    out = pd.concat(frames, ignore_index=True)
    return out[out["t"] > 0].reset_index(drop=True)  # t = 0 cannot sit on a log axis


def _bucket_case(age: exp.Expression) -> exp.Expression:
    case = exp.Case()
    for (low, label), nxt in zip(AGE_BUCKETS, AGE_BUCKETS[1:] + ((None, None),), strict=True):
        if nxt[0] is None:
            return case.else_(exp.Literal.string(label))
        case = case.when(age < exp.Literal.number(nxt[0]), exp.Literal.string(label))
    return case


def open_backlog(store: Store, settings: Settings, filters: Filters,
                 as_of: dt.datetime | None = None) -> pd.DataFrame:
    """Open tickets (no resolution, not closed unresolved) opened in the period, by age bucket.

    Age is measured at `as_of` (default: the latest timestamp of the tickets inside the data
    scope, as for TTR), so demo data or an old export shows its own backlog rather than
    everything "> 4 weeks", and a scoped person's ages say nothing of other regions' tickets.
    Columns: age, tickets (every bucket present, zeros included, in age order).
    """
    params = Params()
    probe = MetricQuery(metric="tickets", filters=filters)
    latest = exp.func("greatest", exp.Max(this=col("opened_at")),
                      exp.Max(this=col("first_response_at")), exp.Max(this=col("resolved_at")))
    latest_tree = exp.select(latest).from_("tickets")
    inside = scope_condition(filters.scope, "tickets", params)
    latest_tree = latest_tree.where(inside) if inside is not None else latest_tree
    now = params.add(as_of) if as_of else exp.Subquery(this=latest_tree)
    dialect = get_dialect("duckdb")
    age = (dialect.epoch_seconds(now) - dialect.epoch_seconds(col("opened_at"))) / 3600.0
    status = exp.func("lower", exp.func("coalesce", col("status"), exp.Literal.string("")))
    tree = exp.select(_bucket_case(age).as_("age"), exp.Count(this=exp.Star()).as_("tickets"))
    tree = tree.from_("tickets").where(col("resolution_hours").is_(exp.null()))
    tree = tree.where(status.isin(*[exp.Literal.string(s) for s in CLOSED_UNRESOLVED]).not_())
    for cond in filter_conditions(probe, "tickets", settings.tz, params):
        tree = tree.where(cond)
    tree = tree.group_by(exp.column("age"))
    with store.cursor() as cur:
        found = dict(run(cur, tree.sql("duckdb"), params.values).fetchall())
    return pd.DataFrame({"age": [label for _, label in AGE_BUCKETS],
                         "tickets": [int(found.get(label, 0)) for _, label in AGE_BUCKETS]})
