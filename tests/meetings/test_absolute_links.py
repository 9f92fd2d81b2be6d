"""Links that leave the site are built on SITE_URL (mentora.core.links.site_url), the address people
reach Mentora at, never on the host a request came in by (behind a proxy it is an inner name)."""

from django.urls import reverse

from mentora.meetings import selectors
from tests.meetings.test_pages_api import api, parse
from tests.meetings.test_services import schedule

SITE = "https://mentora.example.org"


def test_a_meetings_ics_links_to_its_page_on_the_sites_address(client, settings, relationship, alice, bob):
    settings.SITE_URL = SITE + "/"
    meeting = schedule(relationship, alice)
    page = SITE + reverse("meetings:detail", args=[relationship.pk, meeting.pk])
    client.force_login(alice.user)
    (event,) = parse(client.get(reverse("meetings:ics", args=[relationship.pk, meeting.pk])).content)
    assert page in str(event["DESCRIPTION"])
    (event,) = parse(
        api(client, bob, "get", f"/api/pairs/{relationship.pk}/meetings/{meeting.pk}/ics").content
    )
    assert page in str(event["DESCRIPTION"]) and "testserver" not in str(event["DESCRIPTION"])


def test_the_calendar_feed_address_and_its_events_use_the_sites_address(
    client, settings, relationship, alice
):
    settings.SITE_URL = SITE
    meeting = schedule(relationship, alice)
    url = api(client, alice, "post", "/api/calendar/feed/reset").json()["url"]
    token = selectors.calendar_feed_token(person=alice)
    assert url == SITE + reverse("calendar:feed", args=[token])
    assert api(client, alice, "get", "/api/calendar/feed").json()["url"] == url
    client.force_login(alice.user)
    assert url in client.get(reverse("calendar:subscribe")).content.decode()
    client.logout()
    (event,) = parse(client.get(reverse("calendar:feed", args=[token])).content)
    assert SITE + reverse("meetings:detail", args=[relationship.pk, meeting.pk]) in str(event["DESCRIPTION"])
