"""Fixtures of the single sign-on tests: the real test identity providers on loopback and the
people of two organisations who sign in through them."""

import datetime
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from mentora.core.roles import viewer_for
from mentora.identity.services import ProviderInput, identity_provider_save
from mentora.organisations.models import Role
from tests.factories import PersonFactory, UserFactory
from tests.identity_providers.process import ProviderProcess, free_port

IDP_PASSWORD = "idp-password-for-tests"
OIDC_CLIENT_ID = "mentora-acme"
OIDC_CLIENT_SECRET = "s3cret-of-the-test-client"
# The provider's users: who they are there. Mentora's people are made per test.
IDP_USERS = [
    {"username": "alice", "email": "alice@acme.example", "first_name": "Alice", "last_name": "Archer"},
    {"username": "dora", "email": "dora@acme.example", "first_name": "Dora", "last_name": "Deactivated"},
    {"username": "nobody", "email": "nobody@acme.example", "first_name": "No", "last_name": "Body"},
    {"username": "charlie", "email": "charlie@globex.example", "first_name": "Charlie", "last_name": "C"},
    {
        "username": "mallory",
        "email": "mallory@elsewhere.example",
        "first_name": "unverified",
        "last_name": "M",
    },
]


def rsa_private_key_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """django-oauth-toolkit with OpenID Connect on, in its own process, database and RS256 key."""
    folder = tmp_path_factory.mktemp("oidc-provider")
    (folder / "key.pem").write_bytes(rsa_private_key_pem())
    redirect_uri = f"{live_server.url}/accounts/oidc/oidc-acme/login/callback/"
    setup = {
        "users": [user | {"password": IDP_PASSWORD} for user in IDP_USERS],
        "client": {
            "client_id": OIDC_CLIENT_ID,
            "client_secret": OIDC_CLIENT_SECRET,
            "redirect_uris": redirect_uri,
        },
    }
    (folder / "setup.json").write_text(json.dumps(setup))
    port = free_port()
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.identity_providers.oidc.settings",
        "IDP_DATABASE": str(folder / "idp.sqlite3"),
        "IDP_RSA_KEY_FILE": str(folder / "key.pem"),
        "IDP_SETUP": str(folder / "setup.json"),
        "IDP_PORT": str(port),
    }
    provider = ProviderProcess(
        ["-m", "tests.identity_providers.oidc.serve"], port=port, env=env, log=folder / "server.log"
    )
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture
def http_cookies(settings):
    """The tests' HTTP client talks plain http to the live server: cookies must not be https-only."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def acme_oidc(org, olga, oidc_provider):
    """Acme's org admin has configured the test provider for acme.example."""
    data = ProviderInput(
        protocol="oidc",
        domains="acme.example",
        oidc_issuer=f"{oidc_provider.url}/o",
        client_id=OIDC_CLIENT_ID,
        client_secret=OIDC_CLIENT_SECRET,
    )
    return identity_provider_save(actor=viewer_for(olga.user), data=data)


def person_with_email(org, email: str, **kwargs):
    user = UserFactory(username=email, email=email)
    return PersonFactory(organisation=org, user=user, roles=[Role.PARTICIPANT], **kwargs)


def self_signed_certificate() -> tuple[bytes, bytes]:
    """(private key PEM, certificate PEM) for the SAML IdP's signatures."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test SAML IdP")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)


SP_METADATA = """<?xml version="1.0"?>
<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">
{entities}
</md:EntitiesDescriptor>"""
SP_ENTITY = """<md:EntityDescriptor entityID="{entity_id}">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:AssertionConsumerService index="1"
        Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{acs}"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>"""
SAML_USERS = {
    "alice": {"email": "alice@acme.example", "given_name": "Alice", "surname": "Archer"},
    "nobody": {"email": "nobody@acme.example", "given_name": "No", "surname": "Body"},
    "charlie": {"email": "charlie@globex.example", "given_name": "Charlie", "surname": "C"},
    "unsigned": {
        "email": "alice@acme.example",
        "given_name": "Alice",
        "surname": "Archer",
        "mode": "unsigned",
    },
    "tampered": {
        "email": "alice@acme.example",
        "tampered_email": "olga@acme.example",
        "given_name": "Alice",
        "surname": "Archer",
        "mode": "tampered",
    },
    "elsewhere": {"email": "alice@acme.example", "given_name": "A", "surname": "A", "mode": "wrong_audience"},
}


@pytest.fixture(scope="session")
def saml_provider(live_server, tmp_path_factory):
    """pysaml2 as a SAML identity provider signing its assertions with xmlsec1, in its own process."""
    from tests.identity_providers.saml.serve import WRONG_AUDIENCE

    folder = tmp_path_factory.mktemp("saml-provider")
    key_pem, certificate_pem = self_signed_certificate()
    (folder / "key.pem").write_bytes(key_pem)
    (folder / "cert.pem").write_bytes(certificate_pem)
    acs = f"{live_server.url}/accounts/saml/acme/acs/"
    entities = [
        SP_ENTITY.format(entity_id=f"{live_server.url}/accounts/saml/acme/metadata/", acs=acs),
        SP_ENTITY.format(entity_id=WRONG_AUDIENCE, acs=acs),
    ]
    (folder / "sp.xml").write_text(SP_METADATA.format(entities="\n".join(entities)))
    port = free_port()
    setup = {
        "port": port,
        "key_file": str(folder / "key.pem"),
        "cert_file": str(folder / "cert.pem"),
        "sp_metadata_file": str(folder / "sp.xml"),
        "users": {name: user | {"password": IDP_PASSWORD} for name, user in SAML_USERS.items()},
    }
    (folder / "setup.json").write_text(json.dumps(setup))
    provider = ProviderProcess(
        ["-m", "tests.identity_providers.saml.serve"],
        port=port,
        env={"IDP_SETUP": str(folder / "setup.json")},
        log=folder / "server.log",
    )
    provider.certificate = certificate_pem.decode()
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture
def acme_saml(org, olga, saml_provider):
    """Acme's org admin has configured the test SAML IdP for acme.example."""
    data = ProviderInput(
        protocol="saml",
        domains="acme.example",
        saml_entity_id=f"{saml_provider.url}/metadata",
        saml_sso_url=f"{saml_provider.url}/sso/redirect",
        saml_certificate=saml_provider.certificate,
        email_attribute="urn:oid:0.9.2342.19200300.100.1.3",
        first_name_attribute="urn:oid:2.5.4.42",
        last_name_attribute="urn:oid:2.5.4.4",
    )
    return identity_provider_save(actor=viewer_for(olga.user), data=data)
