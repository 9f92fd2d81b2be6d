"""Many mentees ask the same mentor at the same instant, through the mentee-choice service:
exactly `capacity` requests succeed, every other mentee is told "this mentor is full".

Needs PostgreSQL's row locks and real connections, one per thread.
"""

import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from mentora.pairing import choose_selectors as selectors
from mentora.pairing.choose_services import mentor_request_create
from mentora.relationships.models import Relationship, RelationshipOrigin
from tests.factories import OrganisationFactory, SkillFactory
from tests.pairing.choose_setup import choose_program, enrol_mentee, enrol_mentor

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

CAPACITY = 3
MENTEES = 12

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL row locks and concurrent connections"),
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_requests_to_one_mentor_never_exceed_capacity():
    org = OrganisationFactory()
    skill = SkillFactory(organisation=org, name="Python", slug="python")
    program = choose_program(org)
    mentor = enrol_mentor(program, name="Mo Mentor", skill=skill, capacity=CAPACITY)
    mentees = [enrol_mentee(program, name=f"Mentee {n}", skill=skill) for n in range(MENTEES)]
    selectors.shortlister_cache_clear()

    barrier = threading.Barrier(MENTEES)
    successes, refusals, surprises = [], [], []
    lock = threading.Lock()

    def ask(mentee):
        try:
            barrier.wait(timeout=30)
            relationship = mentor_request_create(program=program, mentee=mentee, mentor=mentor, note="Hi")
            with lock:
                successes.append(relationship.pk)
        except ValidationError as error:
            with lock:
                refusals.append((error.code, " ".join(error.messages)))
        except Exception as error:  # anything else is the bug this test hunts for
            with lock:
                surprises.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(mentee,)) for mentee in mentees]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert surprises == []
    assert len(successes) == CAPACITY
    assert refusals == [
        ("mentor_full", "This mentor is full. Please choose another mentor from your shortlist.")
    ] * (MENTEES - CAPACITY)
    live = Relationship.objects.filter(program=program, mentor=mentor)
    assert live.count() == CAPACITY
    assert set(live.values_list("origin", flat=True)) == {RelationshipOrigin.MENTEE_REQUEST}
    selectors.shortlister_cache_clear()
