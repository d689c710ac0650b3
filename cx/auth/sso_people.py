"""People who signed in through a provider, with the groups it named at their latest sign-in.

Why: an SSO person has no entry in the credentials file, so the command line could not answer
`--as-user alice@corp`. Their role and data scope follow from their groups (the group mapping
and the group scopes, both read now), and only the provider knows the groups: it names them at
sign-in, and the app uses those same groups (kept in Streamlit's signed identity cookie) until
the next sign-in. Recording them here at each sign-in gives the command line exactly the groups
the app uses. Chosen over an explicit `--as-user NAME --groups g1,g2`: an admin rarely knows a
person's groups exactly, and a wrong guess would silently answer for somebody else.

One row per person, kept for their newest sign-in (by the ID token's `iat`); each new one is
written to the audit log (`sso.sign_in`, by the person, target `user:NAME`). The app calls
`record` on every run, so it writes only when the sign-in is new: a click costs no write.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from cx.auth import audit
from cx.storage import Store


@dataclass(frozen=True)
class SsoPerson:
    username: str
    groups: tuple[str, ...]
    signed_in_at: dt.datetime  # naive UTC: the sign-in these groups come from


def normal_name(name: str) -> str:
    """A name as the app records it: an email lowercased (cx.auth.sso.username_from_claims),
    a `sub:<subject>` name exactly as given."""
    name = (name or "").strip()
    return name if name.startswith("sub:") else name.lower()


def is_sso_name(name: str) -> bool:
    """Whether `name` can only be a provider's person: local usernames have no '@' or ':'."""
    return "@" in name or name.strip().startswith("sub:")


def _utc(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(seconds), dt.UTC).replace(tzinfo=None)


def find(store: Store, username: str) -> SsoPerson | None:
    """The person's newest recorded sign-in, or None when they never signed in here."""
    rows = store.query("SELECT username, groups, signed_in_at FROM sso_people "
                       "WHERE username = ?", [normal_name(username)])
    if not rows:
        return None
    name, groups, at = rows[0]
    return SsoPerson(name, tuple(str(g) for g in json.loads(groups)), at)


def record(store: Store, username: str, groups: Sequence[str], issued_at: float) -> bool:
    """Keep this sign-in (groups as the provider named them, `issued_at` = the ID token's iat,
    seconds) unless it is the one already kept or an older one; True when written."""
    at, groups = _utc(issued_at), tuple(groups)
    with store.transaction() as cur:
        row = cur.execute("SELECT groups, signed_in_at FROM sso_people WHERE username = ?",
                          [username]).fetchone()
        was = tuple(json.loads(row[0])) if row else None
        if row is not None and (row[1] > at or (row[1] == at and was == groups)):
            return False
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        cur.execute("INSERT OR REPLACE INTO sso_people VALUES (?, ?, ?, ?)",
                    [username, json.dumps(list(groups), ensure_ascii=False), at, now])
    audit.record(store, username, "sso.sign_in", f"user:{username}",
                 {"groups": list(groups), "was": list(was) if was is not None else None,
                  "signed_in_at": at.isoformat()})
    return True
