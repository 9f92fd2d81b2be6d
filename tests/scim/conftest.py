import json

import pytest

from mentora.core.roles import viewer_for
from mentora.scim.services import scim_token_create
from tests.workspace.fixtures import (  # noqa: F401
    dora,
    other_relationship,
    outsiders,
    program,
    relationship,
)

BASE = "/scim/v2"


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def token(olga) -> str:
    """A SCIM token of Acme (Olga is its org admin)."""
    _token, raw = scim_token_create(actor=viewer_for(olga.user), name="Okta")
    return raw


@pytest.fixture
def globex_token(other_org) -> str:
    from tests.factories import PersonFactory

    admin = PersonFactory(organisation=other_org, full_name="Gus Globex", roles=["org_admin"])
    _token, raw = scim_token_create(actor=viewer_for(admin.user), name="Entra")
    return raw


def scim(client, token: str, method: str, path: str, body=None, *, raw_body: bytes | None = None):
    """One SCIM request as an identity provider sends it."""
    data = raw_body if raw_body is not None else (json.dumps(body) if body is not None else None)
    kwargs = {"content_type": "application/scim+json"} if data is not None else {}
    return getattr(client, method.lower())(
        BASE + path, data, headers={"Authorization": f"Bearer {token}"}, **kwargs
    )
