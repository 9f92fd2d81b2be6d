"""Enforced single sign-on: password sign-in is refused for the organisation's people, on every
password path, except the break-glass admins flagged on the configuration page."""

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory

from mentora.core.roles import viewer_for
from mentora.identity.services import ProviderInput, identity_provider_save
from mentora.organisations.models import Role, RoleMembership
from tests.factories import PASSWORD, PersonFactory

BODY = {
    "protocol": "oidc",
    "domains": "acme.example",
    "oidc_issuer": "https://login.acme.example",
    "client_id": "mentora",
    "client_secret": "s",
}


@pytest.fixture
def enforced(olga):
    return identity_provider_save(
        actor=viewer_for(olga.user),
        data=ProviderInput(**BODY | {"enforce_sso": True, "break_glass_admin_ids": [olga.pk]}),
    )


def _password_works(person) -> bool:
    return Client().login(username=person.user.username, password=PASSWORD)


def test_alice_cannot_sign_in_with_her_password_when_sso_is_enforced(enforced, alice):
    assert not _password_works(alice)
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, email=alice.user.email, password=PASSWORD) is None


def test_the_break_glass_admin_still_signs_in_with_her_password(enforced, olga):
    assert _password_works(olga)


def test_an_org_admin_not_flagged_as_break_glass_is_refused(enforced, org):
    other_admin = PersonFactory(organisation=org, roles=[Role.ORG_ADMIN])
    assert not _password_works(other_admin)


def test_a_break_glass_admin_who_is_no_longer_org_admin_is_refused(enforced, olga):
    RoleMembership.objects.filter(person=olga, role=Role.ORG_ADMIN).delete()
    assert not _password_works(olga)


def test_without_enforcement_passwords_work(olga, alice):
    identity_provider_save(actor=viewer_for(olga.user), data=ProviderInput(**BODY))
    assert _password_works(alice)


def test_another_organisations_people_are_not_affected(enforced, charlie):
    assert _password_works(charlie)


def test_the_sign_in_page_refuses_alices_password(client, enforced, alice, settings):
    settings.AXES_ENABLED = True

    response = client.post("/accounts/login/", {"login": alice.user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "Acme signs in with single sign-on" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_address_of_an_enforcing_domain_gets_the_same_answer_with_or_without_an_account(
    client, enforced, org
):
    PersonFactory(organisation=org, user__username="real@acme.example", user__email="real@acme.example")

    answers = [
        client.post("/accounts/login/", {"login": login, "password": "whatever-it-is"}).context["form"].errors
        for login in ("real@acme.example", "nobody@acme.example")
    ]

    assert answers[0] == answers[1]
    assert "single sign-on" in str(answers[0])


def test_the_sign_in_page_leads_to_single_sign_on(client, db):
    assert "/accounts/sso/" in client.get("/accounts/login/").content.decode()
