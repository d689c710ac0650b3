"""The key that signs login cookies: a configured one if it is strong, else one generated once.

Why generate instead of refusing to start: the first real upload used to end demo mode and lock
everybody out until an admin exported CX_COOKIE_KEY. A random key made on first use and kept in
an owner-only file beside the credentials is as strong as a configured one, survives restarts and
is shared by every process on the machine. A configured key is still honoured, but a short,
placeholder or sentence-like one is refused (outside demo mode) rather than trusted, because a
cookie signed with a guessable key must never log anybody in.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
from pathlib import Path

from cx.config import PROJECT_ROOT

MIN_KEY_LENGTH = 32
MIN_DISTINCT_CHARACTERS = 10  # a random 32-character key has ~25; "xxxx…" or "abab…" has 1-2
# Texts that have stood for a key in this repository or its docs (the old public demo key too).
KNOWN_PLACEHOLDERS = frozenset({"cx-lens-demo-only-cookie-key", "changeme", "secret", "..."})
# Files whose example assignments (CX_COOKIE_KEY = "...") are placeholders by definition.
EXAMPLE_FILES = (PROJECT_ROOT / ".streamlit" / "secrets.toml.example", PROJECT_ROOT / "README.md")
_ASSIGNMENT = re.compile(r"CX_COOKIE_KEY\s*=\s*([\"'])(.*?)\1")
HOW_TO_FIX = (
    "Remove CX_COOKIE_KEY to let CX Lens generate and keep a strong key itself, or set a random "
    "one: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'."
)


class CookieKeyError(ValueError):
    """The stored key file is unusable (damaged or unreadable); the message says which file."""


@functools.cache  # the example files ship with the code: read once per process
def example_values(files: tuple[Path, ...] = EXAMPLE_FILES) -> frozenset[str]:
    """Every value assigned to CX_COOKIE_KEY in the example files, as written there."""
    found: set[str] = set()
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        found.update(m.group(2) for m in _ASSIGNMENT.finditer(text))
    return frozenset(found)


def weakness(key: str) -> str | None:
    """Why `key` must not sign cookies (None when it may). The key itself is never quoted."""
    stripped = key.strip()
    if not stripped:
        return "CX_COOKIE_KEY is set but empty or only spaces."
    if stripped in KNOWN_PLACEHOLDERS or key in example_values() or stripped in example_values():
        return "CX_COOKIE_KEY is the example text from this repository, which anyone can read."
    if len(stripped) < MIN_KEY_LENGTH:
        return (f"CX_COOKIE_KEY is {len(stripped)} characters long; it needs at least "
                f"{MIN_KEY_LENGTH} random characters.")
    if any(c.isspace() for c in stripped) or "$(" in stripped:
        return "CX_COOKIE_KEY looks like a sentence or an unexpanded command, not a random key."
    if len(set(stripped)) < MIN_DISTINCT_CHARACTERS:
        return "CX_COOKIE_KEY repeats too few characters to be random."
    return None


def problem(configured: str, demo_mode: bool) -> str | None:
    """The message to refuse the start with, or None. No key configured is never a problem."""
    if configured == "" or demo_mode:
        return None
    reason = weakness(configured)
    return f"{reason} {HOW_TO_FIX}" if reason else None


def load_or_create(path: Path) -> str:
    """The stored key, created (random, mode 0600) on first use; every process gets the same.

    Created as a private temporary file and linked into place, so two processes starting at
    once cannot both write a key: the second link fails and that process reads the winner's.
    """
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_urlsafe(32) + "\n")
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
        finally:
            tmp.unlink(missing_ok=True)
    return _read_key(path)


def _read_key(path: Path) -> str:
    try:
        if os.stat(path).st_mode & 0o077:
            os.chmod(path, 0o600)  # someone loosened it; the key must stay owner-only
        key = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise CookieKeyError(f"cannot read the cookie key file {path}: {exc}") from exc
    if weakness(key):
        raise CookieKeyError(f"the cookie key file {path} is damaged; delete it and restart "
                        "(everyone will have to log in again).")
    return key


def signing_key(configured: str, key_file: Path) -> str:
    """The configured key when it is strong; otherwise the stored, generated one.

    Outside demo mode a weak configured key never gets here (the start is refused); in demo mode
    it is ignored rather than used, so a public text never signs a cookie in any mode.
    """
    if configured and weakness(configured) is None:
        return configured
    return load_or_create(key_file)
