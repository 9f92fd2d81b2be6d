"""Reads for meetings: a pair's meetings, what reminders need, and a person's calendar."""

import datetime
import secrets
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mentora.core.links import site_url
from mentora.meetings.models import (
    FEED_LOOKUP_LENGTH,
    FEED_SECRET_LENGTH,
    CalendarFeed,
    Meeting,
    MeetingStatus,
)
from mentora.people.models import Person
from mentora.relationships.models import Relationship, RelationshipStatus
from mentora.workspace.access import Pair

# How far back a calendar subscription reaches: enough for recent history, small enough to poll.
FEED_HISTORY = datetime.timedelta(days=180)


def meeting_list_for_relationship(*, relationship: Relationship) -> QuerySet:
    return (
        Meeting.objects.filter(relationship=relationship).select_related("prep").order_by("starts_at", "id")
    )


# The pair's space shows the next and the latest meetings; the meetings page shows them all, paged.
MEETINGS_IN_PANEL = 10
MEETINGS_PER_PAGE = 25


@dataclass(frozen=True)
class PairMeetings:
    upcoming: list[Meeting]  # the first MEETINGS_IN_PANEL
    upcoming_count: int
    past: list[Meeting]  # the latest MEETINGS_IN_PANEL, most recent first
    past_count: int


def meetings_upcoming(*, relationship: Relationship) -> QuerySet:
    return meeting_list_for_relationship(relationship=relationship).filter(
        starts_at__gt=timezone.now(), status=MeetingStatus.SCHEDULED
    )


def meetings_past(*, relationship: Relationship) -> QuerySet:
    """Meetings that have started or no longer stand (cancelled early, logged), most recent first."""
    meetings = meeting_list_for_relationship(relationship=relationship)
    upcoming = Q(starts_at__gt=timezone.now(), status=MeetingStatus.SCHEDULED)
    return meetings.exclude(upcoming).order_by("-starts_at", "-id")


def meetings_for_pair(*, relationship: Relationship) -> PairMeetings:
    upcoming = meetings_upcoming(relationship=relationship)
    past = meetings_past(relationship=relationship)
    return PairMeetings(
        upcoming=list(upcoming[:MEETINGS_IN_PANEL]),
        upcoming_count=upcoming.count(),
        past=list(past[:MEETINGS_IN_PANEL]),
        past_count=past.count(),
    )


def meeting_get_for_pair(*, pair: Pair, meeting_id: int) -> Meeting:
    """One of this pair's meetings; 404 for a meeting of any other relationship."""
    return get_object_or_404(
        Meeting.objects.select_related("prep", "relationship__mentor", "relationship__mentee"),
        pk=meeting_id,
        relationship=pair.relationship,
    )


def meeting_get_next_for_person(*, person: Person) -> Meeting | None:
    """The person's next scheduled meeting in any of their active relationships, or None: its time,
    place and link and the pair's names (the home page's summary), not the meeting's record or the
    people's profiles."""
    return (
        Meeting.objects.filter(
            Q(relationship__mentor=person) | Q(relationship__mentee=person),
            relationship__status=RelationshipStatus.ACTIVE,
            status=MeetingStatus.SCHEDULED,
            starts_at__gt=timezone.now(),
        )
        .select_related("relationship__mentor", "relationship__mentee")
        .only(
            "starts_at",
            "duration_minutes",
            "place",
            "video_url",
            "relationship__mentor_id",
            "relationship__mentee_id",
            "relationship__mentor__full_name",
            "relationship__mentee__full_name",
        )
        .order_by("starts_at", "id")
        .first()
    )


def meetings_starting_between(start: datetime.datetime, end: datetime.datetime) -> QuerySet:
    """Scheduled meetings of active relationships starting in [start, end): what reminders read."""
    return (
        Meeting.objects.filter(
            starts_at__gte=start,
            starts_at__lt=end,
            status=MeetingStatus.SCHEDULED,
            relationship__status=RelationshipStatus.ACTIVE,
        )
        .select_related("relationship__program", "relationship__mentor", "relationship__mentee")
        .order_by("starts_at", "id")
    )


def meetings_for_calendar(*, person: Person) -> QuerySet:
    """A person's meetings in all their relationships, for their calendar subscription."""
    return (
        Meeting.objects.filter(
            Q(relationship__mentor=person) | Q(relationship__mentee=person),
            starts_at__gte=timezone.now() - FEED_HISTORY,
        )
        .select_related("relationship__mentor", "relationship__mentee")
        .order_by("starts_at", "id")
    )


def calendar_feed_token(*, person: Person) -> str | None:
    """The token in a person's calendar URL, or None until they make one (calendar apps cannot sign in)."""
    feed = CalendarFeed.objects.filter(person=person).only("lookup", "secret").first()
    return feed.token if feed else None


def calendar_feed_url(*, person: Person) -> str | None:
    """The address a calendar app subscribes to, or None until the person makes one."""
    token = calendar_feed_token(person=person)
    return site_url("calendar:feed", token) if token else None


def calendar_feed_person(*, token: str) -> Person | None:
    """The active person a calendar token belongs to, or None if it is unknown or was revoked."""
    if len(token) != FEED_LOOKUP_LENGTH + FEED_SECRET_LENGTH:
        return None
    lookup, secret = token[:FEED_LOOKUP_LENGTH], token[FEED_LOOKUP_LENGTH:]
    feed = CalendarFeed.objects.select_related("person").filter(lookup=lookup).first()
    if feed is None or not secrets.compare_digest(feed.secret, secret) or not feed.person.is_active:
        return None
    return feed.person
