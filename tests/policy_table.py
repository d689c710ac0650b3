"""An independent copy of PRODUCT.md §5 (pages × roles, landing pages), typed in by hand.

Tests compare cx.auth.access and the running app against this table, never against cx.auth.access itself,
so a drift of the policy from the spec fails a test.
"""

# page url path -> roles that may see it, in PRODUCT.md §5 order
SPEC_PAGES: dict[str, set[str]] = {
    "snapshot": {"executive", "manager", "analyst", "admin"},
    "overview": {"executive", "manager", "analyst", "admin"},
    "segments": {"manager", "analyst", "admin"},
    "drivers": {"manager", "analyst", "admin"},
    "tickets": {"manager", "analyst", "admin"},
    "customers": {"manager", "analyst", "admin"},
    "explorer": {"manager", "analyst", "admin"},
    "verbatims": {"manager", "analyst", "admin"},  # issue 15: managers and up
    "upload": {"analyst", "admin"},
    "users": {"admin"},
}
# §5 marks no landing page for admin; the project chose the Overview (cx.auth.access says why).
SPEC_LANDING: dict[str, str] = {
    "executive": "snapshot", "manager": "overview", "analyst": "explorer", "admin": "overview",
}
ROLES = ("executive", "manager", "analyst", "admin")


def allowed_pages(role: str) -> list[str]:
    return [name for name, roles in SPEC_PAGES.items() if role in roles]
