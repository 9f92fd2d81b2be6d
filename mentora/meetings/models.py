"""A pair's meetings: scheduled in UTC, prepared by the mentee, logged afterwards.

Writes go through `mentora.meetings.services`; reads through `mentora.meetings.selectors`.
`version` guards against two tabs overwriting each other; `sequence` is the iCalendar SEQUENCE,
raised whenever the event changes for a calendar (time, place, cancellation).
"""

import datetime
import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from mentora.people.models import Person
from mentora.relationships.models import Relationship

MIN_DURATION_MINUTES = 15
MAX_DURATION_MINUTES = 240
MAX_ACTUAL_DURATION_MINUTES = 600
TEXT_LIMIT = 4000


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HAPPENED = "happened", _("Happened")
    CANCELLED = "cancelled", _("Cancelled")


def _rating_range(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1, f"{field}__lte": 5})


class Meeting(models.Model):
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="meetings")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video call link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    version = models.PositiveIntegerField(default=1)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The log, written afterwards by either side; each side gives its own rating.
    actual_duration_minutes = models.PositiveSmallIntegerField(_("actual duration (minutes)"), null=True)
    topics = models.TextField(_("topics"), max_length=TEXT_LIMIT, blank=True)
    mentor_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    mentee_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    logged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    duration_minutes__gte=MIN_DURATION_MINUTES, duration_minutes__lte=MAX_DURATION_MINUTES
                ),
                name="meeting_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(actual_duration_minutes__isnull=True)
                | Q(actual_duration_minutes__gte=1, actual_duration_minutes__lte=MAX_ACTUAL_DURATION_MINUTES),
                name="meeting_actual_duration_range",
            ),
            models.CheckConstraint(condition=Q(status__in=MeetingStatus.values), name="meeting_valid_status"),
            models.CheckConstraint(
                condition=_rating_range("mentor_rating"), name="meeting_mentor_rating_range"
            ),
            models.CheckConstraint(
                condition=_rating_range("mentee_rating"), name="meeting_mentee_rating_range"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="meeting_version_positive"),
        ]
        indexes = [
            models.Index(fields=["starts_at", "status"]),
            models.Index(fields=["relationship", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.relationship} at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    def rating_of(self, side: str) -> int | None:
        return getattr(self, f"{side}_rating")


class MeetingPrep(models.Model):
    """The mentee's agenda and questions before a meeting; both sides read it."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="prep")
    agenda = models.TextField(_("agenda"), max_length=TEXT_LIMIT, blank=True)
    questions = models.TextField(_("my questions"), max_length=TEXT_LIMIT, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting preparation")
        verbose_name_plural = _("meeting preparations")

    def __str__(self) -> str:
        return f"Preparation for {self.meeting}"


# A feed token is `lookup` followed by `secret`, both random: the database finds the row by `lookup`
# alone and the secret is then compared in constant time, so response times reveal nothing of it.
FEED_LOOKUP_LENGTH = 16
FEED_SECRET_LENGTH = 43


def new_feed_lookup() -> str:
    return secrets.token_urlsafe(12)


def new_feed_secret() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's calendar subscription address; replacing its keys revokes the earlier URL."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed")
    lookup = models.CharField(max_length=FEED_LOOKUP_LENGTH, unique=True, editable=False)
    secret = models.CharField(max_length=FEED_SECRET_LENGTH, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=Q(Exact(Length("lookup"), FEED_LOOKUP_LENGTH))
                & Q(Exact(Length("secret"), FEED_SECRET_LENGTH)),
                name="meetings_calendarfeed_full_length_keys",
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"

    @property
    def token(self) -> str:
        return self.lookup + self.secret
