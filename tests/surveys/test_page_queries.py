"""The survey list and results pages cost the same queries however many surveys or answers there
are, and reading results with nothing new to publish takes no lock."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.core.privacy import MIN_AGGREGATE_GROUP
from mentora.surveys import selectors, services
from tests.surveys.fixtures import answers_for


def queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_my_surveys_page_costs_the_same_for_one_survey_or_three(client, pairs, fit, midpoint, recommend):
    mentee = pairs[0].mentee
    client.force_login(mentee.user)
    services.surveys_issue_due(today=datetime.date(2031, 1, 16))
    one = queries(client, reverse("surveys:mine"))
    services.surveys_issue_due(today=datetime.date(2031, 4, 1))
    assert len(selectors.surveys_pending_for(person=mentee)) == 3
    assert len(queries(client, reverse("surveys:mine"))) == len(one)


def test_the_results_page_costs_the_same_for_few_or_many_answers(client, pairs, recommend, pam, program):
    services.surveys_issue_due(today=datetime.date(2031, 2, 1))
    people = [person for pair in pairs for person in (pair.mentee, pair.mentor)]

    def answer(person):
        instance = selectors.surveys_pending_for(person=person)[0]
        services.survey_answer(instance=instance, person=person, answers=answers_for(instance))

    for person in people[:MIN_AGGREGATE_GROUP]:
        answer(person)
    client.force_login(pam.user)
    url = reverse("surveys:results", args=[program.pk])
    client.get(url)  # publishes
    few = queries(client, url)
    for person in people[MIN_AGGREGATE_GROUP : MIN_AGGREGATE_GROUP + 3]:
        answer(person)
    many = queries(client, url)
    assert len(few) == len(many)
    assert not [sql for sql in few + many if "FOR UPDATE" in sql]
