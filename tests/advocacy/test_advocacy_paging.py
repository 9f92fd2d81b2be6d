"""A long advocacy log is paged on its page, in a number of queries that does not grow with it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentora.advocacy.models import AdvocacyAction
from mentora.advocacy.selectors import ACTIONS_PER_PAGE


def record(relationship, count, start=0):
    AdvocacyAction.objects.bulk_create(
        AdvocacyAction(
            relationship=relationship,
            kind="introduction",
            occurred_on=timezone.localdate(),
            description=f"Introduced to person {number:03}",
        )
        for number in range(start, start + count)
    )


def test_the_log_shows_one_page_and_a_link_to_the_next(client, relationship, bob):
    record(relationship, ACTIONS_PER_PAGE + 4)
    client.force_login(bob.user)
    url = reverse("advocacy:log", args=[relationship.pk])
    text = client.get(url).content.decode()
    assert text.count("Introduced to person") == ACTIONS_PER_PAGE
    assert '<nav class="pager" aria-label="Pages of the advocacy log">' in text
    assert client.get(url, {"page": "2"}).content.decode().count("Introduced to person") == 4


def test_the_log_needs_the_same_queries_for_a_longer_log(client, relationship, bob):
    client.force_login(bob.user)
    url = reverse("advocacy:log", args=[relationship.pk])
    record(relationship, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    record(relationship, 100, start=10)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
