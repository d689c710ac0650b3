"""Engine vs a straightforward pandas computation on random small tables (hypothesis).

For every metric, with and without a group-by, at every grain (in a non-UTC zone, so the
time-zone conversion is exercised): the engine's value and n must equal what pandas computes
from the raw rows. Kaplan–Meier is checked against lifelines fitted on the raw rows.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings as hsettings, strategies as st
from lifelines import KaplanMeierFitter

from cx.config import Settings
from cx.domain import Grain
from cx.metrics import Engine, MetricQuery, get_metric
from cx.metrics.catalog import CATALOG, MetricType
from cx.storage import Store
from tests.metrics.conftest import insert

TZ = "America/New_York"
T0 = dt.datetime(2024, 3, 1)
FLOOR = 5  # Thresholds.privacy_floor_n: below it the value is hidden
FREQ = {None: None, Grain.DAY: "D", Grain.WEEK: "W-SUN", Grain.MONTH: "M", Grain.QUARTER: "Q"}
GRAINS = list(FREQ)

channel = st.sampled_from(["a", "b", None])
stamp = st.integers(0, 24 * 120).map(lambda h: T0 + dt.timedelta(hours=h))
maybe = lambda s: st.one_of(st.none(), s)  # noqa: E731

RESPONSE = {
    "submitted_at": stamp, "channel": channel, "nps": maybe(st.integers(-1, 11)),
    "csat": maybe(st.integers(0, 8)), "ces": maybe(st.integers(1, 7)),
    "csat_scale_max": st.sampled_from([None, 5, 7]),
}
TICKET = {
    "opened_at": stamp, "channel": channel, "csat": maybe(st.integers(1, 5)),
    "first_response_hours": maybe(st.sampled_from([0.5, 1.0, 2.0, 3.5, 8.0, 30.0])),
    "resolution_hours": maybe(st.sampled_from([1.0, 4.0, 12.0, 24.0, 48.0, 100.0])),
}
CUSTOMER = {
    "signup_at": stamp, "region": channel, "churned": maybe(st.booleans()),
    "monthly_revenue": st.sampled_from([10.0, 20.0, 50.0]),
    "tenure_months": st.sampled_from([1.0, 3.0, 12.0]),
}
COLUMNS = {"responses": RESPONSE, "tickets": TICKET, "customers": CUSTOMER}
ROWS = {table: st.fixed_dictionaries(spec) for table, spec in COLUMNS.items()}
KEY = {"responses": "response_id", "tickets": "ticket_id", "customers": "customer_id"}
TIME = {"responses": "submitted_at", "tickets": "opened_at", "customers": "signup_at"}


def _period(ts: pd.Series, grain: Grain) -> pd.Series:
    local = ts.dt.tz_localize("UTC").dt.tz_convert(TZ).dt.tz_localize(None)
    return local.dt.to_period(FREQ[grain]).dt.start_time.dt.date


def _expected(metric_name: str, g: pd.DataFrame) -> tuple[float, int]:
    """(value, n) of one group, straight from the raw rows."""
    m = get_metric(metric_name)
    match m.type:
        case MetricType.NPS:
            x = g["nps"].dropna()
            x = x[(x >= 0) & (x <= 10)]
            return ((x >= 9).mean() - (x <= 6).mean()) * 100 if len(x) else math.nan, len(x)
        case MetricType.SHARE | MetricType.MEAN:
            c = m.column or ""
            hi = g.get(f"{c}_scale_max", pd.Series(index=g.index, dtype=float)).fillna(
                5 if c == "csat" else 7)
            ok = g[c].notna() & (g[c] >= 1) & (g[c] <= hi)
            x, hi = g[c][ok], hi[ok]
            if m.type is MetricType.MEAN:
                return (x.mean() if len(x) else math.nan), len(x)
            return ((x >= hi - (m.top_points or 1) + 1).mean() if len(x) else math.nan), len(x)
        case MetricType.COUNT:
            return float(len(g)), len(g)
        case MetricType.QUANTILE:
            x = g["first_response_hours"].dropna()
            return (float(np.quantile(x, m.q, method="linear")) if len(x) else math.nan), len(x)
        case MetricType.SURVIVAL:
            return _km(m, g)
        case MetricType.CHURN:
            x = g["churned"].dropna().astype(bool)
            rate = x.mean() if len(x) else math.nan
            return (1 - rate if m.complement else rate), len(x)
        case MetricType.CLV:
            known = g[g["churned"].notna()]
            hazard = known["churned"].astype(bool).sum() / known["tenure_months"].sum()
            life = 60.0 if hazard == 0 else min(1 / hazard, 60.0)
            return g["monthly_revenue"].mean() * 1.0 * life, len(g)
    raise AssertionError(m.type)


def _km(m: object, g: pd.DataFrame) -> tuple[float, int]:
    as_of = g.attrs["as_of"]
    age = (as_of - g["opened_at"]).dt.total_seconds() / 3600
    event = g["resolution_hours"].notna()
    t = g["resolution_hours"].where(event, age)
    if not len(t):
        return math.nan, 0
    kmf = KaplanMeierFitter().fit(t, event)
    if m.within_hours:  # type: ignore[attr-defined]
        return 1 - float(kmf.predict(m.within_hours)), len(t)  # type: ignore[attr-defined]
    s = kmf.survival_function_.iloc[:, 0]
    hit = s[s <= 1 - m.q]  # type: ignore[attr-defined]
    return (float(hit.index[0]) if len(hit) else math.nan), len(t)


def _norm(value: object) -> object:
    """Group keys: SQL NULL and pandas NaN are the same missing key."""
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    return "<null>" if missing else value


def _check(engine: Engine, name: str, frame: pd.DataFrame, by: tuple[str, ...],
           grain: Grain | None) -> None:
    table = get_metric(name).table
    got = engine.run(MetricQuery(name, by=by, grain=grain)).rows
    g = frame.copy()
    keys = list(by)
    if grain:
        g["period"] = _period(g[TIME[table]], grain)
        keys.append("period")
    for k in keys:  # pandas groupby(dropna=False) fails on object columns holding None
        g[k] = g[k].astype(object).where(g[k].notna(), "<null>")
    groups = list(g.groupby(keys)) if keys else [((), g)]
    assert len(got) == len(groups)
    found = {tuple(_norm(r[k]) for k in keys): r for r in got.to_dict(orient="records")}
    # the hidden pool: groups below the floor and groups with answers but no identified value
    small = [r["n"] for r in got.to_dict(orient="records")
             if r["n"] < FLOOR or r["reliability"] == "no_data"] \
        if get_metric(name).type is not MetricType.COUNT else []
    for key, part in groups:
        part.attrs = frame.attrs
        value, n = _expected(name, part)
        row = found[tuple(_norm(k) for k in (key if isinstance(key, tuple) else (key,)))]
        assert row["n"] == n, (name, key)
        hidden = n < FLOOR and get_metric(name).type is not MetricType.COUNT
        if row["reliability"] == "suppressed" and not hidden:
            # secondary suppression: in a one-way table the primary hidden groups together
            # hold fewer than the floor answers (cx.metrics.suppress.protect_complement); in a
            # two-way table some row or column does (protect_margins), so some cell is small
            assert (0 < sum(small) < FLOOR) if len(keys) == 1 else \
                (len(keys) == 2 and sum(small) > 0), (name, key)
            hidden = True
        if row["reliability"] == "no_data" and n > 0:
            # only S(t) past the longest follow-up is unidentified (Kaplan-Meier)
            assert get_metric(name).within_hours is not None, (name, key)
            hidden = True
        if hidden or math.isnan(value):
            assert math.isnan(row["value"]), (name, key)
        else:
            assert row["value"] == pytest.approx(value, rel=1e-9, abs=1e-9), (name, key)


def _load(store: Store, table: str, rows: list[dict]) -> pd.DataFrame:
    with store.transaction() as cur:
        cur.execute(f"DELETE FROM {table}")  # fixed table names
    columns = list(COLUMNS[table])
    frame = pd.DataFrame(rows, columns=columns)
    for c in columns:
        if c.endswith("_at"):
            frame[c] = pd.to_datetime(frame[c])
        elif c not in ("channel", "region", "churned"):
            frame[c] = pd.to_numeric(frame[c]).astype(float)
    frame.insert(0, KEY[table], [f"k{i}" for i in range(len(frame))])
    if rows:
        insert(store, table, frame)
    return frame


@pytest.mark.parametrize("table", ["responses", "tickets", "customers"])
def test_engine_matches_pandas(table: str, store: Store, settings: Settings) -> None:
    engine = Engine(store, replace(settings, tz=TZ))
    metrics = [m.name for m in CATALOG if m.table == table]

    @hsettings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck),
               # reproducible in CI; random runs (60 examples per table) are clean since the
               # resolved_within_24h counterexample was fixed (tests/metrics/test_complement_pool)
               derandomize=True,
               # no shrinking: each example runs the engine ~6 times, shrinking took minutes
               phases=[Phase.explicit, Phase.reuse, Phase.generate])
    @given(rows=st.lists(ROWS[table], min_size=0, max_size=40), by=st.sampled_from([(), ("x",)]),
           grain=st.sampled_from(GRAINS))
    def check(rows: list[dict], by: tuple[str, ...], grain: Grain | None) -> None:
        frame = _load(store, table, rows)
        if table == "tickets" and rows:
            frame.attrs["as_of"] = frame["opened_at"].max()
        by = ("region",) if by and table == "customers" else (("channel",) if by else ())
        for name in metrics:
            if table == "customers" and grain and get_metric(name).type is MetricType.CHURN:
                continue  # period churn needs a date range; covered by the CHURN-1 tests
            if not rows and get_metric(name).type is MetricType.SURVIVAL:
                continue
            _check(engine, name, frame, by, grain)

    check()
