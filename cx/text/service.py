"""The theme dictionary's operations as one-call units of work, for the command line and pages.

Each opens its own transaction, and each change reports how many comments are now stale, so the
caller can say "run `text rebuild`" with a number.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cx.storage import Store
from cx.text import dictionary
from cx.text.batch import stale
from cx.text.suggest import Suggestion, suggest


def themes(store: Store) -> dict[str, Any]:
    """The dictionary in force, with each theme's comment count and the version."""
    with store.transaction() as cur:
        dictionary.ensure_defaults(cur)
        entries = dictionary.current(cur)
        version = dictionary.version(cur)
        counts = dict(cur.execute(
            "SELECT theme, count(*) FROM comment_themes GROUP BY theme").fetchall())
    return {"version": version,
            "themes": [{**e.as_dict(), "comments": int(counts.get(e.theme, 0))}
                       for e in entries]}


def _changed(store: Store, change: dict[str, Any]) -> dict[str, Any]:
    version, todo = stale(store)
    return {**change, "version": version, "stale_comments": sum(todo.values())}


def add(store: Store, theme: str, lang: str, terms: Iterable[str], user: str | None,
        replace: bool = False) -> dict[str, Any]:
    """Add terms to a theme (or replace its list with `replace`), creating it when new."""
    with store.transaction() as cur:
        dictionary.ensure_defaults(cur)
        change = (dictionary.set_terms if replace else dictionary.add_terms)(
            cur, theme, lang, list(terms), user)
    return _changed(store, change.as_dict())


def remove(store: Store, theme: str, user: str | None, lang: str | None = None) -> dict[str, Any]:
    with store.transaction() as cur:
        dictionary.ensure_defaults(cur)
        removed = dictionary.remove_theme(cur, theme, user, lang)
    return _changed(store, {"theme": dictionary.clean_theme(theme), "lang": lang,
                            "removed_lists": removed})


def history(store: Store, theme: str | None = None) -> list[dict[str, Any]]:
    with store.transaction() as cur:
        dictionary.ensure_defaults(cur)
        return [e.as_dict() for e in dictionary.history(cur, theme)]


def accept(store: Store, number: int, lang: str, user: str | None, name: str | None = None,
           k: int = 8, unthemed: bool = False) -> dict[str, Any]:
    """Accept suggestion `number` (as `suggestions` numbered it) into the dictionary."""
    found: list[Suggestion] = suggest(store, lang, k=k, unthemed=unthemed)
    chosen = next((s for s in found if s.number == number), None)
    if chosen is None:
        raise ValueError(f"there is no suggestion {number} for {lang} "
                         f"({len(found)} suggestions now)")
    return add(store, name or chosen.label.split(" · ")[0], lang, chosen.terms, user)
