"""Server-side render time of every page (script start to end), for notes and README.

Not a test: `python -m tests.perf.render_times --db PATH [--repeat 2]` prints seconds per page
for an admin (who sees every page), first run (cold query cache) and best later run (cached).
It uses a throw-away credentials file; the snapshot page stores the default week's snapshot
when the database has none (as it would for a user).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from cx.auth import access, users
from cx.domain import Role
from tests.app.session import logged_in


def _render(name: str, username: str) -> tuple[float, int]:
    at = logged_in(username, f"pages/{name}.py", timeout=900)
    started = time.perf_counter()
    at.run()
    return time.perf_counter() - started, len(at.exception)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        creds = Path(tmp) / "credentials.yaml"
        users.add_user(creds, "perf-admin", Role.ADMIN, "perf-password-not-secret")
        os.environ.update(CX_DB=str(Path(args.db).resolve()), CX_USERS=str(creds))
        for page in access.PAGES:
            first, errors = _render(page.name, "perf-admin")
            later = min(_render(page.name, "perf-admin")[0] for _ in range(args.repeat))
            print(f"{page.name:<10} first {first:6.2f} s   cached {later:6.2f} s"
                  + (f"   ({errors} exceptions)" if errors else ""), flush=True)


if __name__ == "__main__":
    main()
