"""Survey results cannot be differenced: figures appear only over MIN_AGGREGATE_GROUP answers,
small cells are withheld with enough others, and a manager who reads, lets one person answer and
reads again sees the same figures (page and API), until at least MIN_AGGREGATE_GROUP more answered."""

import datetime
import re

import pytest
from django.urls import reverse

from mentora.core.privacy import MIN_AGGREGATE_GROUP
from mentora.surveys import selectors, services
from mentora.surveys.models import SurveyResults
from tests.factories import PersonFactory, api_headers
from tests.surveys.fixtures import answers_for
from tests.workspace.fixtures import active_relationship

DAY_31 = datetime.date(2031, 2, 1)


@pytest.fixture
def many_pairs(pairs, program, org):
    """Twelve pairs: 24 people who may answer the recommendation survey."""
    more = [
        active_relationship(
            program,
            PersonFactory(organisation=org, full_name=f"Later mentor {i}"),
            PersonFactory(organisation=org, full_name=f"Later mentee {i}"),
        )
        for i in range(6)
    ]
    everyone = [*pairs, *more]
    from mentora.relationships.models import Relationship

    Relationship.objects.filter(pk__in=[r.pk for r in more]).update(started_at=pairs[0].started_at)
    return everyone


def respondents(pairs):
    return [person for relationship in pairs for person in (relationship.mentee, relationship.mentor)]


def answer(person, score):
    instance = selectors.surveys_pending_for(person=person)[0]
    return services.survey_answer(
        instance=instance, person=person, answers=answers_for(instance, recommend=score)
    )


def read(client, pam, program):
    client.force_login(pam.user)
    page = client.get(reverse("surveys:results", args=[program.pk])).content.decode()
    section = re.search(
        r'<section[^>]*aria-labelledby="results-recommend-heading".*?</section>', page, re.S
    ).group(0)
    api = client.get(f"/api/surveys/programs/{program.pk}/results", headers=api_headers(pam)).json()
    return section, api


def test_nothing_is_shown_under_the_minimum_group(client, pairs, recommend, pam, program):
    services.surveys_issue_due(today=DAY_31)
    for person in respondents(pairs)[: MIN_AGGREGATE_GROUP - 1]:
        answer(person, 10)
    section, api = read(client, pam, program)
    assert "Nothing published yet" in section
    assert api[0]["tables"] == [] and api[0]["published_at"] is None


def test_one_more_answer_moves_no_figure_until_enough_more_answered(
    client, many_pairs, recommend, pam, program
):
    services.surveys_issue_due(today=DAY_31)
    people = respondents(many_pairs)
    for person in people[:MIN_AGGREGATE_GROUP]:
        answer(person, 9)
    before = read(client, pam, program)
    assert "hidden" in before[0] or "9" in before[0]
    assert before[1][0]["answers"] == MIN_AGGREGATE_GROUP

    answer(people[MIN_AGGREGATE_GROUP], 0)  # one detractor: the figures must not move
    assert read(client, pam, program) == before

    for person in people[MIN_AGGREGATE_GROUP + 1 : 2 * MIN_AGGREGATE_GROUP - 1]:
        answer(person, 0)
    assert read(client, pam, program) == before  # four new answers: fewer than the minimum

    answer(people[2 * MIN_AGGREGATE_GROUP - 1], 0)  # the fifth new answer: now published again
    after = read(client, pam, program)
    assert after != before
    assert after[1][0]["answers"] == 2 * MIN_AGGREGATE_GROUP
    assert SurveyResults.objects.filter(template=recommend).count() == 2


def test_small_cells_are_withheld_with_enough_others_and_the_score_with_them(many_pairs, recommend, program):
    services.surveys_issue_due(today=DAY_31)
    people = respondents(many_pairs)
    for person in people[:6]:
        answer(person, 10)
    answer(people[6], 3)  # one detractor among seven
    results = services.survey_results_publish(template=recommend)
    nps = results.figures["nps"]
    assert nps["detractors"] is None
    # The passives (none) stay shown: 0 is no one; so the promoters are withheld too, or the
    # detractors would be the total minus them.
    assert nps["promoters"] is None
    assert nps["score"] is None
    distribution = results.figures["questions"][0]["counts"]
    assert distribution["3"] is None and distribution["10"] is None
    tables = {table.key: table for table in selectors.results_tables(results=results)}
    nps_rows = {row[0]: row[1:] for row in tables["survey_recommend_nps"].rows}
    assert all(cells == (None, None) for label, cells in nps_rows.items() if "Passives" not in label)


def test_means_per_mentoring_function_over_enough_people(pairs, midpoint, program):
    services.surveys_issue_due(today=datetime.date(2031, 4, 1))
    people = respondents(pairs)
    for index, person in enumerate(people[:MIN_AGGREGATE_GROUP]):
        instance = selectors.surveys_pending_for(person=person)[0]
        services.survey_answer(
            instance=instance,
            person=person,
            answers=answers_for(instance, career=5, psychosocial=3 + index % 2, role_model=2),
        )
    results = services.survey_results_publish(template=midpoint)
    measures = results.figures["measures"]
    assert measures["career"] == {"answers": 5, "mean": 5.0}
    assert measures["psychosocial"] == {"answers": 5, "mean": 3.4}
    assert measures["role_model"]["mean"] == 2.0
    table = next(t for t in selectors.results_tables(results=results) if t.key == "survey_midpoint_measures")
    assert [row[2] for row in table.rows] == [5.0, 3.4, 2.0]
