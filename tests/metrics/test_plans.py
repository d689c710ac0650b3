"""The compiler's layers: tree primitives know no metric type, each type's plan holds its logic,
and the engine picks a plan once (ARCHITECTURE.md habit 1: one `match` over the metric types)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cx.metrics import CATALOG, MetricQuery, MetricType
from cx.metrics.dialects import DIALECTS
from cx.metrics.plans import PLANS, plan_for

METRICS = Path(__file__).resolve().parents[2] / "cx" / "metrics"


def _imported_and_named(path: Path) -> tuple[set[str], set[str]]:
    """Modules a file imports from, and every name it mentions."""
    tree = ast.parse(path.read_text())
    modules = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    return modules, names


@pytest.mark.parametrize("module", ["compiler.py", "finish.py", "engine.py"])
def test_primitives_and_engine_name_no_metric_type_and_import_no_plan_module(module: str) -> None:
    modules, names = _imported_and_named(METRICS / module)
    assert "MetricType" not in names  # type-specific logic lives in cx/metrics/plans/
    plan_modules = {m for m in modules if m.startswith("cx.metrics.plans.")}
    assert not plan_modules  # the engine goes through the registry only
    if module != "engine.py":
        assert "cx.metrics.plans" not in modules


def test_every_plan_module_calls_only_down() -> None:
    # a plan module imports primitives, finishing helpers, the base plan and stats; no sibling plan
    for path in sorted((METRICS / "plans").glob("*.py")):
        if path.name in ("__init__.py", "base.py", "scaled.py"):
            continue
        modules, _ = _imported_and_named(path)
        siblings = {m for m in modules if m.startswith("cx.metrics.plans.")}
        assert siblings <= {"cx.metrics.plans.base", "cx.metrics.plans.scaled"}, path.name
        assert "cx.metrics.engine" not in modules


def test_every_catalogued_metric_has_the_plan_of_its_type() -> None:
    expected = {MetricType.NPS: "NpsPlan", MetricType.SHARE: "SharePlan",
                MetricType.MEAN: "MeanPlan", MetricType.COUNT: "CountPlan",
                MetricType.QUANTILE: "QuantilePlan", MetricType.SURVIVAL: "SurvivalPlan",
                MetricType.CHURN: "ChurnPlan", MetricType.CLV: "ClvPlan"}
    assert set(PLANS) == set(MetricType)  # every type has its plan, not only the catalogued ones
    for metric in CATALOG:
        plan = plan_for(metric)
        assert type(plan).__name__ == expected[metric.type] and plan.metric is metric
        sql = plan.statement(MetricQuery(metric.name), DIALECTS["duckdb"], "UTC").sql()
        assert sql.startswith("WITH base AS (SELECT") and f'FROM {metric.table}' in sql
