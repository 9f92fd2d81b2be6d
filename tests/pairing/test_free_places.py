"""Issue 9 §2: a mentor's free places in a program are read in one place
(`relationships.selectors.mentor_rooms`) by the pool, the matching runs and the mentee-choice flow."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentora.pairing import services
from mentora.pairing.instance_builder import build
from mentora.people.models import Person
from mentora.relationships.models import RelationshipOrigin
from mentora.relationships.selectors import mentor_places, mentor_rooms, program_pool
from mentora.relationships.services import relationship_create_pending
from tests.pairing.conftest import enrol_mentee, enrol_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentors(program, skill):
    """Free (2 places), full (1 place, taken), paused and inactive mentors."""
    free = enrol_mentor(program, name="Fay Free", skill=skill, capacity=2)
    full = enrol_mentor(program, name="Fil Full", skill=skill, capacity=1)
    relationship_create_pending(
        program=program,
        mentor=full,
        mentee=enrol_mentee(program, name="Taken Mentee", skill=skill),
        origin=RelationshipOrigin.MANUAL,
    )
    paused = enrol_mentor(program, name="Pia Paused", skill=skill)
    paused.enrolments.update(paused_until=timezone.localdate() + datetime.timedelta(days=30))
    gone = enrol_mentor(program, name="Gil Gone", skill=skill)
    Person.objects.filter(pk=gone.pk).update(is_active=False)
    enrol_mentee(program, name="Ella Mentee", skill=skill)
    return free, full, paused, gone


def test_the_pool_the_run_and_the_lock_check_agree_on_free_places(program, mentors):
    free, full, paused, gone = mentors
    rooms = mentor_rooms(program=program)
    assert {pk: room.free for pk, room in rooms.items()} == {free.pk: 2, full.pk: 0, paused.pk: 0}
    pool = {room.person_id: room.free for room in program_pool(program=program).mentors}
    _, places = services._current_pool(program)
    instance = build(program=program).instance
    in_run = {int(p["id"]): p["capacity"] for p in instance["people"] if "mentor" in p["roles"]}
    assert pool == in_run == {pk: n for pk, n in places.items() if n} == {free.pk: 2}


def test_the_set_based_read_counts_places_as_the_rooms_do(program, mentors):
    # mentor_places (the builder's and the shortlist's one-query read) and mentor_rooms share one rule.
    rooms = mentor_rooms(program=program)
    places = mentor_places(program=program)
    assert set(places) == set(rooms)
    for person_id, room in rooms.items():
        assert (places[person_id].capacity, places[person_id].free, places[person_id].paused_until) == (
            room.capacity,
            room.free,
            room.paused_until,
        )


def test_an_inactive_person_is_not_offered_in_the_pool(program, mentors, skill):
    _free, _full, _paused, gone = mentors
    leaver = enrol_mentee(program, name="Lee Leaver", skill=skill)
    Person.objects.filter(pk=leaver.pk).update(is_active=False)
    pool = program_pool(program=program)
    assert gone.pk not in {room.person_id for room in pool.mentors}
    assert leaver.pk not in {enrolment.person_id for enrolment in pool.mentees}


def test_the_lock_check_reads_the_same_places(program, mentors, skill):
    free, full, paused, gone = mentors
    for mentor, message in (
        (full, "This mentor is full."),
        (paused, "not taking new mentees"),
        (gone, "not an approved mentor"),  # left the organisation: the pool does not offer them
    ):
        with pytest.raises(ValidationError, match=message):
            relationship_create_pending(
                program=program,
                mentor=mentor,
                mentee=Person.objects.get(full_name="Ella Mentee"),
                origin=RelationshipOrigin.MANUAL,
            )
    relationship_create_pending(
        program=program,
        mentor=free,
        mentee=Person.objects.get(full_name="Ella Mentee"),
        origin=RelationshipOrigin.MANUAL,
    )
    assert mentor_rooms(program=program)[free.pk].free == 1
