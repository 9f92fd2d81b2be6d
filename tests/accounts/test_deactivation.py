"""A leaver (Person.is_active = False) loses every way in at once: open sessions, new sign-ins and
API tokens, whichever path deactivated them; reactivation lets them sign in again."""

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from mentora.api.models import ApiToken
from mentora.core.roles import viewer_for
from mentora.people.models import Person
from mentora.people.services import person_update
from tests.factories import PASSWORD, api_headers


def _signed_in(person) -> Client:
    client = Client()
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def test_deactivating_alice_ends_her_session_tokens_and_sign_in(pam, alice):
    leaver = _signed_in(alice)
    assert leaver.get(reverse("people:me")).status_code == 200
    headers = api_headers(alice)

    person_update(actor=viewer_for(pam.user), person=alice, is_active=False)

    alice.user.refresh_from_db()
    assert not alice.user.is_active
    assert not ApiToken.objects.filter(user=alice.user).exists()
    assert not any(
        session.get_decoded().get("_auth_user_id") == str(alice.user.pk) for session in Session.objects.all()
    )
    page = leaver.get(reverse("people:me"))
    assert page.status_code == 302 and page.url.startswith(reverse("login"))
    assert leaver.get("/api/people/me/profile", headers=headers).status_code == 401
    assert not Client().login(username=alice.user.username, password=PASSWORD)


def test_pam_deactivates_alice_on_the_edit_page_and_alice_is_signed_out(client, pam, alice):
    leaver = _signed_in(alice)
    client.force_login(pam.user)
    data = {"full_name": alice.full_name, "employee_id": alice.employee_id, "seniority": 1}
    data |= {"time_zone": "Europe/London", "roles": ["participant"]}

    response = client.post(reverse("people:edit", args=[alice.pk]), data)

    assert response.status_code == 302
    assert leaver.get(reverse("people:me")).status_code == 302
    assert not Client().login(username=alice.user.username, password=PASSWORD)


def test_pam_deactivates_alice_through_the_api(client, pam, alice):
    leaver_headers = api_headers(alice)
    manager = api_headers(pam)

    response = client.patch(
        f"/api/people/{alice.pk}", {"is_active": False}, content_type="application/json", headers=manager
    )

    assert response.status_code == 200 and response.json()["team"]["is_active"] is False
    assert client.get("/api/people/me/profile", headers=leaver_headers).status_code == 401


def test_a_person_deactivated_behind_the_services_back_is_refused_on_every_path(client, alice):
    """Defence in depth: even when only Person.is_active changed (a raw update, the admin), the
    account keeps User.is_active, and yet nothing lets the leaver in."""
    leaver = _signed_in(alice)
    headers = api_headers(alice)

    Person.objects.filter(pk=alice.pk).update(is_active=False)

    assert leaver.get(reverse("people:me")).status_code == 302
    assert (
        leaver.session.session_key is None
        or not Session.objects.filter(session_key=leaver.session.session_key).exists()
    )
    assert client.get("/api/people/me/profile", headers=headers).status_code == 401
    assert not Client().login(username=alice.user.username, password=PASSWORD)


def test_the_sign_in_page_refuses_a_deactivated_person(client, pam, alice):
    person_update(actor=viewer_for(pam.user), person=alice, is_active=False)

    response = client.post(reverse("login"), {"login": alice.user.username, "password": PASSWORD})

    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated


def test_reactivating_alice_lets_her_sign_in_again(pam, alice):
    manager = viewer_for(pam.user)
    person_update(actor=manager, person=alice, is_active=False)

    person_update(actor=manager, person=alice, is_active=True)

    alice.user.refresh_from_db()
    assert alice.user.is_active
    returning = _signed_in(alice)
    assert returning.get(reverse("people:me")).status_code == 200


def test_deactivating_alice_leaves_bob_signed_in(pam, alice, bob):
    colleague = _signed_in(bob)
    headers = api_headers(bob)

    person_update(actor=viewer_for(pam.user), person=alice, is_active=False)

    assert colleague.get(reverse("people:me")).status_code == 200
    assert colleague.get("/api/people/me/profile", headers=headers).status_code == 200
