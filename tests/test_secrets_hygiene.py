"""No credentials in git: no credentials file or secrets file ever committed, no bcrypt hash
or cookie key in any tracked file, and the default paths are git-ignored."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BCRYPT = re.compile(r"\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}")
# A cookie key assigned a literal value (the example file only shows how to generate one).
KEY_VALUE = re.compile(r"CX_COOKIE_KEY\s*=\s*[\"'][A-Za-z0-9_\-]{20,}[\"']")


def _git(*args: str) -> str:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def test_no_credentials_or_secrets_file_ever_committed() -> None:
    ever = set(_git("log", "--all", "--name-only", "--format=").split())
    bad = {p for p in ever if p.endswith(("credentials.yaml", "secrets.toml"))
           or (p.startswith("data/") and p.endswith((".yaml", ".yml")))}
    assert bad == set()


def test_default_credential_paths_are_ignored() -> None:
    out = _git("check-ignore", "data/credentials.yaml", ".streamlit/secrets.toml")
    assert out.split() == ["data/credentials.yaml", ".streamlit/secrets.toml"]


def test_no_tracked_file_holds_a_password_hash_or_cookie_key() -> None:
    found = []
    for name in _git("ls-files").splitlines():
        path = ROOT / name
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        if BCRYPT.search(text) or KEY_VALUE.search(text):
            found.append(name)
    assert found == []


def test_the_patterns_catch_what_they_should() -> None:
    assert BCRYPT.search("password: $2b$12$" + "a" * 53)
    # built at run time, so this file itself does not hold what it looks for
    assert KEY_VALUE.search("CX_COOKIE_KEY = " + '"' + "Zk3v9QeX" * 3 + '"')
    assert not KEY_VALUE.search('# CX_COOKIE_KEY = "generate with: python -c ..."')
