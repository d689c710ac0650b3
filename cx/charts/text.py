"""Uploaded text shown as text: in Plotly figures (which render a subset of HTML) and in Markdown.

Why one module: a category value such as `<a href="http://evil">x</a>` reaches labels, hover
text, legends, titles and annotations of every chart, and `:red[x]` or `[l](http://e)` reaches
every Markdown sentence. Escaping it chart by chart or sentence by sentence misses one sooner or
later, so figures are escaped once as a whole (`inert_figure`, called by the house layout that
every builder applies) and sentences through one Markdown escape (`md_plain`).

The figure builders' own line breaks are written as `BR`, a private-use character that no
HTML escape touches, and become `<br>` only after the data around them has been escaped.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import plotly.graph_objects as go

BR = "\ue000"  # a line break in figure text; `inert_figure` turns it into Plotly's <br>
# Properties that are ours (templates with %{…} placeholders and Plotly's own tags), that no
# one sees (customdata feeds drill-down with the raw value), or that hold no text at all.
_KEEP = frozenset({"customdata", "hovertemplate", "texttemplate", "template", "meta", "uid",
                   "ids", "tickformat", "hoverformat", "xhoverformat", "yhoverformat",
                   "valueformat", "selectedpoints"})
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")  # ":" starts Streamlit directives


def inert(text: str) -> str:
    """`<`, `>` and `&` as HTML entities (Plotly shows them as the characters); `BR` as <br>."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace(BR, "<br>")


def _walk(node: Any, key: str = "") -> Any:
    """A copy with every string escaped; packed numeric arrays ({dtype, bdata}) as they are."""
    if key in _KEEP or (isinstance(node, dict) and "bdata" in node):
        return node
    if isinstance(node, str):
        return inert(node)
    if isinstance(node, dict):
        return {k: _walk(v, k) for k, v in node.items()}
    if isinstance(node, (list, tuple)) or (isinstance(node, np.ndarray)
                                           and node.dtype.kind in "OUS"):
        return [_walk(v, key) for v in list(node)]
    return node


def _changes(node: Any, key: str = "") -> Any:
    """Only the parts of a figure dict whose text changes when escaped (None: nothing)."""
    if isinstance(node, dict) and key not in _KEEP and "bdata" not in node:
        found = {k: c for k, v in node.items() if (c := _changes(v, k)) is not None}
        return found or None
    escaped = _walk(node, key)
    same = escaped is node or (isinstance(node, str) and escaped == node) or (
        isinstance(escaped, list) and all(a is b or (isinstance(a, str) and a == b)
                                          for a, b in zip(escaped, list(node), strict=True)))
    return None if same else escaped


def inert_figure(fig: go.Figure) -> go.Figure:
    """Escape every visible string of the figure in place (titles, axis and colour-bar titles,
    category values, tick texts, legend names, annotations, hover texts) and return it."""
    layout = _changes(fig.layout.to_plotly_json(), "layout")
    if layout:
        fig.update_layout(layout)
    for trace in fig.data:
        change = _changes(trace.to_plotly_json())
        if change:
            trace.update(change)
    return fig


def md_plain(text: str) -> str:
    """Markdown that shows `text` exactly as typed: no link, emphasis, HTML, colour or icon."""
    return _MD_SPECIAL.sub(r"\\\1", text)
