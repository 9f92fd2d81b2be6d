"""Sign-ins, sign-outs, failures and lock-outs land in the audit log of the account's organisation."""

import pytest
from django.urls import reverse

from mentora.audit.models import Action, AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, login, password):
    return client.post(
        reverse("login"),
        {"login": login, "password": password},
        REMOTE_ADDR="198.51.100.7",
        HTTP_USER_AGENT="UA/1",
    )


def test_a_sign_in_and_a_sign_out_are_recorded(client, alice):
    assert _sign_in(client, alice.user.username, PASSWORD).status_code == 302
    client.post(reverse("logout"), REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="UA/1")

    events = list(
        AuditEvent.objects.exclude(action=Action.RECORD_CHANGED)
        .order_by("id")
        .values_list("action", "actor_person_id", "organisation_id")
    )
    assert events == [
        (Action.SIGN_IN, alice.pk, alice.organisation_id),
        (Action.SIGN_OUT, alice.pk, alice.organisation_id),
    ]
    assert AuditEvent.objects.filter(ip_address="198.51.100.7", user_agent="UA/1").count() == 2


def test_a_wrong_password_is_recorded_against_the_account_tried(client, alice):
    _sign_in(client, alice.user.username, "wrong")

    event = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert (event.actor_person_id, event.target_id, event.organisation_id) == (
        None,
        str(alice.pk),
        alice.organisation_id,
    )
    assert event.details == {"login": alice.user.username}
    assert "wrong" not in str(event.details)


def test_a_failure_for_an_unknown_name_belongs_to_no_organisation(client, alice):
    _sign_in(client, "nobody@example.com", "wrong")

    event = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert (event.organisation_id, event.target_id, event.details) == (
        None,
        "",
        {"login": "nobody@example.com"},
    )


def test_a_lock_out_is_recorded(client, settings, alice):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for attempt in range(3):
        _sign_in(client, alice.user.username, f"guess-{attempt}")
    assert _sign_in(client, alice.user.username, PASSWORD).status_code == 429

    locked = AuditEvent.objects.filter(action=Action.LOCKED_OUT, target_id=str(alice.pk))
    assert locked.exists()
    assert locked.first().organisation_id == alice.organisation_id
    assert not AuditEvent.objects.filter(action=Action.SIGN_IN).exists()
