"""Writes for check-ins: program settings, issuing due surveys, answering.

Issuing is idempotent: a check-in is unique per (relationship, respondent, kind, due date), so a
second sweep on the same day inserts nothing.
"""

from datetime import UTC, date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentora.agreements.selectors import relationship_end_dates
from mentora.checkins.models import (
    BLOCKERS_LIMIT,
    MAX_CADENCE_WEEKS,
    Checkin,
    CheckinAnswer,
    CheckinKind,
    CheckinSchedule,
    CheckinStatus,
    MeetingFrequency,
)
from mentora.checkins.selectors import schedule_for
from mentora.core.text import control_character_errors
from mentora.people.models import Person
from mentora.programs.models import Program
from mentora.relationships.models import Relationship, RelationshipStatus

END_SURVEY_LEAD = timedelta(days=7)


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
        errors["cadence_weeks"] = _("Choose between 1 and %(max)d weeks.") % {"max": MAX_CADENCE_WEEKS}
    if not 1 <= silent_after_weeks <= MAX_CADENCE_WEEKS:
        errors["silent_after_weeks"] = _("Choose between 1 and %(max)d weeks.") % {"max": MAX_CADENCE_WEEKS}
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
def checkins_issue_due(*, today: date | None = None) -> int:
    """Ask each side of every active pair the check-ins that are due. Returns how many are new.

    One pulse per period (a missed period is not backfilled: older unanswered pulses become
    "missed"); the mid-point and end-of-cycle surveys are asked once per relationship.
    """
    today = today or timezone.localdate()
    relationships = list(
        Relationship.objects.filter(status=RelationshipStatus.ACTIVE).select_related("program")
    )
    if not relationships:
        return 0
    ends = relationship_end_dates(relationships=relationships)
    schedules: dict[int, CheckinSchedule] = {}
    once = set(
        Checkin.objects.filter(
            relationship__in=relationships, kind__in=[CheckinKind.MIDPOINT, CheckinKind.END]
        ).values_list("relationship_id", "respondent_id", "kind")
    )
    rows = []
    for relationship in relationships:
        if relationship.program_id not in schedules:
            schedules[relationship.program_id] = schedule_for(program=relationship.program)
        for kind, due_on in _due_for(
            relationship, schedules[relationship.program_id], ends[relationship.pk], today
        ):
            for respondent_id in (relationship.mentor_id, relationship.mentee_id):
                if kind != CheckinKind.PULSE and (relationship.pk, respondent_id, kind) in once:
                    continue
                rows.append(
                    Checkin(relationship=relationship, respondent_id=respondent_id, kind=kind, due_on=due_on)
                )
    before = Checkin.objects.count()
    Checkin.objects.bulk_create(rows, ignore_conflicts=True)
    created = Checkin.objects.count() - before
    _expire_superseded_pulses(relationships)
    return created


def _expire_superseded_pulses(relationships: list[Relationship]) -> None:
    latest: dict[tuple[int, int], date] = {}
    for relationship_id, respondent_id, due_on in Checkin.objects.filter(
        relationship__in=relationships, kind=CheckinKind.PULSE
    ).values_list("relationship_id", "respondent_id", "due_on"):
        key = (relationship_id, respondent_id)
        latest[key] = max(latest.get(key, due_on), due_on)
    stale = [
        pk
        for pk, relationship_id, respondent_id, due_on in Checkin.objects.filter(
            relationship__in=relationships, kind=CheckinKind.PULSE, status=CheckinStatus.PENDING
        ).values_list("pk", "relationship_id", "respondent_id", "due_on")
        if due_on < latest[(relationship_id, respondent_id)]
    ]
    Checkin.objects.filter(pk__in=stale, status=CheckinStatus.PENDING).update(status=CheckinStatus.MISSED)


def checkins_lapse_for_relationship(*, relationship: Relationship) -> None:
    """When a relationship stops, its unanswered pulses and mid-point survey lapse."""
    Checkin.objects.filter(
        relationship=relationship,
        status=CheckinStatus.PENDING,
        kind__in=[CheckinKind.PULSE, CheckinKind.MIDPOINT],
    ).update(status=CheckinStatus.MISSED)


def checkins_close_for_relationship(*, relationship: Relationship, today: date) -> None:
    """At closure: unanswered pulses and the mid-point lapse; the end-of-cycle survey is asked
    (once) and stays answerable after closing."""
    checkins_lapse_for_relationship(relationship=relationship)
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
    if len(blockers) > BLOCKERS_LIMIT:
        errors["blockers"] = _("Keep this under %(limit)d characters (it has %(length)d).") % {
            "limit": BLOCKERS_LIMIT,
            "length": len(blockers),
        }
    for field, error in control_character_errors(multi_line={"blockers": blockers}).items():
        errors.setdefault(field, error.message)
    if errors:
        raise ValidationError(errors)
    return usefulness, meeting_frequency, blockers


@transaction.atomic
def checkin_answer(
    *, checkin: Checkin, person: Person, usefulness: int, meeting_frequency: str, blockers: str = ""
) -> CheckinAnswer:
    """Answer my own check-in, once. Only its respondent may; the answer stays private to them."""
    if checkin.respondent_id != person.pk:
        raise PermissionDenied(_("You can only answer your own check-ins."))
    usefulness, meeting_frequency, blockers = _clean_answer(usefulness, meeting_frequency, blockers)
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
    return CheckinAnswer.objects.create(
        checkin=checkin, usefulness=usefulness, meeting_frequency=meeting_frequency, blockers=blockers
    )
