"""The access policy equals PRODUCT.md §5 (checked against an independent copy of the table)."""

from __future__ import annotations

import pytest

from cx.auth import access
from cx.domain import Role
from tests.policy_table import ROLES, SPEC_LANDING, SPEC_PAGES, allowed_pages


def test_registry_declares_the_nine_pages_of_section_5_in_order() -> None:
    assert [p.name for p in access.PAGES] == list(SPEC_PAGES)  # PRODUCT.md §5
    assert all(p.file == f"pages/{p.name}.py" for p in access.PAGES)
    assert all(p.title and p.icon for p in access.PAGES)


@pytest.mark.parametrize("role", ROLES)
def test_pages_for_each_role_match_section_5(role: str) -> None:
    assert [p.name for p in access.pages_for(role)] == allowed_pages(role)  # PRODUCT.md §5
    for name in SPEC_PAGES:
        assert access.can_view([role], name) is (role in SPEC_PAGES[name])


@pytest.mark.parametrize("role", ROLES)
def test_landing_page_of_each_role(role: str) -> None:
    assert access.landing_page(role).name == SPEC_LANDING[role]  # PRODUCT.md §5


def test_landing_falls_back_to_first_available_allowed_page() -> None:
    # executive's Weekly snapshot not written yet -> the next allowed page that exists
    assert access.landing_page("executive", ["overview", "users"]).name == "overview"
    assert access.landing_page("analyst", ["users", "segments", "overview"]).name == "overview"
    assert access.landing_page("executive", ["users"]) is None


def test_several_roles_see_the_union_and_land_where_the_strongest_lands() -> None:
    pages = [p.name for p in access.pages_for(["executive", "analyst"])]
    assert pages == allowed_pages("analyst")
    assert access.landing_page(["executive", "analyst"]).name == "explorer"


@pytest.mark.parametrize("roles", [None, [], "", ["owner"], ["Admin "], "superuser"])
def test_no_role_or_unknown_role_sees_nothing(roles: object) -> None:
    assert access.pages_for(roles) == []
    assert access.landing_page(roles) is None
    assert not access.can_view(roles, "overview")
    assert not access.allowed(roles, "upload")


@pytest.mark.parametrize(
    ("action", "roles_allowed"),
    [("upload", {"analyst", "admin"}), ("rollback", {"analyst", "admin"}),
     ("manage_users", {"admin"}), ("edit_themes", {"analyst", "admin"})],
)
def test_actions(action: str, roles_allowed: set[str]) -> None:
    for role in ROLES:
        assert access.allowed(role, action) is (role in roles_allowed)
        if role in roles_allowed:
            access.require_action([role], action)
        else:
            with pytest.raises(access.AccessDenied, match=action):
                access.require_action([role], action)


def test_unknown_names_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="unknown action 'delete_everything'"):
        access.allowed("admin", "delete_everything")
    with pytest.raises(ValueError, match="unknown page 'admin'"):
        access.page("admin")
    assert access.as_roles(Role.ADMIN) == frozenset({Role.ADMIN})

