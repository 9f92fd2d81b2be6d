"""The fixed set of scopes a service account may hold, and the one table that says which scope each
API operation needs (by its path under /api/ and its method). An operation no rule names is a
person's own (their pairs, check-ins, notifications…): no service account may call it.

tests/serviceaccounts/test_scopes.py checks that every mounted router is either named here or
listed as personal, so a new router has to choose.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

SCOPES = {
    "people:read": _("Read people, departments, skills, HR history and exports"),
    "people:write": _("Create, change and deactivate people and departments, import people"),
    "programs:read": _("Read programs, their enrolments, invitations and matching runs"),
    "programs:write": _("Create and change programs and their questions, run and publish matching"),
    "enrolments:write": _("Invite people to programs, decide enrolments"),
    "hr-sync:write": _("Read and change the HR file sync and start it"),
    "audit:read": _("Read the audit log"),
}


@dataclass(frozen=True)
class ScopeRule:
    path: re.Pattern
    read: str | None
    write: str | None


def _rule(pattern: str, read: str | None, write: str | None) -> ScopeRule:
    return ScopeRule(re.compile(pattern), read, write)


# First match wins: the enrolment paths come before the rest of a program's.
RULES = (
    # A person's own operations under a scoped prefix: a service account would act on its maker's own
    # record (the private self-assessment, demographic answers, enrolling the maker).
    _rule(r"^people/me(/|$)", None, None),
    _rule(r"^programs/open$", None, None),
    _rule(r"^programs/[^/]+/enrolments/mine$", None, None),
    # The monthly report's recipients: the report is built with the rights of the person who set them.
    _rule(r"^programs/[^/]+/monthly-report$", None, None),
    _rule(r"^programs/[^/]+/enrolments$", "programs:read", None),
    # Invitation links hand over a way in (a first password): reading them is inviting.
    _rule(r"^programs/[^/]+/invitation-rounds/[^/]+/links$", "enrolments:write", "enrolments:write"),
    _rule(r"^people(/|$)", "people:read", "people:write"),
    _rule(r"^(skills|departments)$", "people:read", None),
    _rule(
        r"^programs/[^/]+/(invitations|invitation-rounds|enrolments)(/|$)",
        "programs:read",
        "enrolments:write",
    ),
    _rule(r"^programs(/|$)", "programs:read", "programs:write"),
    _rule(r"^matching(/|$)", "programs:read", "programs:write"),
    _rule(r"^hr-sync(/|$)", "hr-sync:write", "hr-sync:write"),
    _rule(r"^audit(/|$)", "audit:read", None),
)

# Mounted routers that are a person's own, or an org admin's sign-in settings: never a service
# account's (its own management, personal tokens, SCIM and single sign-on among them).
PERSONAL_ROUTERS = frozenset(
    {
        "accounts", "advocacy", "agreements", "auth", "calendar", "checkins", "choose", "exports", "me",
        "notifications", "outcomes",
        "evidence", "pairs", "privacy", "relationships", "scheduler", "scim", "service-accounts", "sso",
        "surveys",
    }
)  # fmt: skip


def scope_for(*, method: str, path: str) -> str | None:
    """The scope an operation needs; `path` is relative to /api/. None: no service account may call it."""
    for rule in RULES:
        if rule.path.match(path):
            return rule.read if method.upper() in READ_METHODS else rule.write
    return None
