"""Static SVG charts for the exported report: no JavaScript, no network, identical bytes each time.

Why not Plotly here: an exported report must open offline and in e-mail clients, which run no
scripts, and inlining plotly.js (about 4 MB) into every mail is heavy. These small line-and-band
charts use the app's theme colours and its number formats (cx.charts); the app page itself
draws the interactive Plotly versions of the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from cx.charts.format import format_value, tick_labels
from cx.charts.theme import BAD, GRID, MUTED, PRIMARY, band_fill

WIDTH, HEIGHT = 340, 150
LEFT, RIGHT, TOP, BOTTOM = 48, 10, 22, 24


def _range(values: Sequence[float]) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    if hi - lo < 1e-12:
        pad = abs(hi) * 0.1 or 1.0
        return lo - pad, hi + pad
    pad = (hi - lo) * 0.08
    # Times, counts and shares cannot be negative: do not draw an axis that suggests they can.
    return (max(lo - pad, 0.0) if lo >= 0 else lo - pad), hi + pad


def _xy(i: int, count: int, v: float, lo: float, hi: float) -> tuple[float, float]:
    span_x = WIDTH - LEFT - RIGHT
    x = LEFT + (span_x * i / (count - 1) if count > 1 else span_x / 2)
    y = TOP + (HEIGHT - TOP - BOTTOM) * (1 - (v - lo) / (hi - lo))
    return round(x, 1), round(y, 1)


def _runs(points: Sequence[dict[str, Any]], *keys: str) -> list[list[int]]:
    """Contiguous index runs where every key has a value (gaps break lines and bands)."""
    runs: list[list[int]] = [[]]
    for i, p in enumerate(points):
        if all(p.get(k) is not None for k in keys):
            runs[-1].append(i)
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if r]


def _axes(title: str, unit: str, lo: float, hi: float, first: str, last: str) -> list[str]:
    parts = [f'<text x="{LEFT}" y="14" font-size="12" font-weight="bold" fill="#222">'
             f"{escape(title)}</text>"]
    ticks = [lo, (lo + hi) / 2, hi]
    for v, text in zip(ticks, tick_labels(ticks, unit), strict=True):
        _, y = _xy(0, 2, v, lo, hi)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="{GRID}"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y + 3}" font-size="9" text-anchor="end" '
                     f'fill="#555">{escape(text)}</text>')
    base = HEIGHT - 8
    parts.append(f'<text x="{LEFT}" y="{base}" font-size="9" fill="#555">{escape(first)}</text>')
    parts.append(f'<text x="{WIDTH - RIGHT}" y="{base}" font-size="9" text-anchor="end" '
                 f'fill="#555">{escape(last)}</text>')
    return parts


def _poly(points: Sequence[dict[str, Any]], run: list[int], key: str, lo: float,
          hi: float) -> str:
    return " ".join(f"{x},{y}" for x, y in (_xy(i, len(points), points[i][key], lo, hi)
                                           for i in run))


def line_chart(points: Sequence[dict[str, Any]], unit: str, title: str, *, value: str = "value",
               band: tuple[str, str] | None = ("ci_low", "ci_high"),
               limits: tuple[str, str] | None = None, flag: str | None = None) -> str:
    """One series by week: optional CI band, optional control limits, flagged points in red."""
    keys = [value] + list(band or ()) + list(limits or ())
    found = [p[k] for p in points for k in keys if p.get(k) is not None]
    label = f"{title}: {len(points)} weeks"
    if not found:
        return (f'<svg class="cx-chart" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
                f'height="{HEIGHT}" role="img" aria-label="{escape(label)}"><text x="10" y="20" '
                f'font-size="12">{escape(title)}: no data</text></svg>')
    lo, hi = _range(found)
    parts = _axes(title, unit, lo, hi, str(points[0]["week"]), str(points[-1]["week"]))
    if band:
        for run in _runs(points, *band):
            upper = _poly(points, run, band[1], lo, hi)
            lower = _poly(points, run[::-1], band[0], lo, hi)
            parts.append(f'<polygon points="{upper} {lower}" fill="{band_fill(PRIMARY)}" '
                         'stroke="none"/>')
    for key in limits or ():
        for run in _runs(points, key):
            parts.append(f'<polyline points="{_poly(points, run, key, lo, hi)}" fill="none" '
                         f'stroke="{MUTED}" stroke-dasharray="4 3"/>')
    for run in _runs(points, value):
        parts.append(f'<polyline points="{_poly(points, run, value, lo, hi)}" fill="none" '
                     f'stroke="{PRIMARY}" stroke-width="2"/>')
    for i, p in enumerate(points):
        if p.get(value) is None:
            continue
        x, y = _xy(i, len(points), p[value], lo, hi)
        color = BAD if flag and p.get(flag) else PRIMARY
        tip = f"{p['week']}: {format_value(p[value], unit)}"
        parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{color}">'
                     f"<title>{escape(tip)}</title></circle>")
    return (f'<svg class="cx-chart" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
            f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-label="{escape(label)}">' + "".join(parts) + "</svg>")
