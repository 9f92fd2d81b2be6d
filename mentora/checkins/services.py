"""Writes for check-ins: program settings, issuing due surveys, answering, publishing figures.

Issuing is idempotent: a check-in is unique per (relationship, respondent, kind, due date), so a
second sweep on the same day inserts nothing.
"""

from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.checkins.models import (
    BLOCKERS_LIMIT,
    MAX_CADENCE_WEEKS,
    Checkin,
    CheckinAnswer,
    CheckinKind,
    CheckinPeriodFigures,
    CheckinSchedule,
    CheckinStatus,
    EndSurveyAnswer,
    GoalsAchieved,
    MeetingFrequency,
)
from mentora.checkins.selectors import schedule_for
from mentora.core.privacy import MIN_AGGREGATE_GROUP, hidden_cells
from mentora.core.text import control_character_errors, too_long_error
from mentora.organisations.models import Organisation
from mentora.people.models import Person
from mentora.programs.models import Program
from mentora.relationships.models import Relationship, RelationshipStatus

END_SURVEY_LEAD = timedelta(days=7)
# The sweep reads active pairs this many at a time and inserts check-ins in batches of this many.
ISSUE_READ_CHUNK = 2000
ISSUE_WRITE_BATCH = 1000


def checkin_schedule_update(
    *,
    program: Program,
    enabled: bool,
    cadence_weeks: int,
    midpoint_survey: bool,
    end_survey: bool,
    silent_after_weeks: int,
    overdue_after_days: int,
) -> CheckinSchedule:
    errors = {}
    if not 1 <= cadence_weeks <= MAX_CADENCE_WEEKS:
        errors["cadence_weeks"] = ngettext(
            "Choose between 1 and %(max)d week.", "Choose between 1 and %(max)d weeks.", MAX_CADENCE_WEEKS
        ) % {"max": MAX_CADENCE_WEEKS}
    if not 1 <= silent_after_weeks <= MAX_CADENCE_WEEKS:
        errors["silent_after_weeks"] = ngettext(
            "Choose between 1 and %(max)d week.", "Choose between 1 and %(max)d weeks.", MAX_CADENCE_WEEKS
        ) % {"max": MAX_CADENCE_WEEKS}
    if not 1 <= overdue_after_days <= 60:
        errors["overdue_after_days"] = _("Choose between 1 and 60 days.")
    if errors:
        raise ValidationError(errors)
    schedule, _created = CheckinSchedule.objects.update_or_create(
        program=program,
        defaults={
            "enabled": enabled,
            "cadence_weeks": cadence_weeks,
            "midpoint_survey": midpoint_survey,
            "end_survey": end_survey,
            "silent_after_weeks": silent_after_weeks,
            "overdue_after_days": overdue_after_days,
        },
    )
    return schedule


def _due_for(relationship: Relationship, schedule: CheckinSchedule, ends_on: date, today: date):
    """(kind, due date) pairs this relationship should have been asked by today."""
    start = relationship.started_at.astimezone(UTC).date() if relationship.started_at else today
    due = []
    if schedule.enabled:
        periods = (today - start).days // (7 * schedule.cadence_weeks)
        if periods >= 1:
            due.append((CheckinKind.PULSE, start + timedelta(weeks=periods * schedule.cadence_weeks)))
    if schedule.midpoint_survey and ends_on > start:
        midpoint = start + (ends_on - start) / 2
        if today >= midpoint:
            due.append((CheckinKind.MIDPOINT, midpoint))
    if schedule.end_survey and today >= ends_on - END_SURVEY_LEAD:
        due.append((CheckinKind.END, ends_on))
    return due


@transaction.atomic
def checkins_issue_due(*, today: date | None = None, organisation: Organisation | None = None) -> int:
    """Ask each side of every active pair the check-ins that are due. Returns how many are new.

    One pulse per period (a missed period is not backfilled: older unanswered pulses become
    "missed"); the mid-point and end-of-cycle surveys are asked once per relationship. The worker
    sweeps every organisation; `organisation` keeps a sweep to one (the demo loader replays its own
    past without touching anyone else's pairs).

    A fixed number of queries however many pairs there are: the due dates are worked out from one
    read of the active pairs, compared with one read of the check-ins they could clash with, and
    the missing ones inserted in bulk.
    """
    today = today or timezone.localdate()
    active = Relationship.objects.filter(status=RelationshipStatus.ACTIVE)
    if organisation is not None:
        active = active.filter(program__organisation=organisation)
    schedules = {
        schedule.program_id: schedule
        for schedule in CheckinSchedule.objects.filter(program__in=active.values("program_id"))
    }
    due: dict[tuple[int, int, str, date], Checkin] = {}
    pairs = active.only("pk", "program_id", "mentor_id", "mentee_id", "started_at", "ends_on")
    for relationship in pairs.iterator(chunk_size=ISSUE_READ_CHUNK):
        schedule = schedules.get(relationship.program_id) or CheckinSchedule(
            program_id=relationship.program_id
        )
        for kind, due_on in _due_for(relationship, schedule, relationship.ends_on, today):
            for respondent_id in (relationship.mentor_id, relationship.mentee_id):
                due[(relationship.pk, respondent_id, kind, due_on)] = Checkin(
                    relationship_id=relationship.pk, respondent_id=respondent_id, kind=kind, due_on=due_on
                )
    if not due:
        return 0
    # A pulse is new unless one with the same due date exists; a mid-point or end survey is asked
    # once, whatever its date (a changed end date moves it).
    earliest_pulse = min((key[3] for key in due if key[2] == CheckinKind.PULSE), default=today)
    asked = Checkin.objects.filter(relationship__in=active).filter(
        Q(kind__in=[CheckinKind.MIDPOINT, CheckinKind.END])
        | Q(kind=CheckinKind.PULSE, due_on__gte=earliest_pulse)
    )
    pulses_asked, surveys_asked = set(), set()
    for key in asked.values_list("relationship_id", "respondent_id", "kind", "due_on"):
        if key[2] == CheckinKind.PULSE:
            pulses_asked.add(key)
        else:
            surveys_asked.add(key[:3])
    new = [
        checkin
        for key, checkin in due.items()
        if (key not in pulses_asked if key[2] == CheckinKind.PULSE else key[:3] not in surveys_asked)
    ]
    # The unique constraint keeps a concurrent sweep's rows from doubling these.
    Checkin.objects.bulk_create(new, ignore_conflicts=True, batch_size=ISSUE_WRITE_BATCH)
    _expire_superseded_pulses(active)
    return len(new)


def _expire_superseded_pulses(relationships: QuerySet[Relationship]) -> None:
    """An unanswered pulse is missed once a later one was asked of the same person (one UPDATE)."""
    later = Checkin.objects.filter(
        relationship_id=OuterRef("relationship_id"),
        respondent_id=OuterRef("respondent_id"),
        kind=CheckinKind.PULSE,
        due_on__gt=OuterRef("due_on"),
    )
    Checkin.objects.filter(
        relationship__in=relationships, kind=CheckinKind.PULSE, status=CheckinStatus.PENDING
    ).filter(Exists(later)).update(status=CheckinStatus.MISSED)


def checkins_lapse_for_relationship(*, relationship: Relationship) -> None:
    """When a relationship stops, its unanswered pulses and mid-point survey lapse."""
    Checkin.objects.filter(
        relationship=relationship,
        status=CheckinStatus.PENDING,
        kind__in=[CheckinKind.PULSE, CheckinKind.MIDPOINT],
    ).update(status=CheckinStatus.MISSED)


def checkins_ask_end_survey(*, relationship: Relationship, today: date) -> None:
    """At a closure the end-of-cycle survey is asked (once, if the program has one); it stays
    answerable after closing."""
    if not schedule_for(program=relationship.program).end_survey:
        return
    asked = set(
        Checkin.objects.filter(relationship=relationship, kind=CheckinKind.END).values_list(
            "respondent_id", flat=True
        )
    )
    Checkin.objects.bulk_create(
        [
            Checkin(
                relationship=relationship, respondent_id=respondent_id, kind=CheckinKind.END, due_on=today
            )
            for respondent_id in (relationship.mentor_id, relationship.mentee_id)
            if respondent_id not in asked
        ],
        ignore_conflicts=True,
    )


def _clean_answer(usefulness, meeting_frequency, blockers) -> tuple[int, str, str]:
    errors = {}
    if isinstance(usefulness, bool) or not isinstance(usefulness, int) or not 1 <= usefulness <= 5:
        errors["usefulness"] = _("Choose a number from 1 to 5.")
    if meeting_frequency not in MeetingFrequency.values:
        errors["meeting_frequency"] = _("Choose one of the options.")
    blockers = (blockers or "").strip()
    if too_long := too_long_error(blockers, limit=BLOCKERS_LIMIT):
        errors["blockers"] = too_long
    for field, error in control_character_errors(multi_line={"blockers": blockers}).items():
        errors.setdefault(field, error.message)
    if errors:
        raise ValidationError(errors)
    return usefulness, meeting_frequency, blockers


def _claim(checkin: Checkin) -> None:
    """Mark my own check-in answered, once (a conditional update: two tabs cannot both answer)."""
    relationship = Relationship.objects.get(pk=checkin.relationship_id)  # its status now
    if relationship.status != RelationshipStatus.ACTIVE and checkin.kind != CheckinKind.END:
        raise ValidationError(
            _("This relationship has ended; this check-in can no longer be answered."), code="not_pending"
        )
    claimed = Checkin.objects.filter(pk=checkin.pk, status=CheckinStatus.PENDING).update(
        status=CheckinStatus.ANSWERED, answered_at=timezone.now()
    )
    if not claimed:
        checkin.refresh_from_db()
        if checkin.status == CheckinStatus.ANSWERED:
            raise ValidationError(_("You have already answered this check-in."), code="already_answered")
        raise ValidationError(_("This check-in is closed and can no longer be answered."), code="not_pending")


def _ensure_respondent(checkin: Checkin, person: Person, *, end: bool) -> None:
    if checkin.respondent_id != person.pk:
        raise PermissionDenied(_("You can only answer your own check-ins."))
    if end != (checkin.kind == CheckinKind.END):
        message = (
            _("Only the end-of-cycle survey asks these questions.")
            if end
            else _("The end-of-cycle survey has its own questions.")
        )
        raise ValidationError(message, code="wrong_survey")


@transaction.atomic
def checkin_answer(
    *,
    checkin: Checkin,
    person: Person,
    usefulness: int,
    meeting_frequency: str,
    blockers: str = "",
    tell_program_manager: bool = False,
) -> CheckinAnswer:
    """Answer my own pulse or mid-point check-in, once. Only its respondent may; the answer stays
    private to them, except that, if they chose to, the program manager sees that their pair would
    like help."""
    _ensure_respondent(checkin, person, end=False)
    usefulness, meeting_frequency, blockers = _clean_answer(usefulness, meeting_frequency, blockers)
    _claim(checkin)
    return CheckinAnswer.objects.create(
        checkin=checkin,
        usefulness=usefulness,
        meeting_frequency=meeting_frequency,
        blockers=blockers,
        tell_program_manager=tell_program_manager,
    )


@transaction.atomic
def checkin_answer_end(
    *,
    checkin: Checkin,
    person: Person,
    usefulness: int,
    goals_achieved: str,
    would_recommend: bool,
    what_helped: str = "",
    what_to_change: str = "",
) -> EndSurveyAnswer:
    """Answer my own end-of-cycle survey, once, with its own questions: overall usefulness, goals
    achieved, would I recommend it, what helped, what should change. Private to me."""
    _ensure_respondent(checkin, person, end=True)
    errors = {}
    if isinstance(usefulness, bool) or not isinstance(usefulness, int) or not 1 <= usefulness <= 5:
        errors["usefulness"] = _("Choose a number from 1 to 5.")
    if goals_achieved not in GoalsAchieved.values:
        errors["goals_achieved"] = _("Choose one of the options.")
    if not isinstance(would_recommend, bool):
        errors["would_recommend"] = _("Say yes or no.")
    texts = {"what_helped": (what_helped or "").strip(), "what_to_change": (what_to_change or "").strip()}
    for field, text in texts.items():
        if too_long := too_long_error(text, limit=BLOCKERS_LIMIT):
            errors[field] = too_long
    for field, error in control_character_errors(multi_line=texts).items():
        errors.setdefault(field, error.message)
    if errors:
        raise ValidationError(errors)
    _claim(checkin)
    return EndSurveyAnswer.objects.create(
        checkin=checkin,
        usefulness=usefulness,
        goals_achieved=goals_achieved,
        would_recommend=would_recommend,
        **texts,
    )


# ---------------------------------------------------------------------------------- published figures


def _month_start(moment: datetime) -> date:
    return moment.astimezone(UTC).date().replace(day=1)


def _next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _cells(values: dict[str, list[int]]) -> dict[str, dict | None]:
    """Count and mean usefulness per cell; hidden cells (core.privacy) are None."""
    hidden = hidden_cells({code: len(scores) for code, scores in values.items()})
    return {
        code: None
        if code in hidden
        else {"answers": len(scores), "usefulness_mean": sum(scores) / len(scores) if scores else None}
        for code, scores in values.items()
    }


def _figures(rows: list[tuple]) -> dict:
    """rows: (usefulness, meeting_frequency, blockers, kind, respondent_id, mentor_id)."""
    frequency = {code: sum(1 for row in rows if row[1] == code) for code in MeetingFrequency.values}
    hidden_frequency = hidden_cells(frequency)
    blocked = sum(1 for row in rows if row[2])
    sides: dict[str, list[int]] = {"mentor": [], "mentee": []}
    kinds: dict[str, list[int]] = {code: [] for code in CheckinKind.values}
    for usefulness, _frequency, _blockers, kind, respondent_id, mentor_id in rows:
        sides["mentor" if respondent_id == mentor_id else "mentee"].append(usefulness)
        kinds[kind].append(usefulness)
    return {
        "frequency": {code: None if code in hidden_frequency else n for code, n in frequency.items()},
        "with_blockers": None if hidden_cells({"with": blocked, "without": len(rows) - blocked}) else blocked,
        "by_side": _cells(sides),
        "by_kind": _cells(kinds),
    }


def _unpublished_answers(program: Program, open_since: date) -> tuple[date | None, QuerySet[CheckinAnswer]]:
    """The end of the last published period, and the answers of the closed months after it."""
    published_until = (
        CheckinPeriodFigures.objects.filter(program=program)
        .order_by("-ends_on")
        .values_list("ends_on", flat=True)
        .first()
    )
    answers = CheckinAnswer.objects.filter(
        checkin__relationship__program=program, checkin__answered_at__lt=_midnight(open_since)
    )
    if published_until is not None:
        answers = answers.filter(checkin__answered_at__gte=_midnight(published_until))
    return published_until, answers


def checkin_periods_publish(*, program: Program, now: datetime | None = None) -> list[CheckinPeriodFigures]:
    """Publish the program's answers received in closed calendar months (UTC), once a run of months
    since the last published period holds at least MIN_AGGREGATE_GROUP answers. Published figures
    are never recomputed, and answers received after a period was published fall into a later one.

    Called before managers read the figures: the first read after a month closes publishes it.
    """
    open_since = _month_start(now or timezone.now())
    # Most reads find too few unpublished answers for any period: they count them without the lock
    # (a publisher only makes that count smaller), so that managers' page views never queue on it.
    if _unpublished_answers(program, open_since)[1].count() < MIN_AGGREGATE_GROUP:
        return []
    return _periods_publish(program=program, open_since=open_since)


@transaction.atomic
def _periods_publish(*, program: Program, open_since: date) -> list[CheckinPeriodFigures]:
    Program.objects.select_for_update().filter(pk=program.pk).exists()  # one publisher at a time
    published_until, answers = _unpublished_answers(program, open_since)
    by_month: dict[date, list[tuple]] = {}
    for answered_at, *row in answers.order_by("checkin__answered_at", "pk").values_list(
        "checkin__answered_at",
        "usefulness",
        "meeting_frequency",
        "blockers",
        "checkin__kind",
        "checkin__respondent_id",
        "checkin__relationship__mentor_id",
    ):
        by_month.setdefault(_month_start(answered_at), []).append(tuple(row))
    periods, pending, starts_on = [], [], published_until
    for month, rows in sorted(by_month.items()):
        starts_on = starts_on or month
        pending += rows
        if len(pending) >= MIN_AGGREGATE_GROUP:
            periods.append(
                CheckinPeriodFigures(
                    program=program,
                    starts_on=starts_on,
                    ends_on=_next_month(month),
                    answers=len(pending),
                    usefulness_mean=sum(row[0] for row in pending) / len(pending),
                    figures=_figures(pending),
                )
            )
            starts_on, pending = _next_month(month), []
    return CheckinPeriodFigures.objects.bulk_create(periods)
