"""Reads about sign-in accounts."""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone

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
