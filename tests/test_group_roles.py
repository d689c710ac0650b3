"""The SSO group -> role table (cx.auth.group_roles, migration 8) and `python -m cx groups`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cx.auth import audit, group_roles
from cx.cli import main
from cx.domain import Role
from cx.storage import Store


@pytest.fixture
def store() -> Store:
    return Store(os.environ["CX_DB"])


def test_map_remap_and_unmap_with_who_did_it(store: Store) -> None:
    assert group_roles.load_mapping(store) == {}
    assert group_roles.map_group(store, " CX Analysts ", "analyst", "ana") is None
    assert group_roles.map_group(store, "it-admins", Role.ADMIN, "ana") is None
    assert group_roles.map_group(store, "CX Analysts", "manager", "bo") == "analyst"
    assert group_roles.load_mapping(store) == {"CX Analysts": Role.MANAGER,
                                               "it-admins": Role.ADMIN}
    rows = group_roles.list_mappings(store)
    assert [(m.group, m.role, m.changed_by) for m in rows] == [
        ("CX Analysts", Role.MANAGER, "bo"), ("it-admins", Role.ADMIN, "ana")]
    assert group_roles.unmap_group(store, "CX Analysts", "bo") == "manager"
    assert group_roles.load_mapping(store) == {"it-admins": Role.ADMIN}
    # every change is in the audit log, newest first, with who, what and the value before
    assert [(e.actor, e.action, e.target, e.detail) for e in audit.entries(store)] == [
        ("bo", "group.unmap", "group:CX Analysts", {"was": "manager"}),
        ("bo", "group.map", "group:CX Analysts", {"role": "manager", "was": "analyst"}),
        ("ana", "group.map", "group:it-admins", {"role": "admin", "was": None}),
        ("ana", "group.map", "group:CX Analysts", {"role": "analyst", "was": None}),
    ]


@pytest.mark.parametrize(("group", "role", "message"), [
    ("", "admin", "invalid group name"), ("x" * 257, "admin", "invalid group name"),
    ("bad\x00name", "admin", "control characters"), ("a\nb", "admin", "control characters"),
    ("ok", "wizard", "unknown role 'wizard'"),
])
def test_bad_changes_are_refused_and_write_nothing(store: Store, group: str, role: str,
                                                   message: str) -> None:
    with pytest.raises(group_roles.GroupError, match=message):
        group_roles.map_group(store, group, role, "ana")
    with pytest.raises(group_roles.GroupError, match="is not mapped"):
        group_roles.unmap_group(store, "nobody", "ana")
    assert store.query("SELECT count(*) FROM sso_group_roles") == [(0,)]
    assert audit.entries(store) == []  # a refused change is not logged as made


def test_a_hand_edited_unknown_role_maps_to_nothing(store: Store) -> None:
    group_roles.map_group(store, "cx-execs", "executive", "ana")
    with store.cursor() as cur:
        cur.execute("INSERT INTO sso_group_roles VALUES ('odd', 'superuser', 'x', now()::TIMESTAMP)")
    assert group_roles.load_mapping(store) == {"cx-execs": Role.EXECUTIVE}


def test_the_command_line_maps_lists_and_unmaps(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["groups", "map", "cx-managers", "manager"]) == 0
    assert capsys.readouterr().out.strip() == "group 'cx-managers' -> manager"
    assert main(["groups", "map", "cx-managers", "analyst"]) == 0
    assert capsys.readouterr().out.strip() == "group 'cx-managers' -> analyst (was manager)"
    assert main(["groups", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["groups"]
    assert [(g["group"], g["role"]) for g in listed] == [("cx-managers", "analyst")]
    assert listed[0]["changed_by"].startswith("cli")
    assert main(["groups", "unmap", "cx-managers"]) == 0
    assert main(["groups", "list"]) == 0
    assert capsys.readouterr().out.strip().endswith("no group is mapped to a role")
    assert main(["groups", "unmap", "cx-managers"]) == 1
    assert "is not mapped" in capsys.readouterr().err
    logged = audit.entries(Store(os.environ["CX_DB"]))
    assert [e.action for e in logged] == ["group.unmap", "group.map", "group.map"]
    assert all(e.actor.startswith("cli") and e.target == "group:cx-managers" for e in logged)
