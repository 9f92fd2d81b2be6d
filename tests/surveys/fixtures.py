"""Six pairs of Program P and its surveys (tests/workspace/fixtures.py introduces the people)."""

import datetime

import pytest

from mentora.relationships.models import Relationship
from mentora.surveys import services
from tests.factories import PersonFactory
from tests.workspace.fixtures import active_relationship

START = datetime.datetime(2031, 1, 1, 9, tzinfo=datetime.UTC)


def answers_for(instance, **by_measure):
    """Answers to every scored question of the instance: by measure, else 4 (or 8 on 0–10)."""
    given = {}
    for question in instance.template.questions.all():
        if question.kind == "scale":
            given[question.pk] = by_measure.get(question.measure or "own", 4)
        elif question.kind == "score_0_10":
            given[question.pk] = by_measure.get(question.measure or "own", 8)
    return given


@pytest.fixture
def pairs(program, relationship, other_relationship, org):
    """Six pairs of Program P, started on 1 January 2031, ending on 30 June 2031."""
    more = [
        active_relationship(
            program,
            PersonFactory(organisation=org, full_name=f"Mentor {i}"),
            PersonFactory(organisation=org, full_name=f"Mentee {i}"),
        )
        for i in range(4)
    ]
    everyone = [relationship, other_relationship, *more]
    Relationship.objects.filter(pk__in=[r.pk for r in everyone]).update(
        started_at=START, ends_on=datetime.date(2031, 6, 30)
    )
    return list(Relationship.objects.filter(pk__in=[r.pk for r in everyone]).order_by("pk"))


@pytest.fixture
def fit(program):
    return services.survey_template_set(program=program, kind="fit", enabled=True)


@pytest.fixture
def midpoint(program):
    return services.survey_template_set(program=program, kind="midpoint", enabled=True)


@pytest.fixture
def recommend(program):
    return services.survey_template_set(program=program, kind="recommend", enabled=True)
