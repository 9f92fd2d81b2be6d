"""Reads for check-ins.

Privacy: an answer is read by its author alone. `checkin_get_for_respondent` answers 404 to
anyone else (the partner included). Program managers get `program_checkin_aggregates` and
`at_risk_pairs` only: aggregates over at least MIN_GROUP_SIZE answers, and a breakdown (by side,
by survey kind) only when every non-empty cell of it reaches that size, so that no answer can be
recovered by subtracting one cell from the total. At-risk pairs carry a reason category, never
the answer itself.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentora.checkins.models import (
    MIN_GROUP_SIZE,
    Checkin,
    CheckinAnswer,
    CheckinKind,
    CheckinSchedule,
    CheckinStatus,
    MeetingFrequency,
)
from mentora.meetings.models import Meeting, MeetingStatus
from mentora.people.models import Person
from mentora.programs.models import Program
from mentora.relationships.models import Relationship, RelationshipStatus

LOW_USEFULNESS = 2


def schedule_for(*, program: Program) -> CheckinSchedule:
    """The program's settings, or the defaults (unsaved) when the manager never changed them."""
    return CheckinSchedule.objects.filter(program=program).first() or CheckinSchedule(program=program)


def checkins_pending_for(*, person: Person | None) -> QuerySet:
    if person is None:
        return Checkin.objects.none()
    return (
        Checkin.objects.filter(respondent=person, status=CheckinStatus.PENDING)
        .select_related("relationship__program", "relationship__mentor", "relationship__mentee")
        .order_by("due_on", "id")
    )


def checkin_get_for_respondent(*, person: Person | None, checkin_id: int) -> Checkin:
    """The check-in if the person is its respondent; 404 for everyone else (partner included)."""
    checkin = (
        Checkin.objects.filter(pk=checkin_id, respondent_id=person.pk if person else -1)
        .select_related("relationship__program", "relationship__mentor", "relationship__mentee")
        .first()
    )
    if checkin is None:
        raise Http404
    return checkin


def my_answer(*, checkin: Checkin) -> CheckinAnswer | None:
    """Only ever called with a check-in obtained through `checkin_get_for_respondent`."""
    return CheckinAnswer.objects.filter(checkin=checkin).first()


# ---------------------------------------------------------------------------------- aggregates


@dataclass(frozen=True)
class Cell:
    answers: int
    usefulness_mean: float | None


@dataclass(frozen=True)
class CheckinAggregates:
    min_group_size: int
    issued: int
    answered: int
    usefulness_mean: float | None
    frequency: dict[str, int] | None
    with_blockers: int | None
    by_side: dict[str, Cell] | None
    by_kind: dict[str, Cell] | None

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.issued if self.issued else None

    @property
    def suppressed(self) -> bool:
        return self.answered < self.min_group_size


def _breakdown(rows: list[tuple[str, int]], labels) -> dict[str, Cell] | None:
    """Per-cell counts and means, or None when any non-empty cell is below the group size."""
    groups: dict[str, list[int]] = {}
    for key, usefulness in rows:
        groups.setdefault(key, []).append(usefulness)
    if any(0 < len(values) < MIN_GROUP_SIZE for values in groups.values()):
        return None
    return {
        str(label): Cell(
            answers=len(groups.get(key, [])),
            usefulness_mean=(sum(groups[key]) / len(groups[key])) if groups.get(key) else None,
        )
        for key, label in labels
    }


def program_checkin_aggregates(*, program: Program) -> CheckinAggregates:
    checkins = Checkin.objects.filter(relationship__program=program)
    issued = checkins.count()
    answers = list(
        CheckinAnswer.objects.filter(checkin__relationship__program=program).values_list(
            "usefulness",
            "meeting_frequency",
            "blockers",
            "checkin__kind",
            "checkin__respondent_id",
            "checkin__relationship__mentor_id",
        )
    )
    answered = len(answers)
    if answered < MIN_GROUP_SIZE:
        return CheckinAggregates(MIN_GROUP_SIZE, issued, answered, None, None, None, None, None)
    frequency = Counter(row[1] for row in answers)
    side_rows = [("mentor" if row[4] == row[5] else "mentee", row[0]) for row in answers]
    return CheckinAggregates(
        min_group_size=MIN_GROUP_SIZE,
        issued=issued,
        answered=answered,
        usefulness_mean=sum(row[0] for row in answers) / answered,
        frequency={str(label): frequency.get(value, 0) for value, label in MeetingFrequency.choices},
        with_blockers=sum(1 for row in answers if row[2]),
        by_side=_breakdown(side_rows, [("mentor", _("Mentors")), ("mentee", _("Mentees"))]),
        by_kind=_breakdown([(row[3], row[0]) for row in answers], CheckinKind.choices),
    )


# ---------------------------------------------------------------------------------- at-risk pairs


class RiskReason:
    LOW_USEFULNESS = "low_usefulness"
    SILENT = "silent"
    OVERDUE_CHECKIN = "overdue_checkin"

    LABELS = {
        LOW_USEFULNESS: _("Low usefulness reported"),
        SILENT: _("No meeting for a while"),
        OVERDUE_CHECKIN: _("Check-in overdue"),
    }


@dataclass
class AtRiskPair:
    relationship: Relationship
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        return [str(RiskReason.LABELS[reason]) for reason in self.reasons]


def relationships_met_between(*, relationship_ids: list[int], start: datetime, end: datetime) -> set[int]:
    """Which of these relationships had a meeting starting in [start, end) that was not cancelled.

    A past meeting still "scheduled" counts: pairs that meet but forget to log it are not the
    marginal mentoring we look for. (The meetings app's `meetings_starting_between` reads
    scheduled meetings only, for reminders, so this reads the Meeting table itself.)
    """
    return set(
        Meeting.objects.filter(relationship_id__in=relationship_ids, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=MeetingStatus.CANCELLED)
        .values_list("relationship_id", flat=True)
    )


def silent_relationships(*, relationships: list[Relationship], weeks: int, now: datetime) -> set[int]:
    """Pairs older than `weeks` with no meeting in the last `weeks` weeks."""
    since = now - timedelta(weeks=weeks)
    old_enough = [r.pk for r in relationships if r.started_at and r.started_at <= since]
    if not old_enough:
        return set()
    return set(old_enough) - relationships_met_between(relationship_ids=old_enough, start=since, end=now)


def at_risk_pairs(*, program: Program, now: datetime | None = None) -> list[AtRiskPair]:
    """Active pairs showing a sign of marginal mentoring, with the reason categories only."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    schedule = schedule_for(program=program)
    relationships = list(
        Relationship.objects.filter(program=program, status=RelationshipStatus.ACTIVE)
        .select_related("mentor", "mentee")
        .order_by("mentee__full_name", "pk")
    )
    flagged: dict[int, AtRiskPair] = {r.pk: AtRiskPair(relationship=r) for r in relationships}

    latest: dict[tuple[int, int], int] = {}
    for relationship_id, respondent_id, usefulness in (
        CheckinAnswer.objects.filter(checkin__relationship__in=relationships)
        .order_by("checkin__answered_at", "pk")
        .values_list("checkin__relationship_id", "checkin__respondent_id", "usefulness")
    ):
        latest[(relationship_id, respondent_id)] = usefulness
    for (relationship_id, _respondent), usefulness in latest.items():
        if usefulness <= LOW_USEFULNESS and RiskReason.LOW_USEFULNESS not in flagged[relationship_id].reasons:
            flagged[relationship_id].reasons.append(RiskReason.LOW_USEFULNESS)

    for relationship_id in sorted(
        silent_relationships(relationships=relationships, weeks=schedule.silent_after_weeks, now=now)
    ):
        flagged[relationship_id].reasons.append(RiskReason.SILENT)

    overdue_before = today - timedelta(days=schedule.overdue_after_days)
    for relationship_id in set(
        Checkin.objects.filter(
            relationship__in=relationships, status=CheckinStatus.PENDING, due_on__lt=overdue_before
        ).values_list("relationship_id", flat=True)
    ):
        flagged[relationship_id].reasons.append(RiskReason.OVERDUE_CHECKIN)

    return [pair for pair in flagged.values() if pair.reasons]


# ---------------------------------------------------------------------------------- KPIs


def usefulness_mean_by_program(*, organisation_id: int) -> dict[int, float | None]:
    """Mean usefulness per program of the organisation; None below the minimum group size."""
    rows = (
        CheckinAnswer.objects.filter(checkin__relationship__program__organisation_id=organisation_id)
        .values("checkin__relationship__program_id")
        .annotate(n=Count("pk"), mean=Avg("usefulness"))
    )
    return {
        row["checkin__relationship__program_id"]: (row["mean"] if row["n"] >= MIN_GROUP_SIZE else None)
        for row in rows
    }


def checkin_response_rate(*, program: Program) -> float | None:
    """Answered check-ins over issued ones (counts only: no answer is read)."""
    counts = Checkin.objects.filter(relationship__program=program).aggregate(
        issued=Count("pk"), answered=Count("pk", filter=Q(status=CheckinStatus.ANSWERED))
    )
    return counts["answered"] / counts["issued"] if counts["issued"] else None


def at_risk_count(*, program: Program, now: datetime | None = None) -> int:
    return len(at_risk_pairs(program=program, now=now))


def pending_checkin_for_pair(*, relationship: Relationship, person: Person) -> list[Checkin]:
    return list(
        Checkin.objects.filter(relationship=relationship, respondent=person, status=CheckinStatus.PENDING)
    )


def answered_count_for_pair(*, relationship: Relationship, person: Person) -> int:
    return Checkin.objects.filter(
        relationship=relationship, respondent=person, status=CheckinStatus.ANSWERED
    ).count()
