"""The scope table: every operation of the published API either needs one of the fixed scopes or is
named as never a service account's, so a new router has to choose; and the table reads as documented."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mentora.api_root import api
from mentora.core.roles import viewer_for
from mentora.serviceaccounts.scopes import PERSONAL_ROUTERS, RULES, SCOPES, scope_for
from mentora.serviceaccounts.services import service_account_create


def _operations():
    schema = api.get_openapi_schema(path_prefix="/api/")
    for path, operations in schema["paths"].items():
        for method in operations:
            yield method.upper(), path.removeprefix("/api/")


def test_every_operation_is_in_the_table_or_named_personal():
    undecided = [
        (method, path)
        for method, path in _operations()
        if not any(rule.path.match(path) for rule in RULES) and path.split("/")[0] not in PERSONAL_ROUTERS
    ]
    assert undecided == []


def test_no_path_is_both_scoped_and_personal():
    both = [
        path
        for _method, path in _operations()
        if path.split("/")[0] in PERSONAL_ROUTERS and scope_for(method="GET", path=path)
    ]
    assert both == []


def test_every_scope_is_needed_by_some_operation():
    needed = {scope_for(method=method, path=path) for method, path in _operations()}
    assert set(SCOPES) <= needed


@pytest.mark.parametrize(
    "method, path, scope",
    [
        ("GET", "people/", "people:read"),
        ("POST", "people/imports", "people:write"),
        ("GET", "programs/7", "programs:read"),
        ("PATCH", "programs/7", "programs:write"),
        ("POST", "programs/7/invitations", "enrolments:write"),
        ("GET", "programs/7/invitations", "programs:read"),
        ("POST", "programs/7/enrolments/decisions", "enrolments:write"),
        ("POST", "matching/runs", "programs:write"),
        ("GET", "hr-sync/", "hr-sync:write"),
        ("GET", "audit/events", "audit:read"),
        ("GET", "me/home", None),
        ("POST", "pairs/3/goals", None),
        ("POST", "service-accounts/", None),
        # A person's own operations under a scoped prefix: they would act on the account's maker.
        ("GET", "people/me/self-assessment", None),
        ("PUT", "people/me/profile", None),
        ("DELETE", "people/me/demographics", None),
        ("GET", "programs/open", None),
        ("GET", "programs/7/enrolments/mine", None),
        ("POST", "programs/7/enrolments", None),
        ("GET", "programs/7/enrolments", "programs:read"),
    ],
)
def test_the_scope_of_an_operation(method, path, scope):
    assert scope_for(method=method, path=path) == scope


def test_the_published_document_names_each_operations_scope(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert paths["/api/people/"]["get"]["x-service-account-scope"] == "people:read"
    assert (
        paths["/api/programs/{program_id}/invitations"]["post"]["x-service-account-scope"]
        == "enrolments:write"
    )
    assert paths["/api/me/home"]["get"]["x-service-account-scope"] is None
    assert all(
        "x-service-account-scope" in operation for path in paths.values() for operation in path.values()
    )


def test_a_service_account_never_reads_or_changes_its_makers_own_data(client, olga):
    """The account acts with its maker's rights, not as its maker: the maker's private self-assessment,
    demographic answers and profile are the maker's own, whatever scopes the account holds."""
    _account, raw = service_account_create(
        actor=viewer_for(olga.user),
        name="HR",
        scopes=list(SCOPES),
        expires_at=timezone.now() + timedelta(days=7),
    )
    headers = {"Authorization": f"Bearer {raw}"}
    calls = [
        ("get", "/api/people/me/self-assessment"),
        ("get", "/api/people/me/demographics"),
        ("get", "/api/people/me/profile"),
        ("delete", "/api/people/me/demographics"),
    ]
    for method, url in calls:
        response = getattr(client, method)(url, headers=headers)
        assert (response.status_code, response.json()["error"]["code"]) == (403, "not_for_service_accounts")
