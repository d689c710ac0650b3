"""The deterministic demo data set with planted effects (PRODUCT.md §7, data/README.md)."""

from cx.demo.build import SOURCE, DemoResult, build_demo, ensure_demo, remove_demo
from cx.demo.calendar import Window, last_complete_sunday, parse_end

__all__ = [
    "SOURCE",
    "DemoResult",
    "Window",
    "build_demo",
    "ensure_demo",
    "last_complete_sunday",
    "parse_end",
    "remove_demo",
]
