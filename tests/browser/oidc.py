"""A real OpenID Connect provider on loopback for the SSO browser tests, and the app's secrets.

`oidc-provider-mock` (PyPI) serves discovery, the authorization form, tokens signed with RS256,
userinfo and RP-initiated logout (end_session), on a werkzeug server in a thread of the test
process: no process to clean up and nothing from outside. Its users and their groups are
given here; the app's secrets.toml ([auth], as Streamlit documents it) is written at test time
with random secrets, so no secret is ever committed.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROVIDER = "testidp"  # the [auth.testidp] section; st.login names may not contain "_"


@dataclass(frozen=True)
class Provider:
    base_url: str  # http://127.0.0.1:PORT

    @property
    def metadata_url(self) -> str:
        return f"{self.base_url}/.well-known/openid-configuration"


@contextmanager
def running_provider(people: Mapping[str, Sequence[str]]) -> Iterator[Provider]:
    """A provider that knows each email in `people` with its groups (the `groups` claim)."""
    from oidc_provider_mock import User, run_server_in_thread

    users = [User(sub=email, claims={"email": email, "name": email.split("@")[0],
                                      "groups": list(groups)})
             for email, groups in people.items()]
    try:
        with run_server_in_thread(port=0, user_claims=users) as server:
            yield Provider(f"http://127.0.0.1:{server.server_port}")
    except TimeoutError:
        # Raised only on the way out: the mock gives its thread 1 s to stop, which a busy
        # 2-core machine can miss; the thread still ends, and no test result depends on it.
        pass


def write_secrets(folder: Path, provider: Provider) -> Path:
    """The app's secrets.toml for `provider`; `{port}` is filled in by Streamlit itself."""
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        f"[auth.{PROVIDER}]\n"
        'client_id = "cx-lens-test"\n'
        f'client_secret = "{secrets.token_urlsafe(24)}"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n'
        'client_kwargs = { prompt = "login" }\n',
        encoding="utf-8")
    path.chmod(0o600)
    return path


# -- what a person does in the browser ---------------------------------------------------------
SIGN_IN_BUTTON = f"Sign in with {PROVIDER}"


def sign_in(page: object, app_url: str, provider: Provider, email: str) -> None:
    """From the app's login screen through the provider's form (one click on a known user, as
    a real provider's password page would be) back to the app, signed in or refused."""
    from playwright.sync_api import expect

    page.goto(app_url)
    page.get_by_role("button", name=SIGN_IN_BUTTON).click()
    page.wait_for_url(f"{provider.base_url}/**")
    page.get_by_role("button", name=email, exact=True).click()
    page.wait_for_url(f"{app_url.rstrip('/')}/**")
    expect(page.get_by_text("Logged in as").or_(page.get_by_text("No access")).first
           ).to_be_visible()


def log_out_through_provider(page: object, app_url: str, provider: Provider,
                             button: str = "Log out") -> None:
    """The app's Log out, the provider's end-session page, and back to the app's login."""
    page.get_by_role("button", name=button).click()
    page.wait_for_url(f"{provider.base_url}/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{app_url.rstrip('/')}/**")
    page.get_by_role("button", name=SIGN_IN_BUTTON).wait_for()


def identity_cookie(page: object) -> dict | None:
    """Streamlit's signed identity cookie (`_streamlit_user`), as the browser holds it."""
    return next((c for c in page.context.cookies() if c["name"] == "_streamlit_user"), None)
