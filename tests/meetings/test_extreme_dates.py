"""Dates at the edges of what Python can hold (year 1, year 9999) are refused with a field error."""

import pytest
from django.urls import reverse

from mentora.meetings.models import Meeting
from tests.factories import api_headers
from tests.meetings.test_services import soon


@pytest.mark.parametrize(
    ("starts_at", "time_zone"),
    [
        ("0001-01-01T00:00:00+05:00", ""),
        ("0001-01-01T00:00:00", "Asia/Tokyo"),
        ("9999-12-31T23:00:00-05:00", ""),
        ("9999-12-31T23:59:00", "America/New_York"),
        ("1969-12-31T23:59:59Z", ""),
    ],
)
def test_the_api_refuses_a_meeting_outside_the_calendar(client, relationship, alice, starts_at, time_zone):
    body = {"starts_at": starts_at, "duration_minutes": 60, **({"time_zone": time_zone} if time_zone else {})}
    response = client.post(
        f"/api/pairs/{relationship.pk}/meetings",
        body,
        content_type="application/json",
        headers=api_headers(alice),
    )
    assert response.status_code == 422, response.content
    assert [detail["field"] for detail in response.json()["error"]["details"]] == ["starts_at"]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("starts_at", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_the_page_refuses_a_meeting_outside_the_calendar(client, relationship, alice, starts_at):
    alice.time_zone = "Pacific/Kiritimati" if starts_at.startswith("0001") else "Pacific/Pago_Pago"
    alice.save()
    client.force_login(alice.user)
    response = client.post(
        reverse("meetings:new", args=[relationship.pk]), {"starts_at": starts_at, "duration_minutes": "60"}
    )
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_a_place_on_two_lines_is_refused(client, relationship, alice):
    response = client.post(
        f"/api/pairs/{relationship.pk}/meetings",
        {
            "starts_at": soon().isoformat(),
            "duration_minutes": 60,
            "place": "Room 1\r\nLOCATION:elsewhere",
        },
        content_type="application/json",
        headers=api_headers(alice),
    )
    assert response.status_code == 422
    assert [detail["field"] for detail in response.json()["error"]["details"]] == ["place"]
