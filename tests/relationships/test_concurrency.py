"""Many mentees request the same mentor at the same instant: exactly `capacity` succeed.

Needs PostgreSQL's row locks and real connections, one per thread.
"""

import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from mentora.programs.models import ProgramStatus
from mentora.relationships.models import Relationship, RelationshipOrigin
from mentora.relationships.services import relationship_create_pending, relationships_create_pending_bulk
from tests.factories import OrganisationFactory, PersonFactory
from tests.programs.factories import EnrolmentFactory, ProgramFactory

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

CAPACITY = 3
MENTEES = 12


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL row locks and concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_exceed_a_mentors_capacity():
    org = OrganisationFactory()
    program = ProgramFactory(organisation=org, status=ProgramStatus.MATCHING)
    mentor = PersonFactory(organisation=org)
    EnrolmentFactory(program=program, person=mentor, role="mentor", capacity=CAPACITY)
    mentees = [EnrolmentFactory(program=program, role="mentee").person for _ in range(MENTEES)]

    barrier = threading.Barrier(MENTEES)
    successes, refusals, surprises = [], [], []
    lock = threading.Lock()

    def request(mentee):
        try:
            barrier.wait(timeout=30)
            relationship = relationship_create_pending(
                program=program, mentor=mentor, mentee=mentee, origin=RelationshipOrigin.MENTEE_REQUEST
            )
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

    threads = [threading.Thread(target=request, args=(mentee,)) for mentee in mentees]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert surprises == []
    assert len(successes) == CAPACITY
    assert refusals == [("mentor_full", "This mentor is full.")] * (MENTEES - CAPACITY)
    assert Relationship.objects.filter(program=program, mentor=mentor).count() == CAPACITY


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL row locks and concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_a_bulk_pairing_racing_single_requests_never_exceeds_capacity():
    """A run being published while mentees ask the same mentor: the batch is all or nothing, and
    together they never take more than `capacity` places."""
    org = OrganisationFactory()
    program = ProgramFactory(organisation=org, status=ProgramStatus.MATCHING)
    mentor = PersonFactory(organisation=org)
    EnrolmentFactory(program=program, person=mentor, role="mentor", capacity=CAPACITY)
    mentees = [EnrolmentFactory(program=program, role="mentee").person for _ in range(MENTEES)]
    batch, singles = mentees[:CAPACITY], mentees[CAPACITY:]

    barrier = threading.Barrier(len(singles) + 1)
    created, surprises = [], []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait(timeout=30)
            made = call()
            with lock:
                created.extend(made)
        except ValidationError as error:
            if error.code != "mentor_full":
                with lock:
                    surprises.append(repr(error))
        except Exception as error:
            with lock:
                surprises.append(repr(error))
        finally:
            connection.close()

    def publish():
        return relationships_create_pending_bulk(
            program=program, pairs=[(mentor, mentee) for mentee in batch], origin=RelationshipOrigin.PROPOSAL
        )

    def ask(mentee):
        return lambda: [
            relationship_create_pending(
                program=program, mentor=mentor, mentee=mentee, origin=RelationshipOrigin.MENTEE_REQUEST
            )
        ]

    threads = [threading.Thread(target=run, args=(publish,))]
    threads += [threading.Thread(target=run, args=(ask(mentee),)) for mentee in singles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert surprises == []
    assert len(created) == CAPACITY
    assert Relationship.objects.filter(program=program, mentor=mentor).count() == CAPACITY
    published = Relationship.objects.filter(program=program, origin=RelationshipOrigin.PROPOSAL).count()
    assert published in (0, CAPACITY)
