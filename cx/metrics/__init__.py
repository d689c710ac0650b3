"""Metric catalog, compiler (query -> sqlglot tree -> SQL) and engine (run, explain)."""

from cx.metrics.catalog import CATALOG, MetricDef, MetricType, Unit
from cx.metrics.engine import Engine
from cx.metrics.query import MetricQuery, MetricResult
from cx.metrics.validate import check_catalog, get_metric, validate_catalog

__all__ = [
    "CATALOG",
    "Engine",
    "MetricDef",
    "MetricQuery",
    "MetricResult",
    "MetricType",
    "Unit",
    "check_catalog",
    "get_metric",
    "validate_catalog",
]
