"""Pages that ignore the sidebar filters say so (issue 11 item 5); the filtered pages do not."""

from __future__ import annotations

import pytest

from cx.domain import Role
from tests.app.dashboard_fixtures import DemoFiles, build_demo_files, run_page, use_files

NOTE = "The sidebar filters do not apply here"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    return build_demo_files(tmp_path_factory.mktemp("notes"))


@pytest.mark.parametrize("page", ["snapshot", "upload", "users", "overview"])
def test_a_page_says_whether_the_sidebar_filters_apply(demo: DemoFiles, page: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    use_files(monkeypatch, demo)
    at = run_page(page, Role.ADMIN)
    assert not at.exception, [e.value for e in at.exception]
    notes = [c.value for c in at.caption if NOTE in c.value]
    assert len(notes) == (0 if page == "overview" else 1), notes
