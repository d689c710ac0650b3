"""Single sign-on policy (cx.auth.sso): modes, providers, identity, groups, the role they map to."""

from __future__ import annotations

import pytest

from cx.auth import sso
from cx.domain import Role

MAPPING = {"cx-execs": Role.EXECUTIVE, "cx-managers": Role.MANAGER,
           "cx-analysts": Role.ANALYST, "it-admins": Role.ADMIN}


@pytest.mark.parametrize(("configured", "names", "expected"), [
    ("", [], "local"), ("", ["default"], "both"), ("local", ["okta"], "local"),
    ("SSO", ["okta"], "sso"), (" both ", ["a", "b"], "both"), ("local", [], "local"),
])
def test_the_mode_is_cx_auth_else_both_with_a_provider(configured: str, names: list[str],
                                                       expected: str) -> None:
    assert sso.auth_mode(configured, names) == expected


def test_an_unknown_mode_or_sso_without_a_provider_is_refused_saying_why() -> None:
    with pytest.raises(sso.SsoConfigError, match="'ldap' is not a sign-in mode"):
        sso.auth_mode("ldap", ["okta"])
    for mode in ("sso", "both"):
        with pytest.raises(sso.SsoConfigError, match=r"needs an OpenID Connect provider"):
            sso.auth_mode(mode, [])


def test_providers_are_the_default_section_and_named_sub_sections() -> None:
    shared = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x"}
    assert sso.providers(None) == [] and sso.providers(shared) == []
    assert sso.providers({**shared, "client_id": "a", "server_metadata_url": "u"}) == ["default"]
    named = {**shared, "okta": {"client_id": "a"}, "entra": {"server_metadata_url": "u"},
             "client_kwargs": {"prompt": "login"}}
    assert sso.providers(named) == ["okta", "entra"]


@pytest.mark.parametrize(("claim", "groups"), [
    (["cx-analysts", "staff"], ("cx-analysts", "staff")),
    ("cx-analysts", ("cx-analysts",)),
    ([" cx-analysts ", "cx-analysts", "", 7, None, {"x": 1}, ["nested"]], ("cx-analysts",)),
    (None, ()), (42, ()), ({"cx-analysts": True}, ()), ("", ()),
    (["x" * 257, "ok"], ("ok",)),
])
def test_groups_come_from_a_list_or_one_string_and_odd_values_name_none(claim: object,
                                                                       groups: tuple) -> None:
    assert sso.groups_from_claim(claim) == groups


def test_a_huge_claim_is_cut_at_the_limit() -> None:
    claim = [f"g{i}" for i in range(sso.MAX_GROUPS + 500)]
    assert len(sso.groups_from_claim(claim)) == sso.MAX_GROUPS


def test_the_strongest_mapped_role_wins_and_unmapped_groups_give_none() -> None:
    assert sso.role_for(["staff", "cx-execs"], MAPPING) is Role.EXECUTIVE
    assert sso.role_for(["cx-execs", "it-admins", "cx-managers"], MAPPING) is Role.ADMIN
    assert sso.role_for(["cx-managers", "cx-analysts"], MAPPING) is Role.ANALYST
    assert sso.role_for(["staff", "CX-ANALYSTS"], MAPPING) is None  # names are exact
    assert sso.role_for([], MAPPING) is None


def test_the_username_is_the_email_else_the_subject_never_a_local_name() -> None:
    assert sso.username_from_claims({"sub": "1", "email": "Ana@Example.COM"}) == "ana@example.com"
    assert sso.username_from_claims({"sub": "admin"}) == "sub:admin"  # not the local admin
    assert sso.username_from_claims({"sub": "admin", "email": "admin"}) == "sub:admin"


def test_identity_reads_the_configured_claim() -> None:
    claims = {"sub": "u1", "email": "ana@example.com", "groups": ["cx-execs"],
              "roles": ["cx-analysts"]}
    assert sso.identity(claims, "groups", MAPPING) == sso.SsoIdentity(
        "ana@example.com", ("cx-execs",), Role.EXECUTIVE)
    assert sso.identity(claims, "roles", MAPPING).role is Role.ANALYST
    assert sso.identity(claims, "teams", MAPPING) == sso.SsoIdentity("ana@example.com", (), None)


@pytest.mark.parametrize(("iat", "old"), [
    (1_000_000.0, False), (1_000_000 - 24 * 3600, False), (1_000_000 - 24 * 3600 - 1, True),
    (1_000_000 + 299, False), (1_000_000 + 301, True),  # a few minutes of clock skew only
    (None, True), ("1000000", True), (True, True),
])
def test_a_sign_in_older_than_the_limit_or_without_iat_has_expired(iat: object,
                                                                   old: bool) -> None:
    claims = {"sub": "u1"} if iat is None else {"sub": "u1", "iat": iat}
    assert sso.expired(claims, 24, now=1_000_000.0) is old
