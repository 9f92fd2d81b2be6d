"""Many mentees request the same mentor at the same instant: exactly `capacity` succeed.

Needs PostgreSQL's row locks and real connections, one per thread.
"""

from functools import partial

from mentora.programs.models import ProgramStatus
from mentora.relationships.models import Relationship, RelationshipOrigin
from mentora.relationships.services import relationship_create_pending, relationships_create_pending_bulk
from tests.concurrency import postgres_only, run_at_once
from tests.factories import OrganisationFactory, PersonFactory
from tests.programs.factories import EnrolmentFactory, ProgramFactory

CAPACITY = 3
MENTEES = 12

pytestmark = postgres_only("needs PostgreSQL row locks and concurrent connections")


def test_concurrent_requests_never_exceed_a_mentors_capacity():
    org = OrganisationFactory()
    program = ProgramFactory(organisation=org, status=ProgramStatus.MATCHING)
    mentor = PersonFactory(organisation=org)
    EnrolmentFactory(program=program, person=mentor, role="mentor", capacity=CAPACITY)
    mentees = [EnrolmentFactory(program=program, role="mentee").person for _ in range(MENTEES)]

    def request(mentee):
        return relationship_create_pending(
            program=program, mentor=mentor, mentee=mentee, origin=RelationshipOrigin.MENTEE_REQUEST
        ).pk

    outcomes = run_at_once([partial(request, mentee) for mentee in mentees])
    successes, surprises = outcomes.results, outcomes.surprises
    refusals = [(error.code, " ".join(error.messages)) for error in outcomes.refusals]

    assert surprises == []
    assert len(successes) == CAPACITY
    assert refusals == [("mentor_full", "This mentor is full.")] * (MENTEES - CAPACITY)
    assert Relationship.objects.filter(program=program, mentor=mentor).count() == CAPACITY


def test_a_bulk_pairing_racing_single_requests_never_exceeds_capacity():
    """A run being published while mentees ask the same mentor: the batch is all or nothing, and
    together they never take more than `capacity` places."""
    org = OrganisationFactory()
    program = ProgramFactory(organisation=org, status=ProgramStatus.MATCHING)
    mentor = PersonFactory(organisation=org)
    EnrolmentFactory(program=program, person=mentor, role="mentor", capacity=CAPACITY)
    mentees = [EnrolmentFactory(program=program, role="mentee").person for _ in range(MENTEES)]
    batch, singles = mentees[:CAPACITY], mentees[CAPACITY:]

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

    outcomes = run_at_once([publish, *(ask(mentee) for mentee in singles)])
    created = [relationship for made in outcomes.results for relationship in made]
    surprises = outcomes.surprises + [
        repr(error) for error in outcomes.refusals if error.code != "mentor_full"
    ]

    assert surprises == []
    assert len(created) == CAPACITY
    assert Relationship.objects.filter(program=program, mentor=mentor).count() == CAPACITY
    published = Relationship.objects.filter(program=program, origin=RelationshipOrigin.PROPOSAL).count()
    assert published in (0, CAPACITY)
