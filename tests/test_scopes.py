"""Data scopes as stored: a user's own scope wins, group scopes combine as a union."""

from __future__ import annotations

import pytest

from cx.auth import audit
from cx.auth.scopes import UNRESTRICTED, Scope, clause_of, clear_scope, scope_for, set_scope
from cx.config import load_settings
from cx.storage import Store


@pytest.fixture()
def store() -> Store:
    return Store(load_settings().db_path)


def test_nobody_is_restricted_until_an_admin_sets_a_scope(store: Store) -> None:
    assert scope_for(store, "alice", ("emea",)) == UNRESTRICTED
    assert UNRESTRICTED.unrestricted and UNRESTRICTED.key() == ""


def test_a_users_own_scope_replaces_the_scopes_of_their_groups(store: Store) -> None:
    set_scope(store, "group", "emea", clause_of({"region": ["Europe"]}), "admin")
    set_scope(store, "user", "alice", clause_of({"team": "Billing"}), "admin")
    got = scope_for(store, "alice", ("emea",))
    assert got == Scope(((("team", ("Billing",)),),))
    assert got.origin == "user:alice" and got.describe() == "team = Billing"
    assert scope_for(store, "bob", ("emea",)).clauses == ((("region", ("Europe",)),),)


def test_several_group_scopes_are_a_union_and_groups_without_one_do_not_count(store: Store) -> None:
    set_scope(store, "group", "emea", clause_of({"region": ["Europe"]}), "admin")
    set_scope(store, "group", "billing", clause_of({"team": ["Billing"], "channel": ["Chat"]}),
              "admin")
    got = scope_for(store, "carol", ("emea", "billing", "unscoped"))
    assert set(got.clauses) == {(("region", ("Europe",)),),
                                (("channel", ("Chat",)), ("team", ("Billing",)))}
    assert not got.unrestricted and len(got.key()) == 16
    # the same scope, reached in another order, has the same key (snapshots are stored by it)
    assert scope_for(store, "dave", ("billing", "emea")).key() == got.key()


def test_an_explicit_all_rows_scope_opens_everything_in_a_union(store: Store) -> None:
    set_scope(store, "group", "emea", clause_of({"region": ["Europe"]}), "admin")
    set_scope(store, "group", "hq", clause_of({}), "admin")
    assert scope_for(store, "erin", ("emea", "hq")).unrestricted


def test_clearing_a_scope_lifts_it(store: Store) -> None:
    set_scope(store, "user", "alice", clause_of({"region": "Asia"}), "admin")
    assert clear_scope(store, "user", "alice") is True
    assert clear_scope(store, "user", "alice") is False
    assert scope_for(store, "alice") == UNRESTRICTED


def test_a_scope_must_list_a_value() -> None:
    with pytest.raises(ValueError, match="region"):
        clause_of({"region": []})


def test_audit_entries_come_back_newest_first_with_their_detail(store: Store) -> None:
    audit.record(store, "admin", "scope.set", "user:alice", {"where": {"region": ["Europe"]}})
    audit.record(store, "root", "scope.clear", "user:alice")
    got = audit.entries(store, limit=10)
    assert [(e.actor, e.action, e.target) for e in got] == [
        ("root", "scope.clear", "user:alice"), ("admin", "scope.set", "user:alice")]
    assert got[1].detail == {"where": {"region": ["Europe"]}}
    assert len(audit.entries(store, limit=1)) == 1


def test_the_same_clauses_in_any_order_are_the_same_scope() -> None:
    a, b = clause_of({"region": "Europe"}), clause_of({"team": "Billing", "channel": "Chat"})
    assert Scope((a, b)) == Scope((b, a, a))
    assert Scope((a, b)).describe() == Scope((b, a)).describe()
    assert Scope.from_canonical(Scope((b, a)).canonical()) == Scope((a, b))
