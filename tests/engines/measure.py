"""Times per page and per query on DuckDB and on Spark, same demo data, one run each (README
"Running on Spark"). Not a test: `python -m tests.engines.measure sc://127.0.0.1:15002 [scale
[page ...]]`; with page names, only those pages (and no queries) are measured.

Pages render through AppTest as admin (app.py, then the page), with Streamlit's caches cleared
before every render so each one really asks its engine.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

import streamlit as st

from cx.auth import access, users
from cx.config import load_settings
from cx.demo import build_demo
from cx.domain import DateRange, Filters, Grain, Role
from cx.engines import writable
from cx.engines.spark_store import SparkStore
from cx.metrics import Engine, MetricQuery
from cx.storage import Store
from cx.ui.navigation import REQUESTED_PAGE_KEY
from tests.app.session import logged_in

QUERIES = {
    "nps, all": MetricQuery("nps"),
    "nps by region x week": MetricQuery("nps", by=("region",), grain=Grain.WEEK),
    "ticket CSAT by channel x month": MetricQuery("ticket_csat", by=("channel",),
                                                  grain=Grain.MONTH),
    "TTR median by team": MetricQuery("ttr_median", by=("team",)),
    "churn rate by plan, 12 weeks": MetricQuery(
        "churn_rate", by=("plan",),
        filters=Filters(dates=DateRange(dt.date(2026, 8, 31), dt.date(2026, 11, 22)))),
}


def _page_seconds(page: str) -> float:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = logged_in("measure-admin", timeout=600)
    if access.landing_page(Role.ADMIN).name != page:
        at.session_state[REQUESTED_PAGE_KEY] = page
    started = time.perf_counter()
    at.run()
    if at.exception or at.error:
        raise RuntimeError(f"{page}: {[e.value for e in [*at.exception, *at.error]]}")
    return time.perf_counter() - started


def _measure(engine_env: dict[str, str], store: object, pages: list[str]) -> dict[str, float]:
    os.environ.update(engine_env)
    engine = Engine(store, load_settings())
    out = {}
    for name, query in QUERIES.items() if not pages else ():
        started = time.perf_counter()
        engine.run(query)
        out[name] = time.perf_counter() - started
    for page in pages or (p.name for p in access.pages_for(Role.ADMIN)):
        out[f"page: {page}"] = _page_seconds(page)
    return out


def main(url: str, scale: float = 0.1, pages: list[str] | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix="cx-measure-") as tmp:
        os.environ.update({"CX_DB": f"{tmp}/cx.duckdb", "CX_USERS": f"{tmp}/users.yaml",
                           "CX_COOKIE_KEY": "measure-only-key-" + "x" * 24, "CX_TZ": "UTC"})
        users.add_user(Path(tmp) / "users.yaml", "measure-admin", Role.ADMIN, "pw-measure-1")
        duck = Store(f"{tmp}/cx.duckdb")
        rows = build_demo(duck, seed=7, scale=scale, end=dt.date(2026, 11, 22)).rows
        spark = SparkStore(url, f"cx_measure_{int(time.time())}")
        with writable(spark) as target:
            build_demo(target, seed=7, scale=scale, end=dt.date(2026, 11, 22))
        a = _measure({"CX_ENGINE": "duckdb"}, duck, pages or [])
        b = _measure({"CX_ENGINE": url, "CX_SPARK_DATABASE": spark.database}, spark, pages or [])
    print(f"demo scale {scale}: {rows}; load average {os.getloadavg()[0]:.1f}")
    print("| page or query | DuckDB s | Spark s |\n|---|---:|---:|")
    for name in a:
        print(f"| {name} | {a[name]:.2f} | {b[name]:.2f} |")


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 0.1, sys.argv[3:])
