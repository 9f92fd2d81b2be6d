"""Two tabs (or both sides) save the same meeting and the same shared note at the same instant:
exactly one wins, the others are told to reload, nothing is half-written.

Needs PostgreSQL and real connections, one per thread.
"""

import datetime
from functools import partial

from django.utils import timezone

from mentora.meetings import services as meeting_services
from mentora.meetings.models import Meeting
from mentora.notes import services as note_services
from mentora.notes.models import Note
from mentora.programs.models import ProgramStatus
from tests.concurrency import postgres_only, run_at_once
from tests.factories import OrganisationFactory, PersonFactory
from tests.programs.factories import ProgramFactory
from tests.workspace.fixtures import active_relationship

TABS = 6

pytestmark = postgres_only("needs PostgreSQL and concurrent connections")


def race(action, count=TABS):
    """Run `action(n)` for n in range(count) at once; return the tabs that won, the stale codes
    and anything else raised."""

    def tab(n):
        action(n)
        return n

    outcomes = run_at_once([partial(tab, n) for n in range(count)])
    stale = [error.code for error in outcomes.refusals if error.code == "stale"]
    surprises = [error.code for error in outcomes.refusals if error.code != "stale"] + outcomes.surprises
    return outcomes.results, stale, surprises


def test_concurrent_edits_of_one_meeting_and_one_shared_note_keep_exactly_one():
    org = OrganisationFactory()
    program = ProgramFactory(organisation=org, status=ProgramStatus.RUNNING)
    mentor, mentee = PersonFactory(organisation=org), PersonFactory(organisation=org)
    relationship = active_relationship(program, mentor, mentee)
    start = timezone.now() + datetime.timedelta(days=3)
    meeting = meeting_services.meeting_schedule(
        relationship=relationship, person=mentee, starts_at=start, duration_minutes=60
    )
    note = note_services.note_create(relationship=relationship, person=mentee, visibility="shared", body="v1")

    def reschedule(n):
        meeting_services.meeting_reschedule(
            meeting=Meeting.objects.get(pk=meeting.pk),
            person=mentor if n % 2 else mentee,
            version=1,
            starts_at=start + datetime.timedelta(hours=n),
            duration_minutes=30 + n,
            place=f"tab {n}",
        )

    wins, stale, surprises = race(reschedule)
    assert surprises == [] and len(wins) == 1 and len(stale) == TABS - 1
    meeting.refresh_from_db()
    (n,) = wins
    assert (meeting.place, meeting.duration_minutes, meeting.version, meeting.sequence) == (
        f"tab {n}",
        30 + n,
        2,
        1,
    )

    def edit(n):
        note_services.note_update(
            note=Note.objects.get(pk=note.pk), person=mentor if n % 2 else mentee, version=1, body=f"tab {n}"
        )

    wins, stale, surprises = race(edit)
    assert surprises == [] and len(wins) == 1 and len(stale) == TABS - 1
    note.refresh_from_db()
    assert (note.body, note.version) == (f"tab {wins[0]}", 2)
