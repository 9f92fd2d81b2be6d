"""A person's own API tokens through the API: created from a signed-in session (CSRF checked) or from
e-mail and password (and the authenticator code with a second factor), listed and revoked; wrong
passwords and codes lock the name as on the sign-in page; nobody sees or revokes anyone else's."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from mentora.accounts import services
from mentora.api.models import ApiToken, TokenScope
from mentora.audit.models import Action, AuditEvent
from mentora.core.roles import viewer_for
from tests.accounts.totp import totp_code
from tests.factories import PASSWORD, api_headers

URL = "/api/auth/tokens"


def _create(client, **body):
    return client.post(URL, {"name": "HR script", **body}, content_type="application/json")


def _bearer(response) -> dict[str, str]:
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_alice_creates_a_token_with_her_password_and_uses_it(client, alice):
    response = _create(client, email=alice.email, password=PASSWORD, scope="read_write", days=30)

    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("mnt_") and body["scope"] == "read_write"
    token = ApiToken.objects.get(pk=body["id"])
    assert (
        token.user == alice.user
        and round((token.expires_at - token.created_at).total_seconds() / 86400) == 30
    )
    assert client.get("/api/me/home", headers=_bearer(response)).status_code == 200
    assert AuditEvent.objects.filter(action=Action.API_TOKEN_CREATED, actor_person=alice).exists()


def test_a_token_is_read_only_unless_asked(client, alice):
    assert _create(client, email=alice.email, password=PASSWORD).json()["scope"] == TokenScope.READ


def test_a_wrong_password_is_403_and_makes_no_token(client, alice):
    response = _create(client, email=alice.email, password="wrong")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "invalid_credentials"
    assert not ApiToken.objects.exists()


def test_wrong_passwords_lock_the_name_as_on_the_sign_in_page(client, alice, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for attempt in range(3):
        _create(client, email=alice.email, password=f"guess-{attempt}")

    response = _create(client, email=alice.email, password=PASSWORD)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "sign_in_locked"
    assert not ApiToken.objects.exists()


def test_one_of_email_and_password_alone_names_the_missing_field(client, alice):
    response = _create(client, email=alice.email)

    assert response.status_code == 422
    assert [detail["field"] for detail in response.json()["error"]["details"]] == ["password"]


@pytest.fixture
def pam_with_totp(pam):
    secret = generate_totp_secret()
    TOTP.activate(pam.user, secret)
    return pam, secret


def test_with_a_second_factor_the_code_is_required_and_checked(client, pam_with_totp):
    pam, secret = pam_with_totp

    missing = _create(client, email=pam.email, password=PASSWORD)
    wrong = _create(client, email=pam.email, password=PASSWORD, code="000000")
    right = _create(client, email=pam.email, password=PASSWORD, code=totp_code(secret))

    assert (missing.status_code, missing.json()["error"]["code"]) == (403, "code_required")
    assert missing.json()["error"]["details"][0]["field"] == "code"
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (403, "invalid_code")
    assert right.status_code == 201
    assert ApiToken.objects.filter(user=pam.user).count() == 1


def test_a_wrong_code_counts_towards_the_lock(client, pam_with_totp, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    pam, secret = pam_with_totp
    for _attempt in range(2):
        _create(client, email=pam.email, password=PASSWORD, code="000000")

    response = _create(client, email=pam.email, password=PASSWORD, code=totp_code(secret))

    assert response.status_code == 429


def test_staff_who_must_set_up_a_second_factor_get_no_token_by_password(client, olga, pam):
    services.sign_in_policy_set(actor=viewer_for(olga.user), mfa_required_for_staff=True)

    response = _create(client, email=pam.email, password=PASSWORD)

    assert (response.status_code, response.json()["error"]["code"]) == (403, "mfa_setup_required")


def test_a_signed_in_session_creates_a_token_with_its_csrf_token(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice.user)
    page = browser.get("/accounts/tokens/")
    csrf = page.cookies["csrftoken"].value

    refused = browser.post(URL, {"name": "x"}, content_type="application/json")
    created = browser.post(URL, {"name": "x"}, content_type="application/json", headers={"X-CSRFToken": csrf})

    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "csrf_failed")
    assert created.status_code == 201
    assert ApiToken.objects.get().user == alice.user


def test_without_session_or_password_it_names_the_missing_credentials(client):
    response = _create(client)

    assert response.status_code == 422
    assert [detail["field"] for detail in response.json()["error"]["details"]] == ["email", "password"]


def test_a_bearer_token_cannot_make_another_token(client, alice):
    response = client.post(URL, {"name": "x"}, content_type="application/json", headers=api_headers(alice))

    assert response.status_code == 422
    assert ApiToken.objects.count() == 1


def test_alice_lists_and_revokes_her_own_tokens_only(client, alice, bob, charlie):
    headers = api_headers(alice)
    bob_headers = api_headers(bob)
    bob_token = ApiToken.objects.get(user=bob.user)

    listed = client.get(URL, headers=headers).json()
    assert [token["name"] for token in listed["results"]] == ["tests"] and listed["count"] == 1
    assert "token" not in listed["results"][0] and "digest" not in listed["results"][0]

    assert client.delete(f"{URL}/{bob_token.pk}", headers=headers).status_code == 404
    assert client.delete(f"{URL}/{bob_token.pk}", headers=api_headers(charlie)).status_code == 404
    assert client.get(URL, headers=bob_headers).status_code == 200

    mine = ApiToken.objects.get(user=alice.user, name="tests")
    assert client.delete(f"{URL}/{mine.pk}", headers=bob_headers).status_code == 404
    assert client.delete(f"{URL}/{mine.pk}", headers=headers).status_code == 204
    assert not ApiToken.objects.filter(pk=mine.pk).exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "x" * 101}, "body.payload.name"),
        ({"name": "x", "days": 0}, "body.payload.days"),
        ({"name": "x", "days": 366}, "body.payload.days"),
        ({"name": "x", "scope": "admin"}, "body.payload.scope"),
        ({}, "body.payload.name"),
    ],
)
def test_bad_input_names_the_field(client, alice, body, field):
    response = client.post(
        URL, {"email": alice.email, "password": PASSWORD, **body}, content_type="application/json"
    )

    assert response.status_code == 422
    assert field in [detail["field"] for detail in response.json()["error"]["details"]]
