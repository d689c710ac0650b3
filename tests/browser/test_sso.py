"""Company sign-in in a real browser against a real OpenID provider on loopback (issue 16).

Each person signs in through the provider's form: their groups map to a role, they land on
that role's page, and Log out ends both the app's session (Streamlit's identity cookie) and the
provider's (its end-session page). A person whose groups map to no role sees "No access" and no
data, on every page URL. A fresh server in SSO mode shows no data on any page URL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cx.auth import access, group_roles
from cx.domain import Role
from cx.storage import Store
from tests.browser.conftest import Prepared, Server, copy_prepared, launch, stop, warm_up
from tests.browser.oidc import (SIGN_IN_BUTTON, Provider, identity_cookie, log_out_through_provider,
                                running_provider, sign_in, write_secrets)
from tests.browser.steps import LOGIN_HEADING, assert_no_data, wait_idle
from tests.policy_table import SPEC_LANDING, SPEC_PAGES

pytestmark = pytest.mark.browser

GROUPS = {"cx-execs": Role.EXECUTIVE, "cx-managers": Role.MANAGER,
          "cx-analysts": Role.ANALYST, "it-admins": Role.ADMIN}
# Who the provider knows. The analyst is also in an executives' group: the strongest role wins.
# No digit in any name: assert_no_data would take one for a number from the database.
PEOPLE = {"exec@example.com": ["cx-execs", "staff"], "manager@example.com": ["cx-managers"],
          "analyst@example.com": ["cx-execs", "cx-analysts"], "admin@example.com": ["it-admins"],
          "nobody@example.com": ["staff", "contractors"]}
PERSON = {Role.EXECUTIVE: "exec@example.com", Role.MANAGER: "manager@example.com",
          Role.ANALYST: "analyst@example.com", Role.ADMIN: "admin@example.com"}


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider(PEOPLE) as running:
        yield running


def _sso_server(prepared: Prepared, folder: Path, provider: Provider, mode: str) -> Server:
    db, users_file = copy_prepared(prepared, folder)
    store = Store(db)
    for group, role in GROUPS.items():
        group_roles.map_group(store, group, role, "test")
    secrets_file = write_secrets(folder, provider)
    return launch(db, users_file, folder, env={"CX_AUTH": mode},
                  args=("--secrets.files", str(secrets_file)))


@pytest.fixture(scope="module")
def sso_app(prepared: Prepared, provider: Provider, browser: object,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = _sso_server(prepared, tmp_path_factory.mktemp("sso"), provider, "sso")
    try:
        warm_up(server, browser)
        yield server
    finally:
        stop(server)


@pytest.mark.parametrize("role", list(Role))
def test_each_group_lands_on_its_role_s_page_and_logs_out(role: Role, sso_app: Server,
                                                           provider: Provider, page: Page) -> None:
    page.goto(sso_app.url())
    page.get_by_role("button", name=SIGN_IN_BUTTON).wait_for()
    expect(page.get_by_role("textbox", name="Password")).to_have_count(0)  # CX_AUTH=sso
    sign_in(page, sso_app.url(), provider, PERSON[role])
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text(f"Role: {role.value}")).to_be_visible()
    expect(sidebar.get_by_text(PERSON[role])).to_be_visible()
    expect(page).to_have_title(access.page(SPEC_LANDING[role.value]).title)  # PRODUCT.md §5
    nav = page.locator('[data-testid="stSidebarNav"]')
    expect(nav.get_by_text("Users", exact=True)).to_have_count(int(role is Role.ADMIN))
    cookie = identity_cookie(page)
    assert cookie is not None and cookie["httpOnly"] is True
    assert "_streamlit_user" not in page.evaluate("document.cookie")

    page.reload()  # the identity cookie keeps the session across a refresh
    expect(sidebar.get_by_text(f"Role: {role.value}")).to_be_visible()

    log_out_through_provider(page, sso_app.url(), provider)
    assert identity_cookie(page) is None
    page.goto(sso_app.url(SPEC_LANDING[role.value]))
    page.get_by_role("button", name=SIGN_IN_BUTTON).wait_for()
    assert_no_data(page)


def test_a_person_whose_groups_map_to_no_role_sees_no_access_and_no_data(
        sso_app: Server, provider: Provider, page: Page) -> None:
    sign_in(page, sso_app.url(), provider, "nobody@example.com")
    expect(page.get_by_text("No access")).to_be_visible()
    expect(page.get_by_text("Your groups: staff, contractors")).to_be_visible()
    assert_no_data(page)
    expect(page.get_by_text("Logged in as")).to_have_count(0)
    for name in SPEC_PAGES:  # no page URL gets past it
        page.goto(sso_app.url(name))
        page.get_by_text("No access").first.wait_for()
        assert_no_data(page)

    # An admin maps one of their groups: the next run gives the role, no new sign-in needed.
    store = Store(sso_app.db)
    group_roles.map_group(store, "contractors", Role.MANAGER, "test")
    try:
        page.reload()
        expect(page.locator('[data-testid="stSidebar"]').get_by_text("Role: manager")
               ).to_be_visible()
        expect(page).to_have_title(access.page(SPEC_LANDING["manager"]).title)
    finally:
        group_roles.unmap_group(store, "contractors", "test")
    page.reload()
    page.get_by_text("No access").first.wait_for()
    assert_no_data(page)
    log_out_through_provider(page, sso_app.url(), provider)
    assert identity_cookie(page) is None


def test_every_page_url_on_a_fresh_sso_server_shows_no_data(
        prepared: Prepared, provider: Provider, page: Page, tmp_path: Path) -> None:
    server = _sso_server(prepared, tmp_path, provider, "sso")
    try:
        # Until app.py has run once, Streamlit serves pages/ files alone (legacy mode): the
        # guard sends that first request through app.py, which shows the sign-in.
        for name in [*SPEC_PAGES, "", *SPEC_PAGES]:
            page.goto(server.url(name))
            assert_no_data(page)
            expect(page.get_by_role("button", name=SIGN_IN_BUTTON)).to_be_visible()
            expect(page.get_by_role("textbox", name="Password")).to_have_count(0)
    finally:
        stop(server)


def test_both_modes_offer_the_provider_and_the_password(
        prepared: Prepared, provider: Provider, browser: object, page: Page,
        tmp_path: Path) -> None:
    server = _sso_server(prepared, tmp_path, provider, "both")
    try:
        warm_up(server, browser)
        username, password = prepared.logins[Role.MANAGER]
        page.goto(server.url())
        page.get_by_text(LOGIN_HEADING).wait_for()
        expect(page.get_by_role("button", name=SIGN_IN_BUTTON)).to_be_visible()
        page.get_by_role("textbox", name="Username").fill(username)
        page.get_by_role("textbox", name="Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_text("Role: manager")).to_be_visible()
        wait_idle(page)
        page.get_by_role("button", name="Log out").click()
        page.get_by_text(LOGIN_HEADING).wait_for()

        sign_in(page, server.url(), provider, PERSON[Role.ADMIN])
        expect(page.get_by_text("Role: admin")).to_be_visible()
        expect(page.get_by_text("via company sign-in")).to_be_visible()
    finally:
        stop(server)


def test_a_tampered_identity_cookie_signs_nobody_in(sso_app: Server, provider: Provider,
                                                    page: Page) -> None:
    """The claims (and so the groups) ride in Streamlit's signed cookie: changing one character
    of it, or signing claims with another secret, must not sign anyone in."""
    sign_in(page, sso_app.url(), provider, PERSON[Role.EXECUTIVE])
    real = identity_cookie(page)
    payload, rest = real["value"].split(".", 2)[1], real["value"]
    flipped = payload[:5] + ("A" if payload[5] != "A" else "B") + payload[6:]
    forged = [rest.replace(payload, flipped), rest[:-4] + "AAAA", "garbage"]
    for value in forged:
        fresh = page.context.browser.new_context()
        try:
            other = fresh.new_page()
            fresh.add_cookies([{**real, "value": value}])
            other.goto(sso_app.url())
            other.get_by_role("button", name=SIGN_IN_BUTTON).wait_for()
            assert_no_data(other)
            expect(other.get_by_text("Logged in as")).to_have_count(0)
        finally:
            fresh.close()
