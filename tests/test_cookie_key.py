"""The cookie key (issues 11 item 2, 12 item 3): generated once and kept owner-only when none is
configured; a weak configured key is refused outside demo mode; settings are read once per
change of the secrets file."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cx import config

from cx.auth import cookie_key
from cx.config import PROJECT_ROOT

STRONG = "Zq8v1Rk3TnW5yB7dLp0sXc2Hf4Jm6Ga9"  # 32 characters, 32 distinct


def test_no_configured_key_generates_one_once_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "cookie.key"
    first = cookie_key.signing_key("", path)
    assert len(first) == 43 and cookie_key.weakness(first) is None  # token_urlsafe(32)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert cookie_key.signing_key("", path) == first  # reused, not regenerated
    os.chmod(path, 0o644)  # loosened by hand: tightened again on the next read
    assert cookie_key.load_or_create(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_every_process_gets_the_same_generated_key(tmp_path: Path) -> None:
    path = tmp_path / "cookie.key"
    code = ("import sys; from pathlib import Path; from cx.auth.cookie_key import load_or_create; "
            "print(load_or_create(Path(sys.argv[1])))")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path)], cwd=PROJECT_ROOT,
                              stdout=subprocess.PIPE, text=True) for _ in range(4)]
    keys = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert keys == {path.read_text().strip()}


def test_a_damaged_key_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cookie.key"
    path.write_text("short\n")
    with pytest.raises(cookie_key.CookieKeyError, match="cookie.key is damaged"):
        cookie_key.load_or_create(path)


def test_the_examples_in_the_repository_are_known_placeholders() -> None:
    values = cookie_key.example_values()
    example = (PROJECT_ROOT / ".streamlit" / "secrets.toml.example").read_text()
    assert any(v in example for v in values)  # the example file's own text is among them
    assert all(cookie_key.weakness(v) for v in values)


@pytest.mark.parametrize(("key", "reason"), [
    ("x", "1 characters long"),
    (" ", "empty or only spaces"),
    ("", "empty or only spaces"),
    ("cx-lens-demo-only-cookie-key", "example text"),
    ("generate with: python -c 'import secrets; print(secrets.token_urlsafe(32))'",
     "example text"),
    ("$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')", "unexpanded command"),
    ("a" * 31, "31 characters long"),
    ("correct horse battery staple correct horse", "sentence"),
    ("ab" * 20, "too few characters"),
])
def test_weak_keys_are_named_and_refused_outside_demo_mode(key: str, reason: str) -> None:
    assert reason in (cookie_key.weakness(key) or "")
    if key:  # "" means "none configured": generated, never refused
        message = cookie_key.problem(key, demo_mode=False)
        assert message and reason in message and "token_urlsafe(32)" in message
        assert key.strip() == "" or key not in message  # the key itself is never echoed
    assert cookie_key.problem(key, demo_mode=True) is None


def test_a_strong_key_or_none_is_accepted_in_every_mode() -> None:
    for demo in (True, False):
        assert cookie_key.problem(STRONG, demo) is None
        assert cookie_key.problem("", demo) is None


def test_a_strong_configured_key_is_used_as_is(tmp_path: Path) -> None:
    assert cookie_key.signing_key(STRONG, tmp_path / "cookie.key") == STRONG
    assert not (tmp_path / "cookie.key").exists()


def test_settings_read_the_secrets_file_once_per_change(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text('CX_TZ = "Europe/Paris"\nCX_COOKIE_KEY = " "\n')
    monkeypatch.delenv("CX_TZ")
    monkeypatch.delenv("CX_COOKIE_KEY")
    loads = []
    real = config.tomllib.load
    monkeypatch.setattr(config.tomllib, "load", lambda fh: loads.append(1) or real(fh))
    for _ in range(34):  # the calls one page run made
        settings = config.load_settings(secrets_file)
    assert (settings.tz, settings.cookie_key, len(loads)) == ("Europe/Paris", " ", 1)
    secrets_file.write_text('CX_TZ = "UTC"\n')
    assert config.load_settings(secrets_file).tz == "UTC" and len(loads) == 2
    assert settings.key_file == settings.users_path.with_name("cookie.key")
    monkeypatch.setenv("CX_COOKIE_KEY_FILE", str(tmp_path / "elsewhere.key"))
    assert config.load_settings(secrets_file).key_file == tmp_path / "elsewhere.key"
