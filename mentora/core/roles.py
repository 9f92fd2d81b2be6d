"""Who the signed-in user is in Mentora terms, and what their roles allow."""

from dataclasses import dataclass, field

from mentora.organisations.models import Role


@dataclass(frozen=True)
class Viewer:
    """The signed-in user's person and roles, computed once per request."""

    user: object
    person: object | None
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def organisation_id(self) -> int | None:
        return self.person.organisation_id if self.person else None

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_org_admin(self) -> bool:
        return Role.ORG_ADMIN in self.roles

    @property
    def manages_people(self) -> bool:
        """Program managers and org admins curate the people database."""
        return self.has_role(Role.ORG_ADMIN, Role.PROGRAM_MANAGER)


def viewer_for(user) -> Viewer:
    if not user.is_authenticated:
        return Viewer(user=user, person=None)
    person = getattr(user, "person", None)
    if person is None:
        return Viewer(user=user, person=None)
    roles = frozenset(person.role_memberships.values_list("role", flat=True))
    return Viewer(user=user, person=person, roles=roles)


def request_viewer(request) -> Viewer:
    cached = getattr(request, "_mentora_viewer", None)
    if cached is None:
        cached = viewer_for(request.user)
        request._mentora_viewer = cached
    return cached
