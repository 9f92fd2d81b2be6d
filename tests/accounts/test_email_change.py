"""The sign-in e-mail changes only when a signed, expiring, single-use link sent to the new address
is confirmed; the old address is told."""

import base64
import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from mentora.core.roles import viewer_for
from mentora.people.sign_in import email_change_confirm, email_change_request, email_change_token
from tests.factories import PASSWORD, PersonFactory, api_headers


def _link_path() -> str:
    """The path of the confirmation link in the e-mail sent to the new address."""
    message = next(m for m in mail.outbox if m.subject.startswith("Confirm"))
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_pam_asks_and_alice_confirms_from_the_new_address(client, pam, alice):
    old = alice.email
    client.force_login(pam.user)

    response = client.post(reverse("accounts:email_change", args=[alice.pk]), {"new_email": "Alice@New.test"})

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.email == old  # nothing changes before the confirmation
    assert {tuple(m.to) for m in mail.outbox} == {("alice@new.test",), (old,)}
    notice = next(m for m in mail.outbox if m.to == [old])
    assert "alice@new.test" in notice.body and "Pam Planner" in notice.body

    link = _link_path()
    anonymous = Client()
    assert "alice@new.test" in anonymous.get(link).content.decode()
    alice.refresh_from_db()
    assert alice.email == old  # opening the link (a mail scanner) changes nothing
    assert anonymous.post(link).status_code == 200

    alice.refresh_from_db()
    alice.user.refresh_from_db()
    assert alice.email == alice.user.email == alice.user.username == "alice@new.test"
    assert Client().login(username="alice@new.test", password=PASSWORD)
    assert not Client().login(username=old, password=PASSWORD)


def test_a_link_works_once(client, pam, alice):
    email_change_request(actor=viewer_for(pam.user), person=alice, new_email="alice@new.test")
    link = _link_path()
    assert client.post(link).status_code == 200

    again = client.post(link)

    assert again.status_code == 400 and "already used" in again.content.decode()


def test_an_older_link_stops_working_after_another_change(client, pam, alice):
    manager = viewer_for(pam.user)
    first = email_change_token(person=alice, new_email="first@new.test")
    email_change_request(actor=manager, person=alice, new_email="second@new.test")
    email_change_confirm(token=re.search(r"/confirm/([^/]+)/", _link_path()).group(1))

    with pytest.raises(ValidationError) as refused:
        email_change_confirm(token=first)

    assert refused.value.code == "stale"
    alice.refresh_from_db()
    assert alice.email == "second@new.test"


def test_a_link_expires_after_three_days(client, alice):
    token = email_change_token(person=alice, new_email="alice@new.test")
    with freeze_time(timezone.now() + timedelta(days=3, minutes=1)):
        response = client.post(reverse("accounts:email_confirm", args=[token]))
    assert response.status_code == 400 and "expired" in response.content.decode()


def test_an_altered_link_is_refused(client, alice):
    token = email_change_token(person=alice, new_email="alice@new.test")
    payload, timestamp, signature = token.split(":")
    changed = json.loads(base64.urlsafe_b64decode(payload + "=="))
    changed["new"] = "mallory@evil.test"
    encoded = base64.urlsafe_b64encode(json.dumps(changed).encode()).decode().rstrip("=")
    forged = f"{encoded}:{timestamp}:{signature}"
    assert client.post(reverse("accounts:email_confirm", args=[forged])).status_code == 400
    assert client.post(reverse("accounts:email_confirm", args=["garbage"])).status_code == 400
    alice.refresh_from_db()
    assert alice.email != "mallory@evil.test"


def test_alice_asks_for_her_own_change(client, alice):
    client.force_login(alice.user)
    response = client.post(reverse("accounts:email_change", args=[alice.pk]), {"new_email": "me@new.test"})
    assert response.status_code == 302 and len(mail.outbox) == 2


def test_nobody_changes_someone_elses_email_without_the_right(client, alice, bob, pam, olga, charlie):
    for actor, person in ((bob, alice), (pam, olga), (charlie, alice)):
        with pytest.raises((PermissionDenied, ValidationError)):
            email_change_request(actor=viewer_for(actor.user), person=person, new_email="x@new.test")
    client.force_login(pam.user)
    assert client.get(reverse("accounts:email_change", args=[olga.pk])).status_code == 403
    client.force_login(bob.user)
    url = reverse("accounts:email_change", args=[alice.pk])
    assert client.post(url, {"new_email": "x@y.test"}).status_code == 403
    client.force_login(charlie.user)
    assert client.get(reverse("accounts:email_change", args=[alice.pk])).status_code == 404
    assert not mail.outbox


def test_an_address_in_use_or_invalid_is_refused(client, org, pam, alice, bob):
    client.force_login(pam.user)
    url = reverse("accounts:email_change", args=[alice.pk])
    stranger = get_user_model().objects.create_user(username="someone@elsewhere.test", password="x")
    for taken in (bob.email, bob.email.upper(), stranger.username, alice.email, "not-an-email"):
        response = client.post(url, {"new_email": taken})
        assert response.status_code == 200 and "new_email" in response.context["form"].errors
    assert not mail.outbox


def test_an_address_longer_than_a_sign_in_name_is_refused_before_any_link_is_sent(pam, alice):
    # Valid for Django's validator (up to 320 characters), but the sign-in name holds 150.
    too_long = "a" * 141 + "@acme.test"  # 151 characters
    with pytest.raises(ValidationError) as refused:
        email_change_request(actor=viewer_for(pam.user), person=alice, new_email=too_long)
    assert "new_email" in refused.value.message_dict
    assert not mail.outbox


def test_an_address_taken_between_request_and_confirmation_is_refused(pam, org, alice):
    email_change_request(actor=viewer_for(pam.user), person=alice, new_email="shared@new.test")
    token = re.search(r"/confirm/([^/]+)/", _link_path()).group(1)
    PersonFactory(organisation=org, email="shared@new.test", user__username="shared@new.test")

    with pytest.raises(ValidationError):
        email_change_confirm(token=token)


def test_a_deactivated_persons_link_is_refused(client, pam, alice):
    token = email_change_token(person=alice, new_email="alice@new.test")
    alice.is_active = False
    alice.save()
    assert client.post(reverse("accounts:email_confirm", args=[token])).status_code == 400


def test_the_api_asks_and_confirms(client, pam, olga, alice):
    asked = client.post(
        "/api/accounts/email-change",
        {"person_id": alice.pk, "new_email": "alice@api.test"},
        content_type="application/json",
        headers=api_headers(pam),
    )
    assert asked.status_code == 202 and asked.json()["pending_email"] == "alice@api.test"
    token = re.search(r"/confirm/([^/]+)/", _link_path()).group(1)

    def confirm(token):
        url = "/api/accounts/email-change/confirm"
        return client.post(url, {"token": token}, content_type="application/json")

    confirmed = confirm(token)
    assert confirmed.status_code == 200 and confirmed.json()["email"] == "alice@api.test"
    again = confirm(token)
    assert again.status_code == 409 and again.json()["error"]["code"] == "stale"
    bad = confirm("x")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"


def test_the_api_refuses_what_the_page_refuses(client, pam, olga, alice, charlie):
    def ask(actor, person_id, new_email):
        return client.post(
            "/api/accounts/email-change",
            {"person_id": person_id, "new_email": new_email},
            content_type="application/json",
            headers=api_headers(actor),
        )

    assert ask(pam, olga.pk, "olga@new.test").status_code == 403
    assert ask(charlie, alice.pk, "alice@new.test").status_code == 404
    assert ask(pam, alice.pk, "not-an-email").status_code == 422
    assert ask(pam, alice.pk, "x" * 300 + "@a.test").status_code == 422
    assert not mail.outbox
