"""Who may see and change what in the people database. Every page and API endpoint asks here.

Levels of access to a person, from the viewer's side:

- NONE: someone of another organisation. Answered with 404, as if they did not exist.
- PUBLIC: any colleague of the same organisation sees the public profile only:
  full name, job title, department, location, languages and offered skills (with level).
- TEAM: a line manager (direct or indirect, read from the reporting line, not from a role),
  a program manager or an org admin also sees the work profile: email, employee id, job family,
  manager, seniority, time zone, availability, meeting mode, wanted skills, goals and purpose.
- SELF: the person themselves. Only at this level are the private self-assessment and the
  demographic profile readable, and only on the owner's own pages and `/me/` endpoints.
  Nobody else reads them: not line managers, not program managers, not org admins
  (the matching engine reads self-assessments; fairness reports use aggregates only).

Editing someone else's record is for program managers and org admins of the same organisation,
and never of someone who outranks them (org admin > program manager > everyone else): a program
manager cannot deactivate an org admin, change their roles or start a change of their sign-in
e-mail. Granting or revoking the org admin role is for org admins only.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from mentora.core.roles import Viewer
from mentora.organisations.models import Role
from mentora.people.models import Person
from mentora.people.reporting_line import manager_chain_ids


class Access(models.IntegerChoices):  # Choices: usable as `Access.TEAM` in templates
    NONE = 0
    PUBLIC = 1
    TEAM = 2
    SELF = 3


# Filters over non-public fields, offered only to those who curate the people database.
MANAGER_ONLY_FILTERS = frozenset({"seniority", "role"})


def same_organisation(viewer: Viewer, person: Person) -> bool:
    return viewer.person is not None and person.organisation_id == viewer.organisation_id


def person_access(viewer: Viewer, person: Person, *, report_ids: set[int] | None = None) -> Access:
    """How much of `person` the viewer may see. Pass `report_ids` when checking many people."""
    if not same_organisation(viewer, person):
        return Access.NONE
    if person.pk == viewer.person.pk:
        return Access.SELF
    if viewer.manages_people:
        return Access.TEAM
    if report_ids is not None:
        in_line = person.pk in report_ids
    else:
        in_line = viewer.person.pk in manager_chain_ids(person_id=person.pk)
    return Access.TEAM if in_line else Access.PUBLIC


def can_read_private(viewer: Viewer, person: Person) -> bool:
    """Self-assessment and demographics: the owner only."""
    return viewer.person is not None and viewer.person.pk == person.pk


# Ranks for "who edits whom"; every role not listed ranks 0.
ROLE_RANKS = {Role.ORG_ADMIN: 2, Role.PROGRAM_MANAGER: 1}


def role_rank(roles: Iterable[str]) -> int:
    """The rank of someone's highest role."""
    return max((ROLE_RANKS.get(role, 0) for role in roles), default=0)


def person_rank(person: Person) -> int:
    return role_rank(membership.role for membership in person.role_memberships.all())


def can_edit_person(viewer: Viewer, person: Person) -> bool:
    """A program manager or org admin of the same organisation, not outranked by the person."""
    return (
        same_organisation(viewer, person)
        and viewer.manages_people
        and person_rank(person) <= role_rank(viewer.roles)
    )


def can_grant_role(viewer: Viewer, role: str) -> bool:
    if role == Role.ORG_ADMIN:
        return viewer.is_org_admin
    return viewer.manages_people


def can_list_people(viewer: Viewer) -> bool:
    return viewer.person is not None


def check_filters_allowed(viewer: Viewer, used: set[str]) -> None:
    forbidden = used & MANAGER_ONLY_FILTERS
    if forbidden and not viewer.manages_people:
        raise PermissionDenied(
            _("Only program managers and org admins may filter by %(fields)s.")
            % {"fields": ", ".join(sorted(forbidden))}
        )
