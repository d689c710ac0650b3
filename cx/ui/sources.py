"""Survey sources: the Overview says when its scores pool several sources (issue 11 item 4).

Every uploaded batch is tagged with its source (the `source` dimension, a sidebar filter), so two
surveys loaded into `responses` can be separated; this caption makes the pooling visible.
"""

from __future__ import annotations

import streamlit as st

from cx.config import Settings
from cx.domain import Filters
from cx.metrics import Engine
from cx.storage.fields import SOURCE_FIELD
from cx.ui import cached, context
from cx.ui.analysis_views import plain


@cached.cached
def response_sources(settings: Settings, filters: Filters) -> list[str]:
    """The sources of the survey responses under `filters` (none before any upload)."""
    engine = Engine(context.store(), settings)
    if SOURCE_FIELD not in engine.dimensions("responses"):
        return []
    return engine.dimension_values("responses", SOURCE_FIELD, filters)


def pooled_caption(filters: Filters) -> None:
    """One caption line when the survey scores shown mix several sources."""
    sources = response_sources(filters)
    if len(sources) < 2:
        return
    names = ", ".join(plain(s) for s in sources[:5]) + (" …" if len(sources) > 5 else "")
    st.caption(f"Survey scores here pool {len(sources)} sources ({names}); choose one under "
               "Source in the sidebar to see it alone.")
