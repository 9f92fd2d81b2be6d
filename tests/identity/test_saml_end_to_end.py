"""SAML 2.0 sign-in end to end: Mentora's live server (allauth's saml provider, python3-saml) and a
pysaml2 identity provider in its own process on loopback that signs its assertions with xmlsec1."""

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from tests.identity.browsing import submit_form
from tests.identity.conftest import IDP_PASSWORD, person_with_email

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("http_cookies")]


def _sign_in_through_idp(live_server, idp_username: str) -> tuple[requests.Session, requests.Response]:
    session = requests.Session()
    start = session.get(f"{live_server.url}/accounts/sso/")
    at_idp = submit_form(session, start, email="someone@acme.example")
    assert "/sso/redirect" in at_idp.url, at_idp.text[:500]
    auto_post = submit_form(session, at_idp, username=idp_username, password=IDP_PASSWORD)
    assert auto_post.status_code == 200 and "SAMLResponse" in auto_post.text, auto_post.text[:500]
    landed = submit_form(session, auto_post)
    return session, landed


def test_alice_signs_in_with_a_signed_assertion(live_server, acme_saml, org):
    alice = person_with_email(org, "alice@acme.example", full_name="Alice Archer")

    session, landed = _sign_in_through_idp(live_server, "alice")

    assert landed.status_code == 200 and landed.url == f"{live_server.url}/", landed.text[:1000]
    assert "Alice Archer" in session.get(f"{live_server.url}/people/me/").text
    assert SocialAccount.objects.get(provider="saml-acme").user_id == alice.user_id


def test_an_unsigned_assertion_is_refused(live_server, acme_saml, org, caplog):
    person_with_email(org, "alice@acme.example")

    session, landed = _sign_in_through_idp(live_server, "unsigned")

    assert landed.status_code == 403
    assert "The Assertion of the Response is not signed" in caplog.text
    assert not SocialAccount.objects.exists()
    assert session.get(f"{live_server.url}/people/me/", allow_redirects=False).status_code == 302


def test_an_assertion_changed_after_signing_is_refused(live_server, acme_saml, org, caplog):
    """The IdP signed Alice's assertion; someone changed its e-mail to Olga's afterwards."""
    person_with_email(org, "alice@acme.example")
    olga_admin = person_with_email(org, "olga@acme.example")

    session, landed = _sign_in_through_idp(live_server, "tampered")

    assert landed.status_code == 403
    assert "Signature validation failed" in caplog.text
    assert not SocialAccount.objects.filter(user=olga_admin.user).exists()
    assert session.get(f"{live_server.url}/people/me/", allow_redirects=False).status_code == 302


def test_an_assertion_for_another_audience_is_refused(live_server, acme_saml, org, caplog):
    person_with_email(org, "alice@acme.example")

    _, landed = _sign_in_through_idp(live_server, "elsewhere")

    assert landed.status_code == 403
    assert "is not a valid audience for this Response" in caplog.text
    assert not SocialAccount.objects.exists()


def test_acmes_idp_never_signs_in_a_person_of_another_organisation(live_server, acme_saml, other_org):
    charlie = person_with_email(other_org, "charlie@globex.example")

    _, landed = _sign_in_through_idp(live_server, "charlie")

    assert landed.status_code == 403
    # SAML sends no "verified" claim: an address outside Acme's own domains is not taken from Acme's IdP.
    assert "did not confirm that charlie@globex.example is verified" in landed.text
    assert not SocialAccount.objects.filter(user=charlie.user).exists()
