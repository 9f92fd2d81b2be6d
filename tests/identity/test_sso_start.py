""" "Sign in with your organisation": the work e-mail's domain picks the organisation's provider."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import RequestFactory
from django.urls import reverse

from mentora.accounts.selectors import locked_accounts
from mentora.core.roles import viewer_for
from mentora.identity.lock import sso_failure_record, sso_is_locked
from mentora.identity.services import ProviderInput, identity_provider_save
from tests.identity.certificates import certificate_pem
from tests.identity_providers.process import free_port
from tests.markup import duplicate_ids, unlabelled_fields


@pytest.fixture
def acme_saml(olga):
    data = ProviderInput(
        protocol="saml",
        domains="acme.example",
        saml_entity_id="https://idp.acme.example/metadata",
        saml_sso_url="https://idp.acme.example/sso",
        saml_certificate=certificate_pem(),
    )
    return identity_provider_save(actor=viewer_for(olga.user), data=data)


def test_the_page_asks_for_the_work_email(client, db):
    page = client.get(reverse("identity:start"))

    assert page.status_code == 200
    text = page.content.decode()
    assert 'type="email"' in text and duplicate_ids(text) == [] and unlabelled_fields(text) == []


def test_an_address_of_a_configured_domain_goes_to_its_identity_provider(client, acme_saml, settings):
    # python3-saml refuses single-label host names such as "testserver" in its addresses.
    settings.ALLOWED_HOSTS = ["mentora.example"]
    response = client.post(
        reverse("identity:start"), {"email": "Someone@ACME.example"}, HTTP_HOST="mentora.example"
    )

    assert response.status_code == 302
    target = urlsplit(response.url)
    assert f"{target.scheme}://{target.netloc}{target.path}" == "https://idp.acme.example/sso"
    assert "SAMLRequest" in parse_qs(target.query)


def test_an_address_of_another_domain_is_told_single_sign_on_is_not_set_up(client, acme_saml):
    response = client.post(reverse("identity:start"), {"email": "someone@globex.example"})

    assert response.status_code == 200
    assert "Single sign-on is not set up for this address" in response.content.decode()


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b@c", "x" * 300 + "@acme.example"])
def test_bad_addresses_are_refused_on_the_form(client, acme_saml, email):
    response = client.post(reverse("identity:start"), {"email": email})

    assert response.status_code == 200
    assert response.context["form"].errors["email"]


def test_an_unreachable_provider_is_explained_not_a_server_error(client, olga):
    nothing_listens = f"http://127.0.0.1:{free_port()}"
    data = ProviderInput(
        protocol="oidc", domains="acme.example", oidc_issuer=nothing_listens, client_id="c", client_secret="s"
    )
    identity_provider_save(actor=viewer_for(olga.user), data=data)

    response = client.post(reverse("identity:start"), {"email": "alice@acme.example"})

    assert response.status_code == 200
    assert "cannot be reached just now" in response.content.decode()


def _request(address: str = "10.0.0.1"):
    request = RequestFactory().post("/accounts/oidc/oidc-acme/login/callback/", REMOTE_ADDR=address)
    request.session = {}
    return request


def test_failed_callbacks_from_one_address_lock_that_address(settings, db):
    settings.SSO_FAILURE_LIMIT = 3
    for _attempt in range(3):
        assert not sso_is_locked(_request())
        sso_failure_record(_request())

    assert sso_is_locked(_request())
    assert not sso_is_locked(_request("10.0.0.2"))


def test_failed_callbacks_naming_a_person_lock_that_person_like_wrong_passwords(settings, alice):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    for address in ("10.0.0.1", "10.0.0.2"):
        sso_failure_record(_request(address), email=alice.user.email)

    assert sso_is_locked(_request("10.0.0.3"), email=alice.user.email)
    assert [row.person for row in locked_accounts(organisation_id=alice.organisation_id)] == [alice]
