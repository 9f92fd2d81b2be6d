"""Reads for a program manager's view of single pairs: the at-risk list's rows (each with its last
meeting) and one pair's summary. Dates and counts only: never a note, a goal's content, a check-in
answer or the pair's agreement."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q
from django.http import Http404
from django.utils import timezone

from mentora.checkins.models import Checkin, CheckinStatus
from mentora.checkins.selectors import AtRiskPair, RiskReason, at_risk_pairs
from mentora.goals.models import GoalStatus
from mentora.meetings.models import Meeting, MeetingStatus
from mentora.programs.models import Program
from mentora.relationships.models import Relationship


@dataclass(frozen=True)
class AtRiskRow:
    pair: AtRiskPair
    last_met_at: datetime | None  # the latest meeting that started and was not cancelled


def at_risk_rows(*, program: Program, now: datetime | None = None) -> list[AtRiskRow]:
    """The at-risk list with each pair's last meeting, in one more query for the whole list."""
    now = now or timezone.now()
    pairs = at_risk_pairs(program=program, now=now)
    last_met = last_meetings(relationship_ids=[pair.relationship.pk for pair in pairs], now=now)
    return [AtRiskRow(pair=pair, last_met_at=last_met.get(pair.relationship.pk)) for pair in pairs]


def last_meetings(*, relationship_ids: list[int], now: datetime) -> dict[int, datetime]:
    """Each relationship's latest meeting that had started by `now` and was not cancelled, in one query."""
    return dict(
        Meeting.objects.filter(relationship_id__in=relationship_ids, starts_at__lte=now)
        .exclude(status=MeetingStatus.CANCELLED)
        .values("relationship_id")
        .annotate(last=Max("starts_at"))
        .values_list("relationship_id", "last")
    )


@dataclass(frozen=True)
class PairSummary:
    """What a program manager may know of one pair: dates, counts and the at-risk signs, never a
    note, a goal's content, a check-in answer or the pair's agreement."""

    relationship: Relationship
    meetings_held: int
    last_met_at: datetime | None
    next_meeting_at: datetime | None
    open_goals: int
    achieved_goals: int
    checkins_answered: int
    checkins_pending: int
    reasons: list[str]

    @property
    def reason_labels(self) -> list[str]:
        return [str(RiskReason.LABELS[reason]) for reason in self.reasons]


def pair_summary(*, program: Program, relationship_id: int, now: datetime | None = None) -> PairSummary:
    """The summary of one of the program's relationships (404 for any other id)."""
    now = now or timezone.now()
    relationship = (
        Relationship.objects.filter(pk=relationship_id, program=program)
        .select_related("mentor", "mentee")
        .first()
    )
    if relationship is None:
        raise Http404
    meetings = Meeting.objects.filter(relationship=relationship).exclude(status=MeetingStatus.CANCELLED)
    held = meetings.filter(starts_at__lte=now).aggregate(count=Count("pk"), last=Max("starts_at"))
    goals = relationship.goals.aggregate(
        open=Count("pk", filter=Q(status=GoalStatus.OPEN)),
        achieved=Count("pk", filter=Q(status=GoalStatus.ACHIEVED)),
    )
    checkins = Checkin.objects.filter(relationship=relationship).aggregate(
        answered=Count("pk", filter=Q(status=CheckinStatus.ANSWERED)),
        pending=Count("pk", filter=Q(status=CheckinStatus.PENDING)),
    )
    flagged = next(
        (pair for pair in at_risk_pairs(program=program, now=now) if pair.relationship.pk == relationship.pk),
        None,
    )
    return PairSummary(
        relationship=relationship,
        meetings_held=held["count"],
        last_met_at=held["last"],
        next_meeting_at=meetings.filter(starts_at__gt=now, status=MeetingStatus.SCHEDULED)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first(),
        open_goals=goals["open"],
        achieved_goals=goals["achieved"],
        checkins_answered=checkins["answered"],
        checkins_pending=checkins["pending"],
        reasons=flagged.reasons if flagged else [],
    )
