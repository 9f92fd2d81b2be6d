"""Reads about sign-in accounts."""

from dataclasses import dataclass
from datetime import datetime

from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, F, Max, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mentora.accounts.models import ActivationRound, SignInPolicy
from mentora.core.roles import Viewer
from mentora.organisations.models import Role
from mentora.people.models import Person


@dataclass(frozen=True)
class LockedAccount:
    person: Person
    failures: int
    last_attempt: datetime
    unlocks_at: datetime


def locked_accounts(*, organisation_id: int) -> list[LockedAccount]:
    """The organisation's people whose sign-in is locked now (too many wrong passwords within the
    cool-off), most recent first. Nobody of another organisation is ever listed."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    locked = {
        row["username"]: row
        for row in AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    }
    people = Person.objects.filter(organisation_id=organisation_id, user__username__in=locked).select_related(
        "user"
    )
    rows = [
        LockedAccount(
            person=person,
            failures=locked[person.user.username]["failures"],
            last_attempt=locked[person.user.username]["last_attempt"],
            unlocks_at=locked[person.user.username]["last_attempt"] + settings.AXES_COOLOFF_TIME,
        )
        for person in people
    ]
    return sorted(rows, key=lambda row: row.last_attempt, reverse=True)


ACTIVATION_PAGE_PEOPLE = 200


def activation_candidates(*, organisation_id: int, search: str = "") -> list[Person]:
    """Active people of the organisation an org admin may send activation to, never-signed-in first,
    at most ACTIVATION_PAGE_PEOPLE (narrow with `search`, on name or e-mail). One query."""
    people = Person.objects.filter(organisation_id=organisation_id, is_active=True).select_related("user")
    if search:
        people = people.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    return list(
        people.order_by(F("user__last_login").asc(nulls_first=True), "full_name")[:ACTIVATION_PAGE_PEOPLE]
    )


def never_signed_in_count(*, organisation_id: int) -> int:
    return Person.objects.filter(
        organisation_id=organisation_id, is_active=True, user__last_login__isnull=True
    ).count()


def activation_rounds(*, organisation_id: int, limit: int = 20) -> list[ActivationRound]:
    """The organisation's latest activation rounds, with who asked and how many people (two queries)."""
    return list(
        ActivationRound.objects.filter(organisation_id=organisation_id)
        .select_related("created_by")
        .annotate(people_count=Count("people"))[:limit]
    )


def activation_round_get(*, organisation_id: int, round_id: int) -> ActivationRound:
    return get_object_or_404(
        ActivationRound.objects.annotate(people_count=Count("people")),
        organisation_id=organisation_id,
        pk=round_id,
    )


def sign_in_policy(*, organisation_id: int) -> SignInPolicy:
    """The organisation's rules; an unsaved default (nothing enforced) when it has none yet."""
    return SignInPolicy.objects.filter(organisation_id=organisation_id).first() or SignInPolicy(
        organisation_id=organisation_id
    )


MFA_ROLES = (Role.ORG_ADMIN, Role.PROGRAM_MANAGER)


def may_use_mfa(*, viewer: Viewer) -> bool:
    """Org admins and program managers may turn on a second factor."""
    return viewer.has_role(*MFA_ROLES)


def mfa_setup_required(*, viewer: Viewer) -> bool:
    """An org admin or program manager whose organisation requires a second factor and who has no
    authenticator app yet."""
    if viewer.person is None or not may_use_mfa(viewer=viewer):
        return False
    required = SignInPolicy.objects.filter(
        organisation_id=viewer.organisation_id, mfa_required_for_staff=True
    ).exists()
    return (
        required and not Authenticator.objects.filter(user=viewer.user, type=Authenticator.Type.TOTP).exists()
    )
