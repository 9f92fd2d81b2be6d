"""Meetings as iCalendar (RFC 5545): one meeting to download, or a person's whole feed.

Only what a calendar needs goes in: time, partner, place or link. Never the agenda, questions,
log or notes, since calendars are often synced to third parties.
"""

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from mentora.core.links import site_url
from mentora.meetings.models import Meeting, MeetingStatus
from mentora.people.models import Person

PRODID = "-//Mentora//Mentora meetings//EN"


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC)


def meeting_event(meeting: Meeting, *, person: Person, url: str) -> Event:
    relationship = meeting.relationship
    partner = relationship.partner_of(person)
    event = Event()
    event.add("uid", f"{meeting.uid}@mentora")
    event.add("dtstamp", _utc(meeting.updated_at))
    event.add("last-modified", _utc(meeting.updated_at))
    event.add("dtstart", _utc(meeting.starts_at))
    event.add("dtend", _utc(meeting.ends_at))
    event.add("summary", _("Mentoring with %(name)s") % {"name": partner.full_name})
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    if meeting.place:
        event.add("location", meeting.place)
    elif meeting.video_url:
        event.add("location", meeting.video_url)
    event.add("url", meeting.video_url or url)
    description = [_("Prepare and log this meeting in Mentora: %(url)s") % {"url": url}]
    if meeting.video_url:
        description.insert(0, _("Video call: %(url)s") % {"url": meeting.video_url})
    event.add("description", "\n".join(description))
    return event


def calendar_bytes(meetings: Iterable[Meeting], *, person: Person, name: str | None = None) -> bytes:
    """Each event links to its meeting's page (an absolute address: calendar apps open it)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    for meeting in meetings:
        url = site_url("meetings:detail", meeting.relationship_id, meeting.pk)
        calendar.add_component(meeting_event(meeting, person=person, url=url))
    return calendar.to_ical()
