"""The catalog is sound, and each validation rule catches one bad declaration (habit 1)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cx.metrics.catalog import CATALOG, MetricType, Unit
from cx.metrics.validate import CatalogError, check_catalog, get_metric, validate_catalog

GOOD = get_metric("csat")


def test_catalog_has_no_issues() -> None:
    assert validate_catalog() == []


def test_every_product_metric_is_declared_once() -> None:
    # PRODUCT.md §2 table
    expected = {
        "nps", "csat", "csat_mean", "ticket_csat", "ticket_csat_mean", "ces", "ces_easy",
        "responses", "tickets", "customers", "frt_median", "frt_p90", "ttr_median", "ttr_p90",
        "resolved_within_24h", "churn_rate", "retention_rate", "clv",
    }
    assert sorted(m.name for m in CATALOG) == sorted(expected)


def test_churn_help_states_standard_definition() -> None:
    # METHODS.md §4.1: C/S, not churned / acquired
    text = get_metric("churn_rate").help
    assert "churned / customers at the start" in text and "NOT churned / customers acquired" in text


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        (replace(GOOD, name="CSAT-2"), "snake_case"),
        (replace(GOOD, help="short"), "formula in words"),
        (replace(GOOD, label=" "), "label is empty"),
        (replace(GOOD, table="orders"), "is not one of"),
        (replace(GOOD, unit=Unit.HOURS), "does not fit type share"),
        (replace(GOOD, column="comment"), "is a text"),
        (replace(GOOD, column="nope"), "is not a field of responses"),
        (replace(GOOD, dimensions=("team",)), "are not dimensions of responses"),
        (replace(GOOD, top_points=None), "takes ['top_points']"),
        (replace(GOOD, top_points=5), "top_points must be 1..3"),
        (replace(get_metric("frt_p90"), q=1.5), "q must be strictly between 0 and 1"),
        (replace(get_metric("responses"), column="nps"), "reads no column"),
        (replace(get_metric("churn_rate"), help="Churn = churned / acquired customers in period."),
         "churn help must say"),
        (replace(get_metric("resolved_within_24h"), within_hours=-1.0), "within_hours must be > 0"),
    ],
)
def test_each_rule_catches_a_bad_declaration(bad, expected: str) -> None:
    issues = validate_catalog([bad])
    assert any(expected in issue for issue in issues), issues


def test_duplicates_and_all_issues_reported_at_once() -> None:
    bad = [GOOD, replace(GOOD, help="x", unit=Unit.COUNT)]
    issues = validate_catalog(bad)
    assert len(issues) == 3  # help, unit, duplicate name
    with pytest.raises(CatalogError) as info:
        check_catalog(bad)
    assert str(info.value).count("\n") == 3


def test_unknown_metric_lists_known_ones() -> None:
    with pytest.raises(ValueError, match="known metrics: ces, ces_easy"):
        get_metric("npx")


def test_every_type_is_used() -> None:
    assert {m.type for m in CATALOG} == set(MetricType)
