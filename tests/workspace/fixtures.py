"""People around one active pair, for the pair's space tests.

Bob mentors Alice in Program P. Around them: Pam manages the program, Olga is the org admin,
Lou is Alice's line manager, Dora is another pair's mentee (Mo mentors her) and Charlie is from
another organisation. Only Alice and Bob may see anything of their space.
"""

import pytest

from mentora.organisations.models import Role
from mentora.programs.models import ProgramStatus
from mentora.relationships import services
from mentora.relationships.models import RelationshipOrigin
from tests.factories import PersonFactory, WantedSkillFactory
from tests.programs.factories import EnrolmentFactory, ProgramFactory


def active_relationship(program, mentor, mentee):
    EnrolmentFactory(program=program, person=mentor, role="mentor", capacity=2)
    EnrolmentFactory(program=program, person=mentee, role="mentee")
    relationship = services.relationship_create_pending(
        program=program, mentor=mentor, mentee=mentee, origin=RelationshipOrigin.PROPOSAL
    )
    services.relationship_consent(relationship=relationship, person=mentor)
    return services.relationship_consent(relationship=relationship, person=mentee)


@pytest.fixture
def program(org, pam):
    return ProgramFactory(organisation=org, managers=[pam], status=ProgramStatus.RUNNING, name="Program P")


@pytest.fixture
def relationship(program, alice, bob, python_skill):
    WantedSkillFactory(person=alice, skill=python_skill)
    return active_relationship(program, bob, alice)


@pytest.fixture
def dora(org):
    return PersonFactory(organisation=org, full_name="Dora Dean", roles=[Role.PARTICIPANT])


@pytest.fixture
def other_relationship(program, org, dora):
    """Mo mentors Dora in the same program."""
    mo = PersonFactory(organisation=org, full_name="Mo Mentor", roles=[Role.PARTICIPANT])
    return active_relationship(program, mo, dora)


@pytest.fixture
def outsiders(pam, olga, lou, dora, other_relationship, charlie):
    """Everyone who must see nothing of Alice and Bob's space, by role."""
    return {
        "program manager": pam,
        "org admin": olga,
        "line manager": lou,
        "another pair's mentee": dora,
        "other organisation": charlie,
    }
