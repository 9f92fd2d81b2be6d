"""Eligibility is asked two ways: `eligible_people` / `eligible_mentors` (one query, for invitations
and the gaps panel) and `ineligibility_reasons` (one person, for enrolment and "programs open to me").
For any program and any person they must agree: in the query exactly when there is no reason."""

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentora.people.models import MAX_SENIORITY
from mentora.programs.models import EnrolmentRole, Program
from mentora.programs.selectors import eligible_mentors, eligible_people, ineligibility_reasons
from mentora.programs.services import clean_locations
from tests.factories import DepartmentFactory, PersonFactory
from tests.programs.factories import ProgramFactory

# Spellings that compare equal or not depending on how case is folded: SQL's LIKE and UPPER fold only
# ASCII on SQLite, and "ß" / dotted "İ" fold differently again.
LOCATIONS = [
    "London",
    "london",
    "LONDON",
    "München",
    "MÜNCHEN",
    "Straße",
    "STRASSE",
    "İstanbul",
    "istanbul",
    "",
]
SENIORITIES = range(1, MAX_SENIORITY + 1)


@pytest.fixture
def population(org, other_org):
    """Acme's people in every location and department (or none), at every seniority, some who left;
    and Globex people who match everything but belong to another organisation."""
    departments = [DepartmentFactory(organisation=org, name=name) for name in ("Sales", "Legal", "Support")]
    shuffled = random.Random(9)
    people = []
    for location, department in itertools.product(LOCATIONS, [None, *departments]):
        people.append(
            PersonFactory(
                organisation=org,
                location=location,
                department=department,
                seniority=shuffled.choice(SENIORITIES),
                is_active=shuffled.random() > 0.15,
            )
        )
    people += [
        PersonFactory(organisation=other_org, location="London", seniority=level) for level in (1, 5, 10)
    ]
    return departments, people


def programs():
    bounds = st.lists(st.sampled_from(SENIORITIES), min_size=2, max_size=2).map(sorted)
    return st.fixed_dictionaries(
        {
            "department_picks": st.sets(st.integers(min_value=0, max_value=2)),
            "locations": st.lists(st.sampled_from(LOCATIONS[:-1]), max_size=3),
            "seniority": bounds,
            "mentor_min_seniority": st.sampled_from(SENIORITIES),
        }
    )


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(design=programs())
def test_the_eligibility_query_and_the_reasons_agree_for_every_person(org, population, design):
    departments, people = population
    low, high = design["seniority"]
    program = ProgramFactory(
        organisation=org,
        min_seniority=low,
        max_seniority=high,
        mentor_min_seniority=design["mentor_min_seniority"],
        eligible_locations=clean_locations(design["locations"]),
    )
    program.eligible_departments.set([departments[pick] for pick in design["department_picks"]])
    program = Program.objects.prefetch_related("eligible_departments").get(pk=program.pk)

    for role, query in ((EnrolmentRole.MENTEE, eligible_people), (EnrolmentRole.MENTOR, eligible_mentors)):
        in_query = set(query(program=program).values_list("pk", flat=True))
        without_reasons = {
            person.pk
            for person in people
            if not ineligibility_reasons(program=program, person=person, role=role)
        }
        assert in_query == without_reasons, (role, design)
