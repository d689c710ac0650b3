"""Customers: who they are, when they signed up and churned, and picking them for activity.

Churn is planted through a latent *sentiment* per customer: it raises the churn probability and
it also shapes the customer's NPS answers, so customers whose latest answer is a detractor churn
about twice as often as promoters (effect 5). Churn dates are drawn first; a customer has no
tickets or surveys after churning (picking rejects them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cx.demo import spec
from cx.demo.calendar import DAY, Window

_MONTH_S = 30.4375 * DAY
_MIN_LIFETIME_S = 30 * DAY


@dataclass
class Customers:
    signup: np.ndarray  # seconds since window start (negative: before the window), ascending
    churn: np.ndarray  # seconds; window end (+inf activity) for customers who stay
    churned: np.ndarray  # bool
    sentiment: np.ndarray  # latent N(0, 1)
    region: np.ndarray  # codes into spec.REGIONS
    segment: np.ndarray
    plan: np.ndarray
    product: np.ndarray  # main product
    revenue: np.ndarray
    cum_weight: np.ndarray  # cumulative activity weight in signup order

    @property
    def n(self) -> int:
        return len(self.signup)


def choice_rows(rng: np.random.Generator, probs: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """One draw per element from probs[rows[i]] (a categorical with a per-row distribution)."""
    cum = np.cumsum(probs, axis=1)[rows]
    u = rng.random(len(rows))[:, None]
    return np.minimum((u > cum).sum(axis=1), probs.shape[1] - 1)


def labelled(codes: dict[str, np.ndarray]) -> dict[str, pd.Categorical]:
    """Integer codes -> categoricals with the dimension's labels (spec.LABELS); code -1 = NULL.
    Categoricals keep the frames small and let DuckDB insert without building Python strings."""
    return {name: pd.Categorical.from_codes(c, spec.labels(name)) for name, c in codes.items()}


def _signups(rng: np.random.Generator, n: int, window: Window) -> np.ndarray:
    pre = rng.random(n) < spec.PRE_WINDOW_SHARE
    pre[0] = True  # somebody must exist when the first ticket arrives
    before = -rng.random(n) * spec.PRE_WINDOW_YEARS * 365.25 * DAY
    during = rng.random(n) ** 0.8 * window.seconds  # more sign-ups later: growth
    return np.sort(np.where(pre, before, during).astype(np.int64))


def _churn(rng: np.random.Generator, signup: np.ndarray, sentiment: np.ndarray,
           window: Window) -> tuple[np.ndarray, np.ndarray]:
    """Churn inside the window; probability scaled by how much of the window the customer saw."""
    first = np.maximum(signup, 0) + _MIN_LIFETIME_S
    exposure = np.clip((window.seconds - first) / window.seconds, 0.0, 1.0)
    logit = spec.CHURN_INTERCEPT + spec.CHURN_SENTIMENT * sentiment
    churned = rng.random(len(signup)) < exposure / (1.0 + np.exp(-logit))
    when = first + rng.random(len(signup)) * np.maximum(window.seconds - first, 0)
    return churned, np.where(churned, when.astype(np.int64), window.seconds)


def make_customers(rng: np.random.Generator, n: int, window: Window) -> Customers:
    signup = _signups(rng, n, window)
    sentiment = rng.standard_normal(n)
    churned, churn = _churn(rng, signup, sentiment, window)
    segment = rng.choice(len(spec.SEGMENTS), size=n, p=spec.SEGMENT_MIX)
    plan = choice_rows(rng, spec.PLAN_BY_SEGMENT, segment)
    revenue = np.round(
        spec.PLAN_REVENUE_MEDIAN[plan] * np.exp(spec.PLAN_REVENUE_SIGMA[plan]
                                                * rng.standard_normal(n)), 2)
    return Customers(
        signup=signup, churn=churn, churned=churned, sentiment=sentiment,
        region=rng.choice(len(spec.REGIONS), size=n, p=spec.REGION_MIX),
        segment=segment, plan=plan,
        product=rng.choice(len(spec.PRODUCTS), size=n, p=spec.PRODUCT_MIX),
        revenue=revenue, cum_weight=np.cumsum(spec.SEGMENT_ACTIVITY[segment]),
    )


def pick(rng: np.random.Generator, customers: Customers, times: np.ndarray) -> np.ndarray:
    """A customer for each event time: weighted by activity among those signed up and not yet
    churned at that time. Vectorised rejection: redraw only the events that hit a churned one."""
    existing = np.searchsorted(customers.signup, times, side="right")
    existing = np.maximum(existing, 1)  # customer 0 signed up before the window
    out = np.empty(len(times), dtype=np.int64)
    todo = np.arange(len(times))
    for _ in range(64):
        total = customers.cum_weight[existing[todo] - 1]
        cand = np.searchsorted(customers.cum_weight, rng.random(len(todo)) * total, side="right")
        cand = np.minimum(cand, existing[todo] - 1)
        out[todo] = cand
        todo = todo[customers.churn[cand] <= times[todo]]
        if len(todo) == 0:
            break
    return out  # after 64 rounds a leftover keeps its last draw (never seen in practice)


def customers_frame(customers: Customers, window: Window) -> pd.DataFrame:
    """The customers table (codes as categoricals, ids built in SQL from the row number)."""
    end = np.where(customers.churned, customers.churn, window.seconds)
    churned_at = window.to_datetime(customers.churn)
    churned_at[~customers.churned] = np.datetime64("NaT")
    return pd.DataFrame({
        "i": np.arange(1, customers.n + 1),
        "signup_at": window.to_datetime(customers.signup),
        "churned_at": churned_at,
        "churned": customers.churned,
        "monthly_revenue": customers.revenue,
        "tenure_months": np.round((end - customers.signup) / _MONTH_S, 2),
        **labelled({"region": customers.region, "segment": customers.segment,
                    "plan": customers.plan}),
    })
