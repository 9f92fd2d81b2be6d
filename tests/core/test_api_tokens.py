from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from mentora.api.models import ApiToken
from mentora.api.services import api_token_create
from tests.factories import PASSWORD, api_headers


def test_alice_creates_a_token_sees_it_once_and_uses_it(client, alice):
    client.force_login(alice.user)
    response = client.post(reverse("api_tokens"), {"name": "HR sync", "scope": "read", "days": "30"})
    raw = response.context["raw"]
    assert raw.startswith("mnt_") and raw in response.content.decode()
    assert raw not in client.get(reverse("api_tokens")).content.decode()
    client.logout()
    me = client.get("/api/people/me/profile", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200 and me.json()["full_name"] == "Alice Archer"


def test_a_token_without_a_name_is_refused(client, alice):
    client.force_login(alice.user)
    response = client.post(reverse("api_tokens"), {"name": ""})
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_alice_revokes_her_token_and_it_stops_working(client, alice):
    headers = api_headers(alice)
    token = ApiToken.objects.get(user=alice.user)
    client.force_login(alice.user)
    assert client.post(reverse("api_token_delete", args=[token.pk])).status_code == 302
    assert client.get("/api/people/me/profile", headers=headers).status_code == 401


def test_bob_cannot_see_or_revoke_alices_tokens(client, alice, bob):
    api_headers(alice)
    token = ApiToken.objects.get(user=alice.user)
    client.force_login(bob.user)
    assert "tests" not in client.get(reverse("api_tokens")).content.decode()
    assert client.post(reverse("api_token_delete", args=[token.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_the_tokens_page_is_in_the_account_menu(client, alice):
    client.force_login(alice.user)
    assert reverse("api_tokens") in client.get(reverse("home")).content.decode()


def test_a_token_of_a_deactivated_user_is_refused(client, alice):
    headers = api_headers(alice)
    alice.user.is_active = False
    alice.user.save()
    assert client.get("/api/people/me/profile", headers=headers).status_code == 401


def test_a_read_only_token_reads_but_cannot_write(client, alice):
    client.force_login(alice.user)
    raw = client.post(reverse("api_tokens"), {"name": "report", "scope": "read", "days": "7"}).context["raw"]
    client.logout()
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/people/me/profile", headers=headers).status_code == 200

    response = client.put("/api/people/me/profile", {}, content_type="application/json", headers=headers)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only_token"


def test_a_read_write_token_writes(client, alice):
    _token, raw = api_token_create(user=alice.user, name="sync", scope="read_write", days=7)
    response = client.put(
        "/api/people/me/profile",
        {"job_title": "Engineer"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200 and response.json()["job_title"] == "Engineer"


def test_a_token_expires_after_the_chosen_lifetime(client, alice):
    client.force_login(alice.user)
    raw = client.post(reverse("api_tokens"), {"name": "x", "scope": "read", "days": "30"}).context["raw"]
    token = ApiToken.objects.get(user=alice.user)
    assert timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= timedelta(days=30)
    client.logout()
    headers = {"Authorization": f"Bearer {raw}"}

    with freeze_time(timezone.now() + timedelta(days=29)):
        assert client.get("/api/people/me/profile", headers=headers).status_code == 200
    with freeze_time(timezone.now() + timedelta(days=30, minutes=1)):
        assert client.get("/api/people/me/profile", headers=headers).status_code == 401


@pytest.mark.parametrize("days", ["0", "366", "10000", "soon"])
def test_a_lifetime_beyond_a_year_or_not_offered_is_refused(client, alice, days):
    client.force_login(alice.user)
    response = client.post(reverse("api_tokens"), {"name": "x", "scope": "read", "days": days})
    assert "days" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_the_service_refuses_a_lifetime_beyond_a_year_and_an_unknown_scope(alice):
    with pytest.raises(ValidationError):
        api_token_create(user=alice.user, name="x", days=366)
    with pytest.raises(ValidationError):
        api_token_create(user=alice.user, name="x", scope="admin")


def test_the_tokens_page_shows_access_expiry_and_last_use(client, alice):
    headers = api_headers(alice)
    client.get("/api/people/me/profile", headers=headers)
    client.force_login(alice.user)
    body = client.get(reverse("api_tokens")).content.decode()
    assert "Read and write" in body and "Expires" in body and "never" not in body


def test_changing_the_password_revokes_every_token(client, alice):
    headers = api_headers(alice)
    api_headers(alice)
    client.force_login(alice.user)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )

    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=alice.user).exists()
    client.logout()
    assert client.get("/api/people/me/profile", headers=headers).status_code == 401


def test_a_password_set_anywhere_else_revokes_the_tokens_too(alice):
    api_headers(alice)
    alice.user.set_password("another-long-passphrase")
    alice.user.save()
    assert not ApiToken.objects.filter(user=alice.user).exists()


def test_signing_in_or_saving_the_account_keeps_the_tokens(client, alice):
    api_headers(alice)
    assert client.login(username=alice.user.username, password=PASSWORD)
    alice.user.first_name = "Alice"
    alice.user.save()
    # Re-hashing the same password (a new hasher setting) is not a change of password.
    alice.user.set_password(PASSWORD)
    alice.user.save()
    assert ApiToken.objects.filter(user=alice.user).count() == 1


@override_settings(API_TOKEN_FAILURE_LIMIT=5)
def test_wrong_tokens_are_throttled_per_client_address(client, alice):
    headers = api_headers(alice)
    for attempt in range(5):
        response = client.get("/api/people/me/profile", headers={"Authorization": f"Bearer wrong{attempt}"})
        assert response.status_code == 401

    response = client.get("/api/people/me/profile", headers=headers)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "too_many_attempts"
    other_address = client.get("/api/people/me/profile", headers=headers, REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 200
