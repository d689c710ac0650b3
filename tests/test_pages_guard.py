"""Every page starts with its guard: `require_page("<its own name>")` is the first statement
after the docstring and imports (ARCHITECTURE.md: pages/ can run without app.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cx.auth import access

ROOT = Path(__file__).resolve().parent.parent
PAGE_FILES = sorted((ROOT / "pages").glob("*.py"))


def _first_statement(tree: ast.Module) -> ast.stmt | None:
    for node in tree.body:
        is_docstring = (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                        and isinstance(node.value.value, str))
        if is_docstring or isinstance(node, ast.Import | ast.ImportFrom):
            continue
        return node
    return None


def _guard_name(node: ast.stmt | None) -> str | None:
    """The page name of `require_page("x")` or `user = require_page("x")`, else None."""
    value = node.value if isinstance(node, ast.Expr | ast.Assign | ast.AnnAssign) else None
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and value.func.id == "require_page" and len(value.args) == 1
            and isinstance(value.args[0], ast.Constant)):
        return None
    return str(value.args[0].value)


def test_there_are_pages() -> None:
    assert {"users"} <= {p.stem for p in PAGE_FILES}


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_page_starts_with_its_own_guard(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert _guard_name(_first_statement(tree)) == path.stem, (
        f"{path.name}: the first statement after imports must be require_page({path.stem!r})")
    imports = [n for n in tree.body if isinstance(n, ast.ImportFrom)]
    assert any(n.module == "cx.ui.guard" and any(a.name == "require_page" for a in n.names)
               for n in imports), f"{path.name}: require_page must come from cx.ui.guard"
    assert path.stem in access.PAGES_BY_NAME, f"{path.name} is not in the cx.auth.access registry"


def test_the_checker_rejects_a_late_guard() -> None:
    bad = ast.parse('"""doc"""\nimport streamlit as st\nst.title("x")\nrequire_page("x")\n')
    good = ast.parse('"""doc"""\nfrom a import b\nme = require_page("x")\nst.title("x")\n')
    assert _guard_name(_first_statement(bad)) is None
    assert _guard_name(_first_statement(good)) == "x"
