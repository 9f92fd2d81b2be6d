"""A pair that has met for years: the space shows the next and the latest meetings, the meetings page
pages the rest, in a number of queries that does not grow with the meetings."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentora.meetings.models import Meeting, MeetingStatus
from mentora.meetings.selectors import MEETINGS_IN_PANEL, MEETINGS_PER_PAGE


def past_meetings(relationship, count, start=1):
    now = timezone.now()
    Meeting.objects.bulk_create(
        Meeting(
            relationship=relationship,
            starts_at=now - datetime.timedelta(days=7 * number),
            duration_minutes=45,
            status=MeetingStatus.HAPPENED,
            topics=f"Topic {number:03}",
        )
        for number in range(start, start + count)
    )


def test_the_space_shows_the_latest_meetings_and_links_to_all(client, relationship, alice):
    past_meetings(relationship, 120)
    client.force_login(alice.user)
    text = client.get(reverse("workspace:pair", args=[relationship.pk])).content.decode()
    assert text.count("Topic ") == MEETINGS_IN_PANEL
    assert "Topic 001" in text and "Topic 011" not in text
    assert "All 120 earlier meetings" in text


def test_the_meetings_page_shows_one_page_and_a_link_to_the_next(client, relationship, alice):
    past_meetings(relationship, 120)
    client.force_login(alice.user)
    url = reverse("meetings:list", args=[relationship.pk])
    text = client.get(url, {"when": "past"}).content.decode()
    assert text.count("Topic ") == MEETINGS_PER_PAGE
    assert '<nav class="pager" aria-label="Pages of earlier meetings">' in text
    assert 'href="?when=past&amp;page=2" rel="next"' in text
    assert "Topic 120" in client.get(url, {"when": "past", "page": "5"}).content.decode()


def test_outsiders_get_no_meetings_page(client, relationship, outsiders):
    for person in outsiders.values():
        client.force_login(person.user)
        assert client.get(reverse("meetings:list", args=[relationship.pk])).status_code == 404


@pytest.mark.parametrize("url_name", ["workspace:pair", "meetings:list"])
def test_the_query_count_does_not_grow_with_the_meetings(client, relationship, alice, url_name):
    client.force_login(alice.user)
    url = reverse(url_name, args=[relationship.pk])
    past_meetings(relationship, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    past_meetings(relationship, 120, start=10)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
