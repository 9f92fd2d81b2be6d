"""Brute force: wrong passwords lock a sign-in name; the org admin of the same organisation, and
only they, can unlock it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from mentora.organisations.models import Role
from tests.factories import PASSWORD, PersonFactory, api_headers


@pytest.fixture(autouse=True)
def lockouts_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


@pytest.fixture
def gina(other_org):
    """Globex's org admin."""
    return PersonFactory(organisation=other_org, full_name="Gina Globex", roles=[Role.ORG_ADMIN])


def _sign_in(client, person, password, url=None):
    if url:  # Django's admin sign-in form names the field `username`
        return client.post(url, {"username": person.user.username, "password": password})
    return client.post(reverse("login"), {"login": person.user.username, "password": password})


def _hammer(client, person, times=30):
    for attempt in range(times):
        _sign_in(client, person, f"guess-{attempt}")


def test_after_30_wrong_passwords_the_right_one_is_refused(client, alice):
    _hammer(client, alice)

    response = _sign_in(client, alice, PASSWORD)

    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
    body = response.content.decode()
    assert "Sign-in locked" in body and "organisation admin" in body and "30 minutes" in body


def test_a_sign_in_under_the_limit_works_and_starts_the_count_again(client, alice):
    _hammer(client, alice, times=4)
    assert _sign_in(client, alice, PASSWORD).status_code == 302
    client.logout()
    _hammer(client, alice, times=4)
    assert _sign_in(client, alice, PASSWORD).status_code == 302


def test_the_admin_sign_in_is_locked_too(client, alice):
    _hammer(client, alice)
    response = _sign_in(client, alice, PASSWORD, url=reverse("admin:login"))
    assert response.status_code == 429 and "Sign-in locked" in response.content.decode()


def test_the_lock_ends_after_the_cool_off(client, alice):
    _hammer(client, alice)
    with freeze_time(timezone.now() + timedelta(minutes=31)):
        assert _sign_in(client, alice, PASSWORD).status_code == 302


def test_locking_alice_does_not_lock_bob(client, alice, bob):
    _hammer(client, alice)
    assert _sign_in(client, bob, PASSWORD).status_code == 302


def test_olga_sees_alice_locked_and_unlocks_her(client, olga, alice, bob):
    _hammer(client, alice)
    client.force_login(olga.user)

    page = client.get(reverse("accounts:lockouts"))

    assert [row.person for row in page.context["rows"]] == [alice]
    assert page.context["rows"][0].failures >= 5
    assert client.post(reverse("accounts:unlock", args=[alice.pk])).status_code == 302
    assert not client.get(reverse("accounts:lockouts")).context["rows"]
    client.logout()
    assert _sign_in(client, alice, PASSWORD).status_code == 302


def test_another_organisations_admin_neither_sees_nor_unlocks_alice(client, alice, gina):
    _hammer(client, alice)
    client.force_login(gina.user)

    assert not client.get(reverse("accounts:lockouts")).context["rows"]
    assert client.post(reverse("accounts:unlock", args=[alice.pk])).status_code == 404
    client.logout()
    assert _sign_in(client, alice, PASSWORD).status_code == 429


def test_a_program_manager_or_participant_cannot_unlock(client, pam, bob, alice):
    _hammer(client, alice)
    for person in (pam, bob):
        client.force_login(person.user)
        assert client.get(reverse("accounts:lockouts")).status_code == 403
        assert client.post(reverse("accounts:unlock", args=[alice.pk])).status_code == 403
    client.logout()
    assert _sign_in(client, alice, PASSWORD).status_code == 429


def test_only_org_admins_see_the_locked_accounts_link(client, olga, pam):
    link = reverse("accounts:lockouts")
    client.force_login(olga.user)
    assert link in client.get(reverse("home")).content.decode()
    client.force_login(pam.user)
    assert link not in client.get(reverse("home")).content.decode()


def test_the_api_lists_and_unlocks_for_the_org_admin_only(client, olga, pam, alice, gina):
    _hammer(client, alice)
    url = "/api/accounts/lockouts"
    unlock = f"{url}/{alice.pk}/unlock"

    assert client.get(url, headers=api_headers(pam)).status_code == 403
    assert client.get(url, headers=api_headers(gina)).json() == []
    assert client.post(unlock, headers=api_headers(gina)).status_code == 404
    assert client.post(unlock, headers=api_headers(pam)).status_code == 403
    listed = client.get(url, headers=api_headers(olga)).json()
    assert [row["person_id"] for row in listed] == [alice.pk]

    assert client.post(unlock, headers=api_headers(olga)).status_code == 204
    assert _sign_in(client, alice, PASSWORD).status_code == 302


def test_unlocking_an_unknown_id_is_not_found(client, olga):
    assert client.post("/api/accounts/lockouts/999999/unlock", headers=api_headers(olga)).status_code == 404
    client.force_login(olga.user)
    assert client.post(reverse("accounts:unlock", args=[999999])).status_code == 404
