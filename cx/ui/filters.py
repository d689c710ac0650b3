"""The shared sidebar filters: drawn once per run by app.py, read by every page.

Why in the entry script: widgets that app.py draws on every run keep their state when the user
changes page (a widget drawn by a page is forgotten when that page is left). The view is also
written to the URL (cx.views.filter_state) on every run, so a copied link reopens the same view, and
read from it once per session, as the widgets' starting values.

Dates: presets count back from the *latest day with data* when that is before today, so demo data
or an old export never opens on an empty view; the sidebar says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from cx.views import filter_state
from cx.domain import DateRange, Filters
from cx.metrics.text_fields import THEME
from cx.views.records import DRILL_PREFIX  # URL keys of the explorer's drill-down, kept as they are
from cx.ui import cached
from cx.ui.verbatims import theme_dimension

# Standard dimensions offered in the sidebar (PRODUCT.md §5), then any extra upload dimension.
STANDARD_FIELDS = ("channel", "region", "product", "segment", "team")
_VIEW = "cx_view"
_SEED = "cx_filters_seed"
_PRESET_KEY = "cx_f_preset"
_RANGE_KEY = "cx_f_range"


@dataclass(frozen=True)
class View:
    """What the sidebar selected: the preset, the resolved filters, the anchor day of presets."""

    preset: str
    filters: Filters
    anchor: dt.date
    anchored_to_data: bool  # True when presets count back from the latest data, not today

    def period_text(self) -> str:
        """'22 Aug – 22 Nov 2026' (or 'all dates'): for chart titles and captions."""
        return period_text(self.filters.dates)


def period_text(dates: DateRange) -> str:
    if dates.start is None and dates.end is None:
        return "all dates"
    if dates.start is None:
        return f"up to {dates.end:%d %b %Y}"
    if dates.end is None:
        return f"from {dates.start:%d %b %Y}"
    return f"{dates.start:%d %b %Y} – {dates.end:%d %b %Y}"


def _key(field: str) -> str:
    return f"cx_f_{field}"


def _label(field: str) -> str:
    """A theme is a multi-valued dimension: a record passes when its comment mentions any of
    the chosen themes (cx.metrics.text_fields), which the label says."""
    if field == THEME:
        return "Comments mentioning any of"
    return field.replace("_", " ").capitalize()


def _anchor() -> tuple[dt.date, bool]:
    today = dt.date.today()
    last = cached.latest_date()
    if last is not None and last < today:
        return last, True
    return today, False


@dataclass(frozen=True)
class _Seed:
    """The view a session starts from (its link's, else the defaults), read once per session."""

    preset: str
    dates: DateRange
    values: dict[str, list[str]]

    def start_values(self, field: str, options: list[str]) -> list[str]:
        """The link's values still on offer (a rollback may have removed one since)."""
        return [v for v in self.values.get(field, ()) if v in options]


def _seed(fields: list[str], anchor: dt.date) -> _Seed:
    """Once per session: the URL's view, kept for the widgets' starting values.

    Why starting values (index, default, value) rather than writing the widgets' session state:
    a value written to session state reaches the browser only with the run that wrote it, and a
    rerun that interrupts that run (the login cookie's component answers at about that moment)
    drops it. The browser then drew the defaults while the charts used the link's view, and the
    next change sent the defaults back. A starting value travels with every run's widget.
    """
    seed = st.session_state.get(_SEED)
    if isinstance(seed, _Seed):
        return seed
    params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    preset, filters = filter_state.from_params(params, fields, anchor)
    seed = _Seed(preset, filters.dates, {k: list(v) for k, v in filters.as_dict().items()})
    st.session_state[_SEED] = seed
    return seed


def _date_widgets(anchor: dt.date, seed: _Seed) -> tuple[str, DateRange]:
    preset = st.selectbox("Dates", filter_state.PRESETS, key=_PRESET_KEY,
                          format_func=filter_state.PRESET_LABELS.__getitem__,
                          index=filter_state.PRESETS.index(seed.preset))
    custom = None
    if preset == "custom":
        start = seed.dates.start if seed.preset == "custom" else None
        end = seed.dates.end if seed.preset == "custom" else None
        picked = st.date_input("From – to", key=_RANGE_KEY,
                               value=(start or anchor - dt.timedelta(days=27), end or anchor))
        if isinstance(picked, (tuple, list)) and len(picked) == 2:
            custom = DateRange(picked[0], picked[1])
        elif isinstance(picked, (tuple, list)) and len(picked) == 1:
            custom = DateRange(picked[0], picked[0])  # the second click has not happened yet
    return preset, filter_state.resolve_preset(preset, anchor, custom)


def _write_url(preset: str, filters: Filters) -> None:
    """Replace the sidebar's keys in the URL, keeping the explorer's drill-down keys."""
    wanted = filter_state.to_params(preset, filters)
    current = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    kept = {k: v for k, v in current.items() if k.startswith(DRILL_PREFIX)}
    target = {**{k: v if isinstance(v, list) else [v] for k, v in wanted.items()}, **kept}
    if target != current:
        st.query_params.from_dict(target)


def sidebar_filters() -> View:
    """Draw the filters in the sidebar (call once per run, from app.py) and remember the view."""
    anchor, anchored = _anchor()
    options = cached.filter_options()
    fields = list(options)
    seed = _seed(fields, anchor)
    with st.sidebar:
        st.subheader("Filters")
        preset, dates = _date_widgets(anchor, seed)
        if anchored:
            st.caption(f"Presets count back from the latest data ({anchor:%d %b %Y}), "
                       "not from today.")
        chosen: dict[str, list[str]] = {}
        for field in fields:
            chosen[field] = st.multiselect(_label(field), options[field],
                                           default=seed.start_values(field, options[field]),
                                           key=_key(field), placeholder="All")
    view = View(preset, Filters.of(dates, **chosen), anchor, anchored)
    st.session_state[_VIEW] = view
    _write_url(preset, view.filters)
    return view


def current_view() -> View:
    """The view app.py selected in this run; without app.py (a page run alone), the default."""
    view = st.session_state.get(_VIEW)
    return view if isinstance(view, View) else default_view()


def default_view() -> View:
    """A new session's view when its link names none: the default preset, no field filter."""
    anchor, anchored = _anchor()
    preset = filter_state.DEFAULT_PRESET
    return View(preset, Filters.of(filter_state.resolve_preset(preset, anchor)), anchor, anchored)


def _applicable(table: str) -> set[str]:
    """The fields a table can filter on: its dimensions, and `theme` when some of its comments
    mention a theme (survey comments; ticket texts once an upload brought some)."""
    return set(cached.dimensions(table)) | set(theme_dimension(table))


def for_table(filters: Filters, table: str) -> Filters:
    """The part of the filters a table can apply: a team filter means nothing to customers."""
    valid = _applicable(table)
    kept = {name: values for name, values in filters.values if name in valid}
    return Filters.of(filters.dates, **kept)


def ignored_fields(filters: Filters, table: str) -> list[str]:
    """Selected fields the table does not have (a page says they do not apply)."""
    valid = _applicable(table)
    return [name for name, _ in filters.values if name not in valid]
