"""Reads for check-ins.

Privacy: an answer is read by its author alone. `checkin_get_for_respondent` answers 404 to
anyone else (the partner included). Program managers read:

- `program_checkin_aggregates`: the figures published per closed period (whole calendar months
  holding at least MIN_AGGREGATE_GROUP answers, `services.checkin_periods_publish`), frozen once
  published, with small cells hidden in every breakdown (`core.privacy.hidden_cells`). The open
  month is never shown, so reading, letting one person answer and reading again shows the same
  figures; only how many check-ins were sent and answered is live.
- `at_risk_pairs`: pairs flagged only from what is the manager's to see (no meeting for a while, a
  check-in overdue) or because a respondent chose "tell the program manager" in their answer.
  No other part of an answer flags a pair: a low score would name the pair right after one answer.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentora.checkins.models import (
    Checkin,
    CheckinAnswer,
    CheckinKind,
    CheckinPeriodFigures,
    CheckinSchedule,
    CheckinStatus,
    EndSurveyAnswer,
    MeetingFrequency,
)
from mentora.core.privacy import MIN_AGGREGATE_GROUP
from mentora.meetings.models import Meeting, MeetingStatus
from mentora.people.models import Person
from mentora.programs.models import Program
from mentora.relationships.models import Relationship, RelationshipStatus

SIDE_LABELS = {"mentor": _("Mentors"), "mentee": _("Mentees")}


def schedule_for(*, program: Program) -> CheckinSchedule:
    """The program's settings, or the defaults (unsaved) when the manager never changed them."""
    return CheckinSchedule.objects.filter(program=program).first() or CheckinSchedule(program=program)


def _with_overdue_after_days(checkins: QuerySet) -> QuerySet:
    """Each check-in with its program's `overdue_after_days` (the default when never set)."""
    default = CheckinSchedule._meta.get_field("overdue_after_days").default
    return checkins.annotate(
        overdue_after_days=Coalesce(
            "relationship__program__checkin_schedule__overdue_after_days", Value(default)
        )
    )


def _is_overdue(*, due_on: date, overdue_after_days: int, today: date) -> bool:
    """Unanswered more than the program's `overdue_after_days` after its due date: the one rule of
    the respondent's pages, the reminders and the at-risk list."""
    return (today - due_on).days > overdue_after_days


def _marked_overdue(checkins: QuerySet, today: date | None = None) -> list[Checkin]:
    """The check-ins, each with `overdue` (`_is_overdue` while still pending)."""
    today = today or timezone.localdate()
    checkins = list(_with_overdue_after_days(checkins))
    for checkin in checkins:
        checkin.overdue = checkin.status == CheckinStatus.PENDING and _is_overdue(
            due_on=checkin.due_on, overdue_after_days=checkin.overdue_after_days, today=today
        )
    return checkins


def checkins_to_remind(*, today: date) -> list[list]:
    """Every unanswered check-in of an active pair as [id, overdue], in one query (the sweep's read)."""
    pending = _with_overdue_after_days(
        Checkin.objects.filter(status=CheckinStatus.PENDING, relationship__status=RelationshipStatus.ACTIVE)
    ).order_by("pk")
    return [
        [pk, _is_overdue(due_on=due_on, overdue_after_days=days, today=today)]
        for pk, due_on, days in pending.values_list("pk", "due_on", "overdue_after_days")
    ]


def checkins_pending_for(*, person: Person | None, today: date | None = None) -> list[Checkin]:
    """A person's unanswered check-ins, soonest due first, each marked `overdue` or not, with the
    pair's names and the program's name (not the people's profiles: every page showing this list
    is a signed-in page's, and their columns made most of its CPU; docs/performance.md)."""
    if person is None:
        return []
    return _marked_overdue(
        Checkin.objects.filter(respondent=person, status=CheckinStatus.PENDING)
        .select_related("relationship__program", "relationship__mentor", "relationship__mentee")
        .only(
            "respondent_id",
            "kind",
            "due_on",
            "status",
            "issued_at",
            "answered_at",
            "relationship__program__name",
            "relationship__mentor__full_name",
            "relationship__mentee__full_name",
        )
        .order_by("due_on", "id"),
        today,
    )


def checkin_get_for_respondent(*, person: Person | None, checkin_id: int) -> Checkin:
    """The check-in (marked `overdue` or not) if the person is its respondent; 404 for everyone
    else (partner included)."""
    checkins = _marked_overdue(
        Checkin.objects.filter(pk=checkin_id, respondent_id=person.pk if person else -1).select_related(
            "relationship__program", "relationship__mentor", "relationship__mentee"
        )
    )
    if not checkins:
        raise Http404
    return checkins[0]


def my_answer(*, checkin: Checkin) -> CheckinAnswer | EndSurveyAnswer | None:
    """Only ever called with a check-in obtained through `checkin_get_for_respondent`. The
    end-of-cycle survey has its own answer shape."""
    model = EndSurveyAnswer if checkin.kind == CheckinKind.END else CheckinAnswer
    return model.objects.filter(checkin=checkin).first()


# ---------------------------------------------------------------------------------- aggregates


@dataclass(frozen=True)
class Cell:
    answers: int
    usefulness_mean: float | None


@dataclass(frozen=True)
class PeriodFigures:
    """One published period. Breakdowns are keyed by answer code; None marks a hidden cell."""

    starts_on: date
    ends_on: date  # excluded
    answers: int
    usefulness_mean: float
    frequency: dict[MeetingFrequency, int | None]
    with_blockers: int | None
    by_side: dict[str, Cell | None]
    by_kind: dict[CheckinKind, Cell | None]

    @property
    def last_day(self) -> date:
        return self.ends_on - timedelta(days=1)

    @property
    def frequency_rows(self) -> list[tuple[str, int | None]]:
        return [(str(label), self.frequency.get(code)) for code, label in MeetingFrequency.choices]

    @property
    def side_rows(self) -> list[tuple[str, Cell | None]]:
        return [(str(label), self.by_side.get(code)) for code, label in SIDE_LABELS.items()]

    @property
    def kind_rows(self) -> list[tuple[str, Cell | None]]:
        return [(str(label), self.by_kind.get(code)) for code, label in CheckinKind.choices]


@dataclass(frozen=True)
class CheckinAggregates:
    min_group_size: int
    issued: int
    answered: int
    periods: list[PeriodFigures]  # newest first

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.issued if self.issued else None


def _cells(raw: dict) -> dict[str, Cell | None]:
    return {code: Cell(**cell) if cell is not None else None for code, cell in raw.items()}


def program_checkin_aggregates(*, program: Program) -> CheckinAggregates:
    """Live counts of check-ins sent and answered; answers only through published periods."""
    counts = Checkin.objects.filter(relationship__program=program).aggregate(
        issued=Count("pk"), answered=Count("pk", filter=Q(status=CheckinStatus.ANSWERED))
    )
    periods = [
        PeriodFigures(
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            answers=row.answers,
            usefulness_mean=row.usefulness_mean,
            frequency=row.figures["frequency"],
            with_blockers=row.figures["with_blockers"],
            by_side=_cells(row.figures["by_side"]),
            by_kind=_cells(row.figures["by_kind"]),
        )
        for row in CheckinPeriodFigures.objects.filter(program=program).order_by("-starts_on")
    ]
    return CheckinAggregates(MIN_AGGREGATE_GROUP, counts["issued"], counts["answered"], periods)


# ---------------------------------------------------------------------------------- at-risk pairs


class RiskReason:
    HELP_REQUESTED = "help_requested"
    SILENT = "silent"
    OVERDUE_CHECKIN = "overdue_checkin"

    LABELS = {
        HELP_REQUESTED: _("Asked the program manager for help"),
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
        _meetings_between(start=start, end=end)
        .filter(relationship_id__in=relationship_ids)
        .values_list("relationship_id", flat=True)
    )


def _meetings_between(*, start: datetime, end: datetime) -> QuerySet[Meeting]:
    return Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end).exclude(
        status=MeetingStatus.CANCELLED
    )


def silent_relationships(*, relationships: list[Relationship], weeks: int, now: datetime) -> set[int]:
    """Pairs older than `weeks` with no meeting in the last `weeks` weeks."""
    since = now - timedelta(weeks=weeks)
    old_enough = [r.pk for r in relationships if r.started_at and r.started_at <= since]
    if not old_enough:
        return set()
    return set(old_enough) - relationships_met_between(relationship_ids=old_enough, start=since, end=now)


@dataclass(frozen=True)
class SilentPair:
    relationship_id: int
    weeks: int
    started_at: datetime


def silent_pairs_everywhere(*, now: datetime) -> list[SilentPair]:
    """Every active pair that is silent by its own program's `silent_after_weeks` (the rule of
    `silent_relationships`), for the reminders sweep: one query per distinct setting, none per pair."""
    default = CheckinSchedule._meta.get_field("silent_after_weeks").default
    active = Relationship.objects.filter(status=RelationshipStatus.ACTIVE, started_at__isnull=False).annotate(
        silent_after_weeks=Coalesce("program__checkin_schedule__silent_after_weeks", Value(default))
    )
    settings = sorted(set(active.order_by().values_list("silent_after_weeks", flat=True).distinct()))
    silent = []
    for weeks in settings:
        since = now - timedelta(weeks=weeks)
        met = _meetings_between(start=since, end=now).filter(relationship_id=OuterRef("pk"))
        silent += [
            SilentPair(relationship_id=pk, weeks=weeks, started_at=started_at)
            for pk, started_at in active.filter(silent_after_weeks=weeks, started_at__lte=since)
            .exclude(Exists(met))
            .order_by("pk")
            .values_list("pk", "started_at")
        ]
    return silent


# The at-risk page lists this many pairs a page.
AT_RISK_PER_PAGE = 50


def at_risk_pairs(*, program: Program, now: datetime | None = None) -> list[AtRiskPair]:
    """Active pairs showing a sign of marginal mentoring, with the reason categories only: a help
    request its respondent chose to send, no meeting for a while, a check-in overdue."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    schedule = schedule_for(program=program)
    relationships = list(
        Relationship.objects.filter(program=program, status=RelationshipStatus.ACTIVE)
        .select_related("mentor", "mentee")
        .order_by("mentee__full_name", "pk")
    )
    flagged: dict[int, AtRiskPair] = {r.pk: AtRiskPair(relationship=r) for r in relationships}

    # A respondent's latest answer decides: asking for help once does not flag the pair forever.
    latest: dict[tuple[int, int], bool] = {}
    for relationship_id, respondent_id, asked in (
        CheckinAnswer.objects.filter(checkin__relationship__in=relationships)
        .order_by("checkin__answered_at", "pk")
        .values_list("checkin__relationship_id", "checkin__respondent_id", "tell_program_manager")
    ):
        latest[(relationship_id, respondent_id)] = asked
    for (relationship_id, _respondent), asked in latest.items():
        if asked and RiskReason.HELP_REQUESTED not in flagged[relationship_id].reasons:
            flagged[relationship_id].reasons.append(RiskReason.HELP_REQUESTED)

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


def at_risk_count(*, program: Program, now: datetime | None = None) -> int:
    return len(at_risk_pairs(program=program, now=now))


def pending_checkin_for_pair(*, relationship: Relationship, person: Person) -> list[Checkin]:
    return _marked_overdue(
        Checkin.objects.filter(relationship=relationship, respondent=person, status=CheckinStatus.PENDING)
    )


def answered_count_for_pair(*, relationship: Relationship, person: Person) -> int:
    return Checkin.objects.filter(
        relationship=relationship, respondent=person, status=CheckinStatus.ANSWERED
    ).count()
