"""The group -> role table as the app reads it per run (cx.ui.sso._mapping): read again only
when the database changed, and then at once, whichever process changed it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cx.auth import group_roles
from cx.domain import Role
from cx.storage import Store
from cx.ui import sso as sso_ui

ROOT = Path(__file__).resolve().parents[2]


def test_the_mapping_is_read_once_until_any_process_changes_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    db = Path(os.environ["CX_DB"])
    group_roles.map_group(Store(db), "cx-analysts", Role.ANALYST, "test")
    loads: list[int] = []
    real = group_roles.load_mapping
    monkeypatch.setattr(group_roles, "load_mapping", lambda store: loads.append(1) or real(store))
    for _ in range(5):  # several role checks in one run
        assert sso_ui._mapping(db) == {"cx-analysts": Role.ANALYST}
    assert len(loads) == 1

    out = subprocess.run([sys.executable, "-m", "cx", "--db", str(db), "groups", "map",
                          "it-admins", "admin"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert sso_ui._mapping(db) == {"cx-analysts": Role.ANALYST, "it-admins": Role.ADMIN}
    group_roles.unmap_group(Store(db), "cx-analysts", "test")  # and a change in this process
    assert sso_ui._mapping(db) == {"it-admins": Role.ADMIN}
    assert len(loads) == 3
