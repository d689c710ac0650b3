"""A view survives the trip through the URL; presets mean the dates they say."""

from __future__ import annotations

import datetime as dt

import pytest

from cx.domain import DateRange, Filters
from cx.views.filter_state import from_params, resolve_preset, to_params

TODAY = dt.date(2026, 11, 22)


def test_presets_resolve_to_inclusive_ranges() -> None:
    assert resolve_preset("last_7", TODAY) == DateRange(dt.date(2026, 11, 16), TODAY)
    assert resolve_preset("last_28", TODAY) == DateRange(dt.date(2026, 10, 26), TODAY)
    assert resolve_preset("last_90", TODAY).start == dt.date(2026, 8, 25)
    assert resolve_preset("this_quarter", TODAY) == DateRange(dt.date(2026, 10, 1), TODAY)
    assert resolve_preset("this_quarter", dt.date(2026, 3, 31)).start == dt.date(2026, 1, 1)
    assert resolve_preset("all", TODAY) == DateRange()
    with pytest.raises(ValueError, match="unknown date preset"):
        resolve_preset("yesterday-ish", TODAY)


def test_round_trip_keeps_every_selection() -> None:
    filters = Filters.of(DateRange(dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
                         channel=["phone", "chat"], type_of_travel="Business travel")
    params = to_params("custom", filters)
    assert params == {"preset": "custom", "from": "2026-01-01", "to": "2026-03-31",
                      "channel": ["chat", "phone"], "type_of_travel": ["Business travel"]}
    preset, back = from_params(params, ["channel", "region", "type_of_travel"], TODAY)
    assert preset == "custom"
    assert back == filters


def test_unknown_fields_and_bad_values_fall_back_safely() -> None:
    params = {"preset": "nonsense", "channel": "chat", "'; DROP TABLE x": "1", "from": "2026-99-01"}
    preset, filters = from_params(params, ["channel"], TODAY)
    assert preset == "last_90"
    assert filters.as_dict() == {"channel": ("chat",)}
    assert filters.dates == DateRange(dt.date(2026, 8, 25), TODAY)
    # swapped custom dates are put in order rather than refused
    _, swapped = from_params({"preset": "custom", "from": "2026-02-01", "to": "2026-01-01"}, [], TODAY)
    assert swapped.dates == DateRange(dt.date(2026, 1, 1), dt.date(2026, 2, 1))
