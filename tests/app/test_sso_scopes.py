"""A person signed in through a provider gets their groups' data scope (issue 16): the two halves
of the issue meet here. An SSO analyst whose group may see Europe only lands on the explorer and
counts exactly the command line's `--where region=Europe` (before the fix: nothing at all, since
the scope looked for a local login and found none, so failed closed)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from cx.auth import audit, group_roles
from cx.auth.scopes import change_scope
from cx.charts.format import format_value
from cx.domain import Role, clause_of
from cx.storage import Store
from tests.app.dashboard_fixtures import cli_metric
from tests.app.test_pages_dashboards import default_dates
from tests.app.test_sso import _person, _run, mapped  # noqa: F401 - a fixture

REGION = "Europe"


def _matching(at: object) -> int:
    """The explorer's "N responses match" caption, as a number."""
    found = [re.match(r"([\d,]+) responses match", c.value) for c in at.caption]
    return int(next(m for m in found if m).group(1).replace(",", ""))


def test_an_sso_person_reads_exactly_their_group_scope(mapped: Store) -> None:
    db = Path(os.environ["CX_DB"])  # `mapped`: cx-analysts gives the analyst role, CX_AUTH=sso
    store = mapped
    change_scope(store, "group", "emea", clause_of({"region": REGION}), "test")
    start, end = default_dates(db)
    dates = ("--from", start, "--to", end)
    inside = cli_metric(db, "responses", *dates, "--where", f"region={REGION}")["rows"][0]["n"]
    everyone = cli_metric(db, "responses", *dates)["rows"][0]["n"]
    assert 0 < inside < everyone

    at = _run(_person("cx-analysts", "emea"))  # lands on the explorer (analyst)
    assert not at.exception, [e.value for e in at.exception]
    assert _matching(at) == inside
    assert set(at.dataframe[0].value["region"]) == {REGION}

    at = _run(_person("cx-analysts"))  # the same role without the scoped group: all regions
    assert _matching(at) == everyone


def test_the_cli_as_an_sso_person_answers_what_the_app_shows_them(mapped: Store) -> None:
    """`--as-user ana@example.com` for someone with no credentials entry: the app records the
    groups of her sign-in, and the command line reads her role and scope from them (before: "no
    such user")."""
    db = Path(os.environ["CX_DB"])
    group_roles.map_group(mapped, "cx-managers", Role.MANAGER, "test")
    change_scope(mapped, "group", "emea", clause_of({"region": REGION}), "test")
    ana = _person("cx-managers", "emea")
    at = _run(ana)  # a manager lands on the Overview
    assert not at.exception, [e.value for e in at.exception]
    tile = next(m for m in at.metric if m.label == "NPS")
    shown_n = next(int(re.search(r"n = ([\d,]+)", c.value).group(1).replace(",", ""))
                   for c in at.caption if "n = " in c.value)  # the first tile's caption is NPS'
    start, end = default_dates(db)
    dates = ("--from", start, "--to", end)
    as_her = cli_metric(db, "nps", *dates, "--as-user", "ana@example.com")
    where = cli_metric(db, "nps", *dates, "--where", f"region={REGION}")
    assert as_her["rows"] == where["rows"]
    assert as_her["as_user"]["groups"] == ["cx-managers", "emea"]
    assert tile.value == format_value(as_her["rows"][0]["value"], "points")
    assert shown_n == as_her["rows"][0]["n"] < cli_metric(db, "nps", *dates)["rows"][0]["n"]
    _run(ana)  # another click of the same sign-in: recorded (and audited) once, not per run
    signed = [e for e in audit.entries(mapped) if e.action == "sso.sign_in"]
    assert [(e.actor, e.detail["groups"]) for e in signed] == [
        ("ana@example.com", ["cx-managers", "emea"])]
