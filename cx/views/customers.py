"""Customer views the catalog cannot express as one metric: churn by tenure band, NPS of churned
versus retained customers.

Both follow the churn definition of the catalog (METHODS.md §4.1): with a date range, the base is
the customers active at its start and the churned are those of them lost within it; tenure is
measured at the period start. Without dates, the churn flag over all customers in scope.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
from sqlglot import exp

from cx.config import Settings
from cx.domain import DateRange, Filters
from cx.metrics import MetricQuery
from cx.metrics.compiler import Params, col, filter_conditions, scope_condition, utc_bounds
from cx.metrics.dialects import get_dialect
from cx.stats.nps import nps_estimate
from cx.stats.rates import churn_estimate
from cx.stats.reliability import reliability
from cx.storage import Store, run

# Tenure bands in months: (upper bound exclusive, label); the last band is open-ended.
TENURE_BANDS = ((6, "0–6 months"), (12, "6–12 months"), (24, "1–2 years"), (48, "2–4 years"),
                (None, "4+ years"))
UNKNOWN = "unknown"
_HOURS_PER_MONTH = 24 * 30.4375


def _band(months: exp.Expression) -> exp.Expression:
    case = exp.Case().when(months.is_(exp.null()), exp.Literal.string(UNKNOWN))
    for upper, label in TENURE_BANDS:
        if upper is None:
            return case.else_(exp.Literal.string(label))
        case = case.when(months < exp.Literal.number(upper), exp.Literal.string(label))
    return case


def _rows(frame: pd.DataFrame, key: str, settings: Settings, kind: str) -> pd.DataFrame:
    """Finish (key, x, n) counts into value / CI / n / reliability rows."""
    out = []
    for r in frame.itertuples(index=False):
        x, n = int(getattr(r, "x")), int(getattr(r, "n"))
        est = churn_estimate(x, n, settings.confidence)
        half = (est.ci_high - est.ci_low) / 2 if n else math.nan
        out.append({key: getattr(r, key), "value": est.value, "n": n, "ci_low": est.ci_low,
                    "ci_high": est.ci_high, "reliability": reliability(n, half, kind,
                                                                       settings.thresholds),
                    "churned": x})
    return pd.DataFrame(out, columns=[key, "value", "n", "ci_low", "ci_high", "reliability",
                                      "churned"])


def churn_by_tenure(store: Store, settings: Settings, filters: Filters) -> pd.DataFrame:
    """Churn rate per tenure band (tenure at the period start), Wilson intervals."""
    params = Params()
    no_dates = replace(filters, dates=DateRange())  # keeps the data scope
    probe = MetricQuery(metric="churn_rate", filters=no_dates)
    dialect = get_dialect("duckdb")
    signup, gone, flag = col("signup_at"), col("churned_at"), col("churned")
    if filters.dates.start is None or filters.dates.end is None:
        months = col("tenure_months")
        at_start, lost = flag.is_(exp.null()).not_(), exp.func("coalesce", flag, exp.false())
    else:
        lo, hi = (params.add(v) for v in utc_bounds(filters.dates, settings.tz))
        seconds = dialect.epoch_seconds(lo) - dialect.epoch_seconds(signup)
        months = seconds / 3600.0 / _HOURS_PER_MONTH
        unknown = exp.and_(exp.func("coalesce", flag, exp.false()), gone.is_(exp.null()))
        at_start = exp.and_(exp.or_(signup.is_(exp.null()), signup < lo),
                            exp.or_(gone.is_(exp.null()), gone >= lo), unknown.not_())
        lost = exp.and_(at_start, gone < hi)
    tree = exp.select(_band(months).as_("tenure_band"),
                      exp.func("count_if", lost).as_("x"),
                      exp.func("count_if", at_start).as_("n")).from_("customers")
    for cond in filter_conditions(probe, "customers", settings.tz, params):
        tree = tree.where(cond)
    tree = tree.group_by(exp.column("tenure_band"))
    with store.cursor() as cur:
        frame = run(cur, tree.sql("duckdb"), params.values).df()
    order = [label for _, label in TENURE_BANDS] + [UNKNOWN]
    frame = frame[frame["n"] > 0]
    frame = frame.assign(_o=frame["tenure_band"].map(order.index)).sort_values("_o")
    return _rows(frame.drop(columns="_o"), "tenure_band", settings, "share")


def nps_by_churn(store: Store, settings: Settings, filters: Filters) -> pd.DataFrame:
    """NPS (points) of survey answers from customers who churned vs those retained.

    Responses are filtered as the NPS metric filters them (their own dates and fields), then
    linked to customers by customer_id; answers without a known customer are left out.
    """
    params = Params()
    probe = MetricQuery(metric="nps", filters=filters)
    scored = exp.select(col("customer_id"), col("nps")).from_("responses")
    for cond in filter_conditions(probe, "responses", settings.tz, params):
        scored = scored.where(cond)
    x = exp.column("nps", table="r", quoted=True)
    status = exp.Case().when(exp.column("churned", table="c", quoted=True),
                             exp.Literal.string("churned")).else_(exp.Literal.string("retained"))
    tree = exp.select(status.as_("status"),
                      exp.func("count_if", x.between(0, 6)).as_("det"),
                      exp.func("count_if", x.between(7, 8)).as_("pas"),
                      exp.func("count_if", x.between(9, 10)).as_("pro")).from_("r").join(
        "customers", on=exp.column("customer_id", table="r", quoted=True).eq(
            exp.column("customer_id", table="c", quoted=True)), join_alias="c")
    tree = tree.where(exp.column("churned", table="c", quoted=True).is_(exp.null()).not_())
    customers_scope = scope_condition(filters.scope, "customers", params)  # both sides scoped
    if customers_scope is not None:  # (r carries only customer_id and nps: no name clashes)
        tree = tree.where(customers_scope)
    tree = tree.group_by(exp.column("status")).order_by(exp.column("status"))
    tree = tree.with_("r", as_=scored)
    with store.cursor() as cur:
        counts = run(cur, tree.sql("duckdb"), params.values).fetchall()
    rows = []
    for status_name, det, pas, pro in counts:
        est = nps_estimate(int(det), int(pas), int(pro), settings.confidence)
        half = (est.ci_high - est.ci_low) * 50 if est.n else math.nan
        rows.append({"status": status_name, "value": est.value * 100, "n": est.n,
                     "ci_low": est.ci_low * 100, "ci_high": est.ci_high * 100,
                     "reliability": reliability(est.n, half, "nps_points", settings.thresholds)})
    return pd.DataFrame(rows, columns=["status", "value", "n", "ci_low", "ci_high", "reliability"])
