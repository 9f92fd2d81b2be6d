"""Fixtures of the single sign-on tests: the real test identity providers on loopback and the
people of two organisations who sign in through them."""

import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

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
