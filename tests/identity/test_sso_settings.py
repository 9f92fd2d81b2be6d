"""The org admin's single sign-on page and its service: who may see and change it, what is checked,
and that a secret is never shown back."""

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentora.audit.models import Action, AuditEvent
from mentora.core.roles import viewer_for
from mentora.identity.models import IdentityProvider, SsoDomain
from mentora.identity.services import ProviderInput, identity_provider_save
from mentora.organisations.models import Role
from tests.factories import PersonFactory
from tests.identity.certificates import certificate_pem
from tests.markup import duplicate_ids, unlabelled_fields

SECRET = "the-client-secret-4711"
OIDC_FORM = {
    "protocol": "oidc",
    "domains": "acme.example, Acme.CO.uk",
    "oidc_issuer": "https://login.acme.example/",
    "client_id": "mentora",
    "client_secret": SECRET,
}


def _saml_form(**changes) -> dict:
    return {
        "protocol": "saml",
        "domains": "acme.example",
        "saml_entity_id": "https://idp.acme.example/metadata",
        "saml_sso_url": "https://idp.acme.example/sso",
        "saml_certificate": certificate_pem(),
        "email_attribute": "email",
    } | changes


@pytest.fixture
def mentor(org):
    return PersonFactory(organisation=org, full_name="Mia Mentor", roles=[Role.PARTICIPANT])


def test_olga_sees_that_single_sign_on_is_not_configured_and_mentoras_addresses(client, olga):
    client.force_login(olga.user)

    page = client.get(reverse("identity:settings"))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Single sign-on is not configured" in text
    assert "/accounts/oidc/oidc-acme/login/callback/" in text
    assert "/accounts/saml/acme/acs/" in text
    assert "/accounts/saml/acme/metadata/" in text
    assert duplicate_ids(text) == [] and unlabelled_fields(text) == []


def test_olga_configures_openid_connect_and_the_secret_is_never_shown_back(client, olga):
    client.force_login(olga.user)

    response = client.post(reverse("identity:settings"), OIDC_FORM)

    assert response.status_code == 302
    provider = IdentityProvider.objects.get(organisation=olga.organisation)
    assert provider.app.provider == "openid_connect" and provider.app.provider_id == "oidc-acme"
    assert provider.app.settings["server_url"] == "https://login.acme.example/"
    assert sorted(SsoDomain.objects.values_list("domain", flat=True)) == ["acme.co.uk", "acme.example"]
    page = client.get(reverse("identity:settings")).content.decode()
    assert SECRET not in page and SECRET[-4:] not in page
    assert "A client secret is stored" in page
    assert AuditEvent.objects.filter(
        action=Action.SSO_CONFIG_CHANGED, organisation=olga.organisation
    ).exists()


def test_an_empty_secret_keeps_the_stored_one(client, olga):
    client.force_login(olga.user)
    client.post(reverse("identity:settings"), OIDC_FORM)

    client.post(reverse("identity:settings"), OIDC_FORM | {"client_secret": "", "domains": "acme.example"})

    assert SocialApp.objects.get().secret == SECRET
    assert list(SsoDomain.objects.values_list("domain", flat=True)) == ["acme.example"]


def test_olga_configures_saml_with_a_certificate(client, olga):
    client.force_login(olga.user)

    response = client.post(reverse("identity:settings"), _saml_form())

    assert response.status_code == 302
    app = SocialApp.objects.get()
    assert (app.provider, app.provider_id, app.client_id) == ("saml", "saml-acme", "acme")
    assert app.settings["idp"]["entity_id"] == "https://idp.acme.example/metadata"
    assert app.settings["attribute_mapping"]["email"] == ["email"]
    assert app.settings["advanced"]["want_assertion_signed"] is True


def test_saml_metadata_fills_the_entity_id_address_and_certificate(client, olga):
    body = "".join(certificate_pem().splitlines()[1:-1])
    metadata = f"""<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
        xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.acme.example/meta">
      <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
        <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
          <ds:X509Certificate>{body}</ds:X509Certificate>
        </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
        <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
          Location="https://idp.acme.example/sso/redirect"/>
      </md:IDPSSODescriptor>
    </md:EntityDescriptor>"""
    client.force_login(olga.user)

    form = _saml_form(saml_entity_id="", saml_sso_url="", saml_certificate="", saml_metadata_xml=metadata)
    response = client.post(reverse("identity:settings"), form)

    assert response.status_code == 302
    idp = SocialApp.objects.get().settings["idp"]
    assert idp == {
        "entity_id": "https://idp.acme.example/meta",
        "sso_url": "https://idp.acme.example/sso/redirect",
        "x509cert": body,
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"oidc_issuer": "not a url"}, "oidc_issuer", "Enter a full address"),
        ({"oidc_issuer": "http://login.acme.example/"}, "oidc_issuer", "must start with https://"),
        ({"oidc_issuer": ""}, "oidc_issuer", "This field is required"),
        ({"client_id": ""}, "client_id", "This field is required"),
        ({"client_secret": ""}, "client_secret", "This field is required"),
        ({"domains": "not_a_domain"}, "domains", "is not an e-mail domain"),
        ({"domains": " , "}, "domains", "at least one e-mail domain"),
        ({"oidc_issuer": "https://x.example/" + "a" * 2100}, "oidc_issuer", "too long"),
    ],
)
def test_bad_openid_connect_settings_are_refused_and_nothing_is_saved(client, olga, changes, field, message):
    client.force_login(olga.user)

    response = client.post(reverse("identity:settings"), OIDC_FORM | changes)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not IdentityProvider.objects.exists() and not SocialApp.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"saml_certificate": "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----"},
            "saml_certificate",
            "not an X.509 certificate",
        ),
        ({"saml_certificate": "aGVsbG8="}, "saml_certificate", "not an X.509 certificate"),
        ({"saml_certificate": certificate_pem(days_valid=-2)}, "saml_certificate", "expired"),
        ({"saml_sso_url": "ftp://idp.acme.example/"}, "saml_sso_url", "Enter a full address"),
        ({"saml_entity_id": ""}, "saml_entity_id", "This field is required"),
        (
            {"saml_metadata_xml": "<html>not metadata</html>"},
            "saml_metadata_xml",
            "not an identity provider's",
        ),
        (
            {"saml_metadata_xml": "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>"},
            "saml_metadata_xml",
            "not an identity provider's",
        ),
    ],
)
def test_bad_saml_settings_are_refused_and_nothing_is_saved(client, olga, changes, field, message):
    client.force_login(olga.user)

    response = client.post(reverse("identity:settings"), _saml_form(**changes))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not IdentityProvider.objects.exists() and not SocialApp.objects.exists()


def test_a_domain_of_another_organisations_single_sign_on_is_refused(client, olga, charlie):
    charlie_admin = PersonFactory(organisation=charlie.organisation, roles=[Role.ORG_ADMIN])
    identity_provider_save(
        actor=viewer_for(charlie_admin.user), data=ProviderInput(**OIDC_FORM | {"domains": "acme.example"})
    )
    client.force_login(olga.user)

    response = client.post(reverse("identity:settings"), OIDC_FORM)

    assert "already used by another organisation" in " ".join(response.context["form"].errors["domains"])
    assert not IdentityProvider.objects.filter(organisation=olga.organisation).exists()


def test_enforcing_needs_a_break_glass_admin_of_the_organisation(client, olga, pam, charlie):
    client.force_login(olga.user)

    response = client.post(reverse("identity:settings"), OIDC_FORM | {"enforce_sso": "on"})
    assert "at least one break-glass admin" in " ".join(response.context["form"].errors["break_glass_admins"])

    response = client.post(
        reverse("identity:settings"), OIDC_FORM | {"enforce_sso": "on", "break_glass_admins": [pam.pk]}
    )
    assert response.context["form"].errors["break_glass_admins"]  # pam is no org admin: not a choice
    with pytest.raises(ValidationError, match="active org admins of your organisation"):
        identity_provider_save(
            actor=viewer_for(olga.user),
            data=ProviderInput(**OIDC_FORM | {"enforce_sso": True, "break_glass_admin_ids": [charlie.pk]}),
        )
    assert not IdentityProvider.objects.exists()

    response = client.post(
        reverse("identity:settings"), OIDC_FORM | {"enforce_sso": "on", "break_glass_admins": [olga.pk]}
    )
    assert response.status_code == 302
    provider = IdentityProvider.objects.get()
    assert provider.enforce_sso and list(provider.break_glass_admins.all()) == [olga]


def test_a_new_issuer_drops_the_identities_linked_through_the_old_one(olga, alice):
    provider = identity_provider_save(actor=viewer_for(olga.user), data=ProviderInput(**OIDC_FORM))
    SocialAccount.objects.create(user=alice.user, provider=provider.app.provider_id, uid="123")

    identity_provider_save(
        actor=viewer_for(olga.user), data=ProviderInput(**OIDC_FORM | {"client_secret": ""})
    )
    assert SocialAccount.objects.count() == 1

    new_issuer = OIDC_FORM | {"oidc_issuer": "https://other-idp.example/"}
    identity_provider_save(actor=viewer_for(olga.user), data=ProviderInput(**new_issuer))
    assert not SocialAccount.objects.exists()


def test_olga_switches_single_sign_on_off(client, olga, alice):
    provider = identity_provider_save(actor=viewer_for(olga.user), data=ProviderInput(**OIDC_FORM))
    SocialAccount.objects.create(user=alice.user, provider=provider.app.provider_id, uid="123")
    client.force_login(olga.user)

    response = client.post(reverse("identity:remove"))

    assert response.status_code == 302
    assert not IdentityProvider.objects.exists() and not SocialApp.objects.exists()
    assert not SocialAccount.objects.exists() and not SsoDomain.objects.exists()


@pytest.mark.parametrize("who", ["alice", "mentor", "lou", "leo", "pam"])
def test_nobody_but_an_org_admin_sees_or_changes_the_page(client, request, who, olga):
    identity_provider_save(actor=viewer_for(olga.user), data=ProviderInput(**OIDC_FORM))
    client.force_login(request.getfixturevalue(who).user)

    assert client.get(reverse("identity:settings")).status_code == 403
    assert client.post(reverse("identity:settings"), OIDC_FORM | {"client_id": "evil"}).status_code == 403
    assert client.post(reverse("identity:remove")).status_code == 403
    assert SocialApp.objects.get().client_id == "mentora"


def test_another_organisations_admin_sees_and_changes_only_their_own(client, olga, charlie):
    identity_provider_save(actor=viewer_for(olga.user), data=ProviderInput(**OIDC_FORM))
    globex_admin = PersonFactory(organisation=charlie.organisation, roles=[Role.ORG_ADMIN])
    client.force_login(globex_admin.user)

    page = client.get(reverse("identity:settings")).content.decode()
    assert "Single sign-on is not configured" in page and "login.acme.example" not in page
    client.post(reverse("identity:remove"))

    assert IdentityProvider.objects.filter(organisation=olga.organisation).exists()


def test_the_page_asks_a_stranger_to_sign_in(client):
    response = client.get(reverse("identity:settings"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_org_admins_find_the_page_in_their_navigation(client, olga, alice):
    client.force_login(olga.user)
    assert reverse("identity:settings") in client.get(reverse("home")).content.decode()
    client.force_login(alice.user)
    assert reverse("identity:settings") not in client.get(reverse("home")).content.decode()


def test_an_organisation_with_a_long_name_configures_single_sign_on(olga):
    olga.organisation.name = "The Very Long Official Name Of A Company Group Holding " * 3
    olga.organisation.save()

    provider = identity_provider_save(actor=viewer_for(olga.user), data=ProviderInput(**OIDC_FORM))

    assert olga.organisation.name.startswith(provider.app.name)
