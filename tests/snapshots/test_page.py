"""AppTest: the snapshot page for every role, building on first open, restatement shown."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cx.config import load_settings
from cx.domain import Role
from cx.snapshots import get_or_build, snapshot_weeks
from cx.storage import Store
from tests.app.dashboard_fixtures import DemoFiles, add_role_users, run_page, use_files
from tests.app.session import logged_in, role_user
from tests.snapshots.conftest import BAD_WEEK, NOW
from tests.snapshots.test_store import _upload

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def files(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoFiles:
    users_file = tmp_path / "credentials.yaml"
    add_role_users(users_file)
    demo = DemoFiles(db, users_file)
    use_files(monkeypatch, demo)
    return demo


def _texts(at: object) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


def test_guard_is_the_first_statement() -> None:
    tree = ast.parse((ROOT / "pages" / "snapshot.py").read_text(encoding="utf-8"))
    body = [n for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom))
            and not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    assert ast.unparse(body[0]) == "require_page('snapshot')"


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_role_sees_the_latest_week_built_on_first_open(files: DemoFiles,
                                                             role: Role) -> None:
    at = run_page("snapshot", role)
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["Weekly snapshot"]
    # the demo data ends on Sunday 2026-11-22: its last complete week is 2026-W47
    assert str(at.selectbox(key="snapshot_week").value) == "2026-W47"
    assert len(at.metric) == 8
    stored = Store(files.db).query("SELECT week, built_by FROM snapshots")
    assert stored == [("2026-W47", "app")]
    assert "Frozen" in _texts(at)


def test_a_restated_week_says_so_beside_the_reported_number(files: DemoFiles,
                                                            tmp_path: Path) -> None:
    settings = load_settings()
    get_or_build(Store(files.db), settings, BAD_WEEK, "cli", now=NOW)
    _upload(files.db, tmp_path)
    at = logged_in(role_user(Role.EXECUTIVE), "pages/snapshot.py", timeout=120)
    at.session_state["snapshot_week"] = BAD_WEEK
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    csat = next(m for m in at.metric if m.label == "CSAT (top-2-box)")
    assert csat.value == "63.0%"  # as reported, frozen
    text = _texts(at)
    assert "restated: 59.3% (n = 172) instead of the reported 63.0% (n = 162), -3.7 pp" in text
    assert "3 numbers restated by later uploads" in text
    assert set(snapshot_weeks(Store(files.db))) >= {BAD_WEEK}


def test_an_empty_database_says_what_to_do(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    users_file = tmp_path / "credentials.yaml"
    add_role_users(users_file)
    use_files(monkeypatch, DemoFiles(tmp_path / "empty.duckdb", users_file))
    at = run_page("snapshot", Role.EXECUTIVE)
    assert not at.exception, [e.value for e in at.exception]
    info = " ".join(i.value for i in at.info)
    assert "has no survey answers and no tickets; nothing to snapshot" in info
    assert "Upload data, or pick another week" in info
    assert len(at.metric) == 0


def test_several_weeks_are_compared_side_by_side(files: DemoFiles) -> None:
    from streamlit.testing.v1 import AppTest

    settings = load_settings()
    store = Store(files.db)
    get_or_build(store, settings, BAD_WEEK, "cli", now=NOW)
    before, _ = get_or_build(store, settings, BAD_WEEK.shift(-1), "cli", now=NOW)
    at = AppTest.from_file(str(ROOT / "pages" / "snapshot.py"), default_timeout=120)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = f"test-{Role.EXECUTIVE.value}"
    at.session_state["snapshot_week"] = BAD_WEEK
    at.session_state["snapshot_compare"] = [BAD_WEEK.shift(-1)]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(d.value for d in at.dataframe if "metric" in d.value.columns)
    assert list(table.columns) == ["metric", str(BAD_WEEK), str(BAD_WEEK.shift(-1))]
    csat = table.set_index("metric").loc["CSAT (top-2-box)"]
    assert csat[str(BAD_WEEK)] == "63.0% (n = 162)"  # the frozen numbers of each week
    old = before.metric("csat")
    assert csat[str(BAD_WEEK.shift(-1))] == f"{old['value'] * 100:.1f}% (n = {old['n']:,})"
