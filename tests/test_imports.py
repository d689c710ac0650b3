"""The core never imports Streamlit: only cx.ui may (ARCHITECTURE.md, dependency direction)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import cx

ROOT = Path(__file__).resolve().parent.parent


def _core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(cx.__path__, prefix="cx."):
        if info.name == "cx.ui" or info.name.startswith("cx.ui.") or info.name == "cx.__main__":
            continue
        names.append(info.name)
    return names


def test_there_are_core_modules_to_check() -> None:
    assert {"cx.config", "cx.domain", "cx.storage.store"} <= set(_core_modules())


def test_no_core_module_pulls_in_streamlit() -> None:
    code = (
        "import importlib, sys\n"
        f"mods = {_core_modules()!r}\n"
        "bad = []\n"
        "for m in mods:\n"
        "    importlib.import_module(m)\n"
        "    if 'streamlit' in sys.modules:\n"
        "        bad.append(m); break\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "", f"streamlit imported by {out.stdout.strip()}"
