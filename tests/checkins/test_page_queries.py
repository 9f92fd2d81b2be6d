"""A manager's check-ins page reads without locking the program when there is nothing to publish
(every manager's view queued on that lock), and costs the same queries however many pairs answer
(bench/load.py and docs/performance.md measure it at 5,000 people)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from mentora.checkins import services
from mentora.checkins.models import CheckinPeriodFigures
from tests.checkins.test_aggregate_privacy import FEBRUARY, JANUARY, answer, everyone_but, pairs  # noqa: F401

PAGE_QUERIES = 18


def page_queries(client, program) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("checkins:program", args=[program.pk])).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.django_db
def test_the_page_takes_no_lock_while_too_few_answers_wait(client, program, pairs, alice, pam):  # noqa: F811
    with freeze_time(JANUARY):
        answer(alice)
    with freeze_time(FEBRUARY):
        client.force_login(pam.user)
        client.get(reverse("checkins:program", args=[program.pk]))
        few = page_queries(client, program)
        everyone_but(pairs, alice)  # February's answers: the month is still open
        many = page_queries(client, program)
    assert not [sql for sql in few + many if "FOR UPDATE" in sql]
    assert len(few) == len(many) == PAGE_QUERIES
    assert not CheckinPeriodFigures.objects.exists()


@pytest.mark.django_db
def test_enough_answers_in_a_closed_month_are_published_once(client, program, pairs, alice, pam):  # noqa: F811
    with freeze_time(JANUARY):
        everyone_but(pairs, alice)
    with freeze_time(FEBRUARY):
        client.force_login(pam.user)
        publishing = page_queries(client, program)
        published = page_queries(client, program)
        assert services.checkin_periods_publish(program=program) == []
    assert (
        bool([sql for sql in publishing if "FOR UPDATE" in sql]) == connection.features.has_select_for_update
    )
    assert not [sql for sql in published if "FOR UPDATE" in sql]
    assert CheckinPeriodFigures.objects.get().answers == 11
