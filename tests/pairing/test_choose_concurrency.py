"""Many mentees ask the same mentor at the same instant, through the mentee-choice service:
exactly `capacity` requests succeed, every other mentee is told "this mentor is full".

Needs PostgreSQL's row locks and real connections, one per thread.
"""

from functools import partial

from mentora.pairing import choose_selectors as selectors
from mentora.pairing.choose_services import mentor_request_create
from mentora.relationships.models import Relationship, RelationshipOrigin
from tests.concurrency import postgres_only, run_at_once
from tests.factories import OrganisationFactory, SkillFactory
from tests.pairing.choose_setup import choose_program, enrol_mentee, enrol_mentor

CAPACITY = 3
MENTEES = 12

pytestmark = postgres_only("needs PostgreSQL row locks and concurrent connections")


def test_concurrent_requests_to_one_mentor_never_exceed_capacity():
    org = OrganisationFactory()
    skill = SkillFactory(organisation=org, name="Python", slug="python")
    program = choose_program(org)
    mentor = enrol_mentor(program, name="Mo Mentor", skill=skill, capacity=CAPACITY)
    mentees = [enrol_mentee(program, name=f"Mentee {n}", skill=skill) for n in range(MENTEES)]
    selectors.shortlister_cache_clear()

    def ask(mentee):
        return mentor_request_create(program=program, mentee=mentee, mentor=mentor, note="Hi").pk

    outcomes = run_at_once([partial(ask, mentee) for mentee in mentees], join_timeout=120)
    successes, surprises = outcomes.results, outcomes.surprises
    refusals = [(error.code, " ".join(error.messages)) for error in outcomes.refusals]

    assert surprises == []
    assert len(successes) == CAPACITY
    assert refusals == [
        ("mentor_full", "This mentor is full. Please choose another mentor from your shortlist.")
    ] * (MENTEES - CAPACITY)
    live = Relationship.objects.filter(program=program, mentor=mentor)
    assert live.count() == CAPACITY
    assert set(live.values_list("origin", flat=True)) == {RelationshipOrigin.MENTEE_REQUEST}
    selectors.shortlister_cache_clear()
