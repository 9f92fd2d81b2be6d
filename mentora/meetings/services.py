"""Writes for meetings: schedule, reschedule, cancel (one, or all still to come when the pair ends),
log (a scheduled meeting, or one that happened without being scheduled), prepare; calendar feed keys.

Edits carry the `version` the person saw. The write is a conditional update on that version, so
of two tabs editing the same meeting the second is refused (code "stale") instead of silently
overwriting the first; the form keeps what they typed.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.core.refusals import Refusal
from mentora.core.text import control_character_errors, too_long_error
from mentora.meetings.models import (
    MAX_ACTUAL_DURATION_MINUTES,
    MAX_DURATION_MINUTES,
    MIN_DURATION_MINUTES,
    TEXT_LIMIT,
    CalendarFeed,
    Meeting,
    MeetingPrep,
    MeetingStatus,
    new_feed_lookup,
    new_feed_secret,
)
from mentora.people.models import Person
from mentora.relationships.models import Relationship
from mentora.workspace.access import ensure_mentee, ensure_writable

MAX_DAYS_AHEAD = 2 * 366


def _stale() -> ValidationError:
    return ValidationError(
        _(
            "This meeting was changed by someone else while you were editing it. Reload to see their "
            "change; what you typed is still in the form."
        ),
        code="stale",
    )


def _check_duration_and_place(
    errors: dict[str, list[ValidationError]], *, duration_minutes: int, place: str
) -> None:
    """What a scheduled meeting and a logged one both have: a length and a place."""
    if not MIN_DURATION_MINUTES <= duration_minutes <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = [
            Refusal(
                ngettext(
                    "A meeting lasts between %(min)s and %(max)s minute.",
                    "A meeting lasts between %(min)s and %(max)s minutes.",
                    MAX_DURATION_MINUTES,
                )
                % {"min": MIN_DURATION_MINUTES, "max": MAX_DURATION_MINUTES},
                code="bad_range",
            )
        ]
    if too_long := too_long_error(place, limit=Meeting._meta.get_field("place").max_length):
        errors["place"] = [Refusal(too_long, code="too_long")]


def _check_topics_and_rating(
    errors: dict[str, list[ValidationError]], *, topics: str, rating: int | None, happened: bool
) -> None:
    """What logging a meeting records, scheduled or not: its topics and this side's rating."""
    if too_long := too_long_error(topics, limit=TEXT_LIMIT):
        errors["topics"] = [Refusal(too_long, code="too_long")]
    if rating is not None and not (happened and 1 <= rating <= 5):
        errors["rating"] = [Refusal(_("Rate a meeting that happened from 1 to 5."), code="bad_number")]


def _validate_slot(
    *, starts_at: datetime.datetime, duration_minutes: int, place: str, video_url: str
) -> dict:
    errors: dict[str, list[ValidationError]] = {}
    now = timezone.now()
    if timezone.is_naive(starts_at):
        errors["starts_at"] = [Refusal(_("Give the time zone with the date and time."), code="naive")]
    elif starts_at <= now:
        errors["starts_at"] = [
            Refusal(
                _(
                    "This time is in the past. Choose a time from now on, "
                    "or log a meeting that already happened."
                ),
                code="in_past",
            )
        ]
    elif starts_at > now + datetime.timedelta(days=MAX_DAYS_AHEAD):
        errors["starts_at"] = [Refusal(_("Schedule meetings at most two years ahead."), code="too_far")]
    place, video_url = place.strip(), video_url.strip()
    _check_duration_and_place(errors, duration_minutes=duration_minutes, place=place)
    for field, error in control_character_errors(
        single_line={"place": place, "video_url": video_url}
    ).items():
        errors.setdefault(field, [error.message])
    if video_url:
        try:
            URLValidator(schemes=["https", "http"])(video_url)
        except ValidationError:
            errors["video_url"] = [
                Refusal(_("Enter a full web address, starting with https://."), code="bad_url")
            ]
        if too_long := too_long_error(video_url, limit=Meeting._meta.get_field("video_url").max_length):
            errors["video_url"] = [Refusal(too_long, code="too_long")]
    if errors:
        raise ValidationError(errors)
    return {
        "starts_at": starts_at.astimezone(datetime.UTC),
        "duration_minutes": duration_minutes,
        "place": place,
        "video_url": video_url,
    }


def meeting_schedule(
    *,
    relationship: Relationship,
    person: Person,
    starts_at: datetime.datetime,
    duration_minutes: int,
    place: str = "",
    video_url: str = "",
) -> Meeting:
    ensure_writable(relationship=relationship, person=person)
    slot = _validate_slot(
        starts_at=starts_at, duration_minutes=duration_minutes, place=place, video_url=video_url
    )
    return Meeting.objects.create(relationship=relationship, created_by=person, **slot)


def _conditional_update(meeting: Meeting, version: int, **changes) -> Meeting:
    """Write `changes` only if nobody changed the meeting since `version` was read."""
    updated = Meeting.objects.filter(pk=meeting.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if not updated:
        raise _stale()
    meeting.refresh_from_db()
    return meeting


def _ensure_scheduled(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(
            _("This meeting is %(status)s; it can no longer be changed.")
            % {"status": meeting.get_status_display().lower()},
            code="not_scheduled",
        )


def meeting_reschedule(
    *,
    meeting: Meeting,
    person: Person,
    version: int,
    starts_at: datetime.datetime,
    duration_minutes: int,
    place: str = "",
    video_url: str = "",
) -> Meeting:
    ensure_writable(relationship=meeting.relationship, person=person)
    if meeting.version != version:
        raise _stale()
    _ensure_scheduled(meeting)
    slot = _validate_slot(
        starts_at=starts_at, duration_minutes=duration_minutes, place=place, video_url=video_url
    )
    return _conditional_update(meeting, version, sequence=F("sequence") + 1, **slot)


def meeting_cancel(*, meeting: Meeting, person: Person, version: int) -> Meeting:
    ensure_writable(relationship=meeting.relationship, person=person)
    if meeting.version != version:
        raise _stale()
    _ensure_scheduled(meeting)
    return _conditional_update(
        meeting,
        version,
        status=MeetingStatus.CANCELLED,
        cancelled_by=person,
        cancelled_at=timezone.now(),
        sequence=F("sequence") + 1,
    )


def meeting_record_past(
    *,
    relationship: Relationship,
    person: Person,
    starts_at: datetime.datetime,
    duration_minutes: int,
    place: str = "",
    topics: str = "",
    rating: int | None = None,
) -> Meeting:
    """Log a meeting that happened without being scheduled here first (a corridor chat, a call
    arranged by phone): it must lie within the relationship's time, since it started and up to now
    (never in the future, never after the end date)."""
    side = ensure_writable(relationship=relationship, person=person)
    errors: dict[str, list[ValidationError]] = {}
    now = timezone.now()
    if timezone.is_naive(starts_at):
        errors["starts_at"] = [Refusal(_("Give the time zone with the date and time."), code="naive")]
    elif starts_at > now:
        errors["starts_at"] = [
            Refusal(_("This time is still to come: schedule the meeting instead."), code="in_future")
        ]
    elif starts_at.astimezone(datetime.UTC).date() < relationship.started_at.astimezone(datetime.UTC).date():
        errors["starts_at"] = [
            Refusal(_("This is before your relationship started."), code="outside_relationship")
        ]
    elif starts_at.date() > relationship.ends_on:
        errors["starts_at"] = [
            Refusal(_("This is after your relationship's end date."), code="outside_relationship")
        ]
    place, topics = place.strip(), topics.strip()
    _check_duration_and_place(errors, duration_minutes=duration_minutes, place=place)
    _check_topics_and_rating(errors, topics=topics, rating=rating, happened=True)
    for field, error in control_character_errors(
        single_line={"place": place}, multi_line={"topics": topics}
    ).items():
        errors.setdefault(field, [error.message])
    if errors:
        raise ValidationError(errors)
    return Meeting.objects.create(
        relationship=relationship,
        created_by=person,
        starts_at=starts_at.astimezone(datetime.UTC),
        duration_minutes=duration_minutes,
        place=place,
        status=MeetingStatus.HAPPENED,
        actual_duration_minutes=duration_minutes,
        topics=topics,
        logged_at=now,
        **{f"{side}_rating": rating},
    )


def meetings_cancel_upcoming(*, relationship: Relationship, person: Person) -> int:
    """When a relationship ends, its meetings still to come are cancelled, so that both calendars
    drop them (the feed and the .ics say CANCELLED). Returns how many."""
    return Meeting.objects.filter(
        relationship=relationship, status=MeetingStatus.SCHEDULED, starts_at__gt=timezone.now()
    ).update(
        status=MeetingStatus.CANCELLED,
        cancelled_by=person,
        cancelled_at=timezone.now(),
        sequence=F("sequence") + 1,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )


def meeting_log(
    *,
    meeting: Meeting,
    person: Person,
    version: int,
    outcome: str,
    actual_duration_minutes: int | None = None,
    topics: str = "",
    rating: int | None = None,
) -> Meeting:
    """Record afterwards whether the meeting happened, how long, what about, and this side's rating."""
    side = ensure_writable(relationship=meeting.relationship, person=person)
    if meeting.version != version:
        raise _stale()
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            _("This meeting has not started yet: log it afterwards, or cancel it."), code="not_yet"
        )
    errors: dict[str, list[ValidationError]] = {}
    if outcome not in (MeetingStatus.HAPPENED, MeetingStatus.CANCELLED):
        errors["outcome"] = [
            Refusal(_("Say whether the meeting happened or was cancelled."), code="required")
        ]
    happened = outcome == MeetingStatus.HAPPENED
    if actual_duration_minutes is not None and not (
        happened and 1 <= actual_duration_minutes <= MAX_ACTUAL_DURATION_MINUTES
    ):
        errors["actual_duration_minutes"] = [
            Refusal(
                _("Give the actual duration in minutes, from 1 to %(max)s, for a meeting that happened.")
                % {"max": MAX_ACTUAL_DURATION_MINUTES},
                code="bad_number",
            )
        ]
    _check_topics_and_rating(errors, topics=topics, rating=rating, happened=happened)
    for field, error in control_character_errors(multi_line={"topics": topics}).items():
        errors.setdefault(field, [error.message])
    if errors:
        raise ValidationError(errors)
    changes = {
        "status": outcome,
        "actual_duration_minutes": actual_duration_minutes if happened else None,
        "topics": topics.strip(),
        f"{side}_rating": rating if happened else None,
        "logged_at": timezone.now(),
    }
    if outcome != meeting.status:
        changes["sequence"] = F("sequence") + 1
    if outcome == MeetingStatus.CANCELLED and meeting.cancelled_at is None:
        changes.update(cancelled_by=person, cancelled_at=timezone.now())
    return _conditional_update(meeting, version, **changes)


def meeting_prep_save(
    *, meeting: Meeting, person: Person, version: int, agenda: str, questions: str
) -> MeetingPrep:
    """The mentee's agenda and questions. `version` is 0 while no preparation exists yet."""
    ensure_writable(relationship=meeting.relationship, person=person)
    ensure_mentee(
        relationship=meeting.relationship,
        person=person,
        message=_("The mentee prepares the agenda and questions; the mentor reads them."),
    )
    _ensure_scheduled(meeting)
    agenda, questions = agenda.strip(), questions.strip()
    errors = {
        field: [too_long]
        for field, text in (("agenda", agenda), ("questions", questions))
        if (too_long := too_long_error(text, limit=TEXT_LIMIT))
    }
    for field, error in control_character_errors(
        multi_line={"agenda": agenda, "questions": questions}
    ).items():
        errors.setdefault(field, [error.message])
    if errors:
        raise ValidationError(errors)
    if version == 0:
        try:
            with transaction.atomic():
                return MeetingPrep.objects.create(meeting=meeting, agenda=agenda, questions=questions)
        except IntegrityError:
            raise _stale() from None
    updated = MeetingPrep.objects.filter(meeting=meeting, version=version).update(
        agenda=agenda, questions=questions, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise _stale()
    return MeetingPrep.objects.get(meeting=meeting)


def calendar_feed_reset(*, person: Person) -> CalendarFeed:
    """Give the person a new calendar address; the one they had, if any, stops working."""
    feed, _created = CalendarFeed.objects.update_or_create(
        person=person, defaults={"lookup": new_feed_lookup(), "secret": new_feed_secret()}
    )
    return feed
