"""Two tabs (or both sides) save the same meeting and the same shared note at the same instant:
exactly one wins, the others are told to reload, nothing is half-written.

Needs PostgreSQL and real connections, one per thread.
"""

import datetime
import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from mentora.meetings import services as meeting_services
from mentora.meetings.models import Meeting
from mentora.notes import services as note_services
from mentora.notes.models import Note
from mentora.programs.models import ProgramStatus
from tests.factories import OrganisationFactory, PersonFactory
from tests.programs.factories import ProgramFactory
from tests.workspace.fixtures import active_relationship

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
TABS = 6


def race(action, count=TABS):
    barrier = threading.Barrier(count)
    wins, stale, surprises = [], [], []
    lock = threading.Lock()

    def run(n):
        try:
            barrier.wait(timeout=30)
            action(n)
            with lock:
                wins.append(n)
        except ValidationError as error:
            with lock:
                (stale if error.code == "stale" else surprises).append(error.code)
        except Exception as error:  # anything else is the bug this test hunts for
            with lock:
                surprises.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return wins, stale, surprises


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL and concurrent connections")
@pytest.mark.django_db(transaction=True)
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
