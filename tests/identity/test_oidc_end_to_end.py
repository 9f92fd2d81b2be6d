"""OpenID Connect sign-in end to end: Mentora's live server, a real django-oauth-toolkit provider
in its own process on loopback, and an HTTP client following the redirects as a browser does."""

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from mentora.people.models import Person
from tests.identity.browsing import submit_form
from tests.identity.conftest import IDP_PASSWORD, person_with_email

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("http_cookies")]


def _sign_in_through_provider(
    live_server, email: str, idp_username: str
) -> tuple[requests.Session, requests.Response]:
    """Type the work e-mail on "Sign in with your organisation", sign in at the provider, approve."""
    session = requests.Session()
    start = session.get(f"{live_server.url}/accounts/sso/")
    at_provider = submit_form(session, start, email=email)
    assert "/login/" in at_provider.url, at_provider.url
    consent = submit_form(session, at_provider, username=idp_username, password=IDP_PASSWORD)
    assert "/o/authorize/" in consent.url, consent.text[:500]
    landed = submit_form(session, consent, allow="Authorize")
    return session, landed


def _signed_in_as(session: requests.Session, live_server) -> str:
    return session.get(f"{live_server.url}/people/me/").text


def test_alice_signs_in_with_her_organisations_provider(live_server, acme_oidc, org):
    alice = person_with_email(org, "alice@acme.example", full_name="Alice Archer")

    session, landed = _sign_in_through_provider(live_server, "alice@acme.example", "alice")

    assert landed.status_code == 200 and landed.url == f"{live_server.url}/"
    assert "Alice Archer" in _signed_in_as(session, live_server)
    account = SocialAccount.objects.get(provider="oidc-acme")
    assert account.user_id == alice.user_id


def test_a_returning_identity_signs_in_the_person_it_was_linked_to(live_server, acme_oidc, org):
    alice = person_with_email(org, "alice@acme.example", full_name="Alice Archer")
    _sign_in_through_provider(live_server, "alice@acme.example", "alice")

    session, landed = _sign_in_through_provider(live_server, "alice@acme.example", "alice")

    assert landed.url == f"{live_server.url}/"
    assert SocialAccount.objects.filter(user=alice.user).count() == 1


def test_an_address_with_no_person_in_the_organisation_is_refused_and_nobody_is_created(
    live_server, acme_oidc, org
):
    people_before = Person.objects.count()

    session, landed = _sign_in_through_provider(live_server, "nobody@acme.example", "nobody")

    assert landed.status_code == 403
    assert "There is no Mentora account for you in Acme" in landed.text
    assert Person.objects.count() == people_before
    assert not SocialAccount.objects.exists()
    assert session.get(f"{live_server.url}/people/me/", allow_redirects=False).status_code == 302


def test_a_deactivated_person_is_refused(live_server, acme_oidc, org):
    person_with_email(org, "dora@acme.example", is_active=False)

    _, landed = _sign_in_through_provider(live_server, "dora@acme.example", "dora")

    assert landed.status_code == 403
    assert "deactivated" in landed.text
    assert not SocialAccount.objects.exists()


def test_acmes_provider_never_signs_in_a_person_of_another_organisation(live_server, acme_oidc, other_org):
    """Charlie of Globex exists in Mentora, and Acme's provider vouches for him: still refused."""
    charlie = person_with_email(other_org, "charlie@globex.example")

    _, landed = _sign_in_through_provider(live_server, "alice@acme.example", "charlie")

    assert landed.status_code == 403
    assert "There is no Mentora account for you in Acme" in landed.text
    assert not SocialAccount.objects.filter(user=charlie.user).exists()


def test_an_unverified_address_outside_the_organisations_domains_is_refused(live_server, acme_oidc, org):
    person_with_email(org, "mallory@elsewhere.example")

    _, landed = _sign_in_through_provider(live_server, "alice@acme.example", "mallory")

    assert landed.status_code == 403
    assert "did not confirm" in landed.text
    assert not SocialAccount.objects.exists()


def test_after_repeated_failed_callbacks_the_address_is_locked_out(live_server, acme_oidc, org, settings):
    settings.SSO_FAILURE_LIMIT = 2
    person_with_email(org, "alice@acme.example", full_name="Alice Archer")
    for _attempt in range(2):
        assert _sign_in_through_provider(live_server, "nobody@acme.example", "nobody")[1].status_code == 403

    session, landed = _sign_in_through_provider(live_server, "alice@acme.example", "alice")

    assert landed.status_code == 429
    assert "Too many failed single sign-on attempts" in landed.text
    assert not SocialAccount.objects.exists()
