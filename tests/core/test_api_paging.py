"""Every long list of the API is paged the same way: ?page=&page_size= (at most 200), answering
{count, page, pages, results}, in a number of queries that does not grow with the list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentora.advocacy.models import AdvocacyAction
from mentora.meetings.models import Meeting
from tests.factories import api_headers


def meetings(relationship, count, start=0):
    first = timezone.now() + datetime.timedelta(days=1)
    Meeting.objects.bulk_create(
        Meeting(
            relationship=relationship, starts_at=first + datetime.timedelta(days=number), duration_minutes=60
        )
        for number in range(start, start + count)
    )


def actions(relationship, count):
    AdvocacyAction.objects.bulk_create(
        AdvocacyAction(
            relationship=relationship,
            kind="introduction",
            occurred_on=timezone.localdate(),
            description=f"#{n}",
        )
        for n in range(count)
    )


@pytest.mark.parametrize(
    ("url", "fill"),
    [("/api/pairs/{pk}/meetings", meetings), ("/api/advocacy/relationships/{pk}", actions)],
)
def test_a_pair_list_is_paged(client, relationship, alice, url, fill):
    fill(relationship, 5)
    url = url.format(pk=relationship.pk)
    first = client.get(url, {"page_size": 2}, headers=api_headers(alice)).json()
    assert (first["count"], first["page"], first["pages"], len(first["results"])) == (5, 1, 3, 2)
    last = client.get(url, {"page_size": 2, "page": 3}, headers=api_headers(alice)).json()
    assert len(last["results"]) == 1
    ids = {item["id"] for item in first["results"]} | {item["id"] for item in last["results"]}
    assert len(ids) == 3


@pytest.mark.parametrize(("page", "page_size"), [("0", "10"), ("1", "0"), ("1", "201"), ("x", "10")])
def test_a_page_out_of_range_is_a_422(client, relationship, alice, page, page_size):
    response = client.get(
        f"/api/pairs/{relationship.pk}/meetings",
        {"page": page, "page_size": page_size},
        headers=api_headers(alice),
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_the_meeting_list_needs_the_same_queries_for_many_meetings(client, relationship, alice):
    url = f"/api/pairs/{relationship.pk}/meetings"
    meetings(relationship, 3)
    client.get(url, headers=api_headers(alice))
    with CaptureQueriesContext(connection) as few:
        client.get(url, headers=api_headers(alice))
    meetings(relationship, 120, start=10)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url, headers=api_headers(alice)).json()
    assert len(body["results"]) == 50 and body["count"] == 123
    assert len(many) == len(few)
