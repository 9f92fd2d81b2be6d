"""A manager cannot flood a pair from the dashboard: a rematch offer at most once a week per pair
(as the nudge), a message at most MESSAGES_PER_DAY times a day per pair, on the page and the API."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from mentora.audit.models import AuditEvent
from mentora.evidence.services import MESSAGES_PER_DAY
from tests.factories import api_headers


def _actions(relationship, action: str) -> int:
    return AuditEvent.objects.filter(
        action="evidence.pair_action", target_id=str(relationship.pk), details__action=action
    ).count()


@pytest.mark.django_db
def test_a_second_rematch_offer_within_a_week_is_refused(
    client, scenario, pam, olga, immediate_tasks, django_capture_on_commit_callbacks
):
    erin = scenario.pairs["erin"]
    path = f"/api/evidence/programs/{scenario.program.pk}/pairs/{erin.pk}/actions"
    post = lambda person: client.post(  # noqa: E731
        path, {"action": "rematch"}, content_type="application/json", headers=api_headers(person)
    )
    start = timezone.now()
    with freeze_time(start), django_capture_on_commit_callbacks(execute=True):
        assert post(pam).status_code == 201
    # Whoever asks again (another manager of the program, the org admin), within the week: refused.
    with freeze_time(start + timedelta(days=6)):
        again = post(olga)
    assert again.status_code == 409 and again.json()["error"]["code"] == "too_soon"
    assert _actions(erin, "rematch") == 1 and len(mail.outbox) == 2
    with freeze_time(start + timedelta(days=7, hours=1)):
        assert post(pam).status_code == 201


@pytest.mark.django_db
def test_messages_to_one_pair_are_limited_per_day(client, scenario, pam):
    erin, other = (
        scenario.pairs["erin"],
        next(pair for key, pair in scenario.pairs.items() if key != "erin" and pair.status == "active"),
    )
    client.force_login(pam.user)
    url = reverse("evidence:pair_action", args=[scenario.program.pk, erin.pk])
    start = timezone.now()
    with freeze_time(start):
        for n in range(MESSAGES_PER_DAY):
            assert client.post(url, {"action": "message", "message": f"Note {n}"}).status_code == 302
    with freeze_time(start + timedelta(hours=23)):
        refused = client.post(url, {"action": "message", "message": "One more"}, follow=True)
    assert "too many messages" in refused.content.decode().lower()
    assert _actions(erin, "message") == MESSAGES_PER_DAY
    # Another pair is not held back by Erin's, and a day later Erin's pair can be written to again.
    other_url = reverse("evidence:pair_action", args=[scenario.program.pk, other.pk])
    with freeze_time(start + timedelta(hours=23)):
        client.post(other_url, {"action": "message", "message": "Hello"})
    assert _actions(other, "message") == 1
    with freeze_time(start + timedelta(hours=25)):
        client.post(url, {"action": "message", "message": "Next day"})
    assert _actions(erin, "message") == MESSAGES_PER_DAY + 1
