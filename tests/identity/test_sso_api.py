"""/api/sso: the organisation's single sign-on configuration over REST. Org admins only; the client
secret can be written, never read."""

import pytest
from allauth.socialaccount.models import SocialApp
from django.urls import reverse

from mentora.identity.models import IdentityProvider
from mentora.organisations.models import Role
from tests.factories import PersonFactory, api_headers

SECRET = "api-secret-0815"
BODY = {
    "protocol": "oidc",
    "domains": ["acme.example"],
    "oidc_issuer": "https://login.acme.example",
    "client_id": "mentora",
    "client_secret": SECRET,
}


def _put(client, person, body):
    return client.put("/api/sso", body, content_type="application/json", headers=api_headers(person))


def test_olga_configures_single_sign_on_and_reads_it_back_without_the_secret(client, olga):
    assert client.get("/api/sso", headers=api_headers(olga)).status_code == 404

    response = _put(client, olga, BODY | {"enforce_sso": True, "break_glass_admins": [olga.pk]})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["client_secret_set"] is True and "client_secret" not in body
    assert SECRET not in response.content.decode()
    assert body["enforce_sso"] is True and body["break_glass_admins"] == [olga.pk]
    read = client.get("/api/sso", headers=api_headers(olga))
    assert read.json() == body and SECRET not in read.content.decode()


def test_a_put_without_a_secret_keeps_the_stored_one(client, olga):
    _put(client, olga, BODY)

    response = _put(client, olga, BODY | {"client_secret": "", "client_id": "renamed"})

    assert response.status_code == 200
    assert SocialApp.objects.get().secret == SECRET and SocialApp.objects.get().client_id == "renamed"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"oidc_issuer": "javascript:alert(1)"}, "oidc_issuer"),
        ({"domains": ["acme"]}, "domains"),
        ({"protocol": "saml", "saml_certificate": "nope"}, "saml_certificate"),
        ({"enforce_sso": True}, "break_glass_admins"),
        ({"break_glass_admins": [999999]}, "break_glass_admins"),
    ],
)
def test_bad_input_is_refused_per_field_and_nothing_is_saved(client, olga, changes, field):
    response = _put(client, olga, BODY | changes)

    assert response.status_code == 422
    assert field in [detail["field"] for detail in response.json()["error"]["details"]]
    assert not IdentityProvider.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"protocol": "kerberos", "domains": ["acme.example"]},
        {"protocol": "oidc", "domains": []},
        {"protocol": "oidc"},
        BODY | {"client_id": "x" * 500},
        BODY | {"break_glass_admins": ["olga"]},
    ],
)
def test_malformed_bodies_are_refused_with_the_api_error_shape(client, olga, body):
    response = _put(client, olga, body)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    assert not IdentityProvider.objects.exists()


def test_olga_switches_single_sign_on_off(client, olga):
    _put(client, olga, BODY)

    assert client.delete("/api/sso", headers=api_headers(olga)).status_code == 204
    assert not IdentityProvider.objects.exists() and not SocialApp.objects.exists()


@pytest.mark.parametrize("who", ["alice", "bob", "lou", "leo", "pam"])
def test_every_other_role_is_refused(client, request, who, olga):
    _put(client, olga, BODY)
    person = request.getfixturevalue(who)

    assert client.get("/api/sso", headers=api_headers(person)).status_code == 403
    assert _put(client, person, BODY | {"client_id": "evil"}).status_code == 403
    assert client.delete("/api/sso", headers=api_headers(person)).status_code == 403
    assert SocialApp.objects.get().client_id == "mentora"


def test_another_organisations_admin_reaches_only_their_own(client, olga, other_org):
    _put(client, olga, BODY)
    globex_admin = PersonFactory(organisation=other_org, roles=[Role.ORG_ADMIN])

    assert client.get("/api/sso", headers=api_headers(globex_admin)).status_code == 404
    assert client.delete("/api/sso", headers=api_headers(globex_admin)).status_code == 204
    assert _put(client, globex_admin, BODY).status_code == 422  # acme.example is Acme's domain

    assert IdentityProvider.objects.get().organisation_id == olga.organisation_id


def test_without_a_token_the_api_answers_401(client):
    assert client.get("/api/sso").status_code == 401


def test_the_settings_page_shows_what_the_api_answers(client, olga):
    """Both read the provider with identity.selectors.provider_settings."""
    _put(client, olga, BODY | {"domains": ["acme.example", "acme.test"], "break_glass_admins": [olga.pk]})
    body = client.get("/api/sso", headers=api_headers(olga)).json()
    client.force_login(olga.user)
    form = client.get(reverse("identity:settings")).context["form"]
    shown = {name: form[name].value() for name in form.fields if name in body}
    assert shown.pop("domains") == ", ".join(body["domains"]) == "acme.example, acme.test"
    assert body["break_glass_admins"] == [olga.pk]
    assert shown == {name: body[name] for name in shown}
    assert len(shown) >= 8
