"""Service accounts: Olga (Acme's org admin) makes one with chosen scopes and an expiry; its token
calls only the operations of those scopes, with her org admin rights, in Acme only; it stops at
expiry, on revocation, or when Olga is no longer an org admin; every creation, revocation and
refused call is in the audit log. Nobody else manages them, and Globex's admin sees none of Acme's."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from mentora.api.models import hash_token
from mentora.audit.models import Action, AuditEvent
from mentora.core.roles import viewer_for
from mentora.organisations.models import Role, RoleMembership
from mentora.serviceaccounts.models import ServiceAccount
from mentora.serviceaccounts.services import service_account_create, service_account_revoke
from tests.factories import PersonFactory, api_headers

API = "/api/service-accounts/"
PAGE = reverse("serviceaccounts:accounts")
OTHER_ROLES = ["participant", "program manager", "line manager", "leader", "other organisation's admin"]


@pytest.fixture
def gus(other_org):
    return PersonFactory(organisation=other_org, full_name="Gus Globex", roles=[Role.ORG_ADMIN])


@pytest.fixture
def others(alice, pam, lou, leo, gus):
    return {
        "participant": alice,
        "program manager": pam,
        "line manager": lou,
        "leader": leo,
        "other organisation's admin": gus,
    }


def _make(person, scopes=("people:read",), days=30, name="Workday sync"):
    return service_account_create(
        actor=viewer_for(person.user),
        name=name,
        scopes=list(scopes),
        expires_at=timezone.now() + timedelta(days=days),
    )


def _bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def _refusals(account) -> list[dict]:
    return list(
        AuditEvent.objects.filter(action=Action.SERVICE_ACCOUNT_REFUSED, target_id=str(account.pk))
        .order_by("pk")
        .values_list("details", flat=True)
    )


# ---- making and revoking ---------------------------------------------------------------------


def test_olga_makes_one_through_the_api_and_sees_the_token_once(client, olga):
    expires_at = (timezone.now() + timedelta(days=90)).isoformat()
    response = client.post(
        API,
        {"name": "Workday sync", "scopes": ["people:write", "people:read"], "expires_at": expires_at},
        content_type="application/json",
        headers=api_headers(olga),
    )

    assert response.status_code == 201
    body = response.json()
    account = ServiceAccount.objects.get(pk=body["id"])
    assert body["token"].startswith("svc_") and account.digest == hash_token(body["token"])
    assert (
        body["scopes"] == ["people:read", "people:write"] and account.organisation_id == olga.organisation_id
    )
    listed = client.get(API, headers=api_headers(olga)).json()
    assert [row["name"] for row in listed] == ["Workday sync"] and "token" not in listed[0]
    created = AuditEvent.objects.get(action=Action.SERVICE_ACCOUNT_CREATED)
    assert created.actor_person == olga and created.details["scopes"] == ["people:read", "people:write"]


def test_olga_revokes_one_and_its_token_stops_at_once(client, olga):
    account, raw = _make(olga)
    assert client.get("/api/people/", headers=_bearer(raw)).status_code == 200

    response = client.post(f"{API}{account.pk}/revoke", headers=api_headers(olga))

    assert response.status_code == 200 and response.json()["revoked_at"] is not None
    assert client.get("/api/people/", headers=_bearer(raw)).status_code == 401
    assert AuditEvent.objects.filter(action=Action.SERVICE_ACCOUNT_REVOKED, actor_person=olga).exists()
    assert _refusals(account)[-1]["reason"] == "revoked"


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_nobody_else_sees_makes_or_revokes_them(client, olga, others, role):
    account, _raw = _make(olga)
    person = others[role]
    headers = api_headers(person)
    body = {
        "name": "x",
        "scopes": ["people:read"],
        "expires_at": (timezone.now() + timedelta(days=1)).isoformat(),
    }

    listed = client.get(API, headers=headers)
    made = client.post(API, body, content_type="application/json", headers=headers)
    revoked = client.post(f"{API}{account.pk}/revoke", headers=headers)

    if role == "other organisation's admin":
        assert listed.json() == [] and made.status_code == 201 and revoked.status_code == 404
    else:
        assert (listed.status_code, made.status_code, revoked.status_code) == (403, 403, 403)
    client.force_login(person.user)
    if role != "other organisation's admin":
        assert client.get(PAGE).status_code == 403
    assert client.post(reverse("serviceaccounts:revoke", args=[account.pk])).status_code in (403, 404)
    assert ServiceAccount.objects.get(pk=account.pk).revoked_at is None
    assert ServiceAccount.objects.filter(organisation=olga.organisation).count() == 1


def test_the_services_refuse_anyone_but_an_org_admin(pam, olga):
    account, _raw = _make(olga)
    with pytest.raises(PermissionDenied):
        _make(pam)
    with pytest.raises(PermissionDenied):
        service_account_revoke(actor=viewer_for(pam.user), account_id=account.pk)


# ---- calls with a service account's token ------------------------------------------------------


def test_it_reads_its_own_organisation_only(client, olga, alice, charlie):
    _account, raw = _make(olga)

    people = client.get("/api/people/", headers=_bearer(raw)).json()["results"]

    names = {person["full_name"] for person in people}
    assert {"Alice Archer", "Olga Owner"} <= names and "Charlie Chaplin" not in names
    assert client.get(f"/api/people/{charlie.pk}", headers=_bearer(raw)).status_code == 404


def test_a_call_outside_its_scopes_is_403_with_a_stable_code_and_audited(client, olga):
    account, raw = _make(olga, scopes=["people:read"])

    write = client.post("/api/programs/", {}, content_type="application/json", headers=_bearer(raw))
    personal = client.get("/api/me/home", headers=_bearer(raw))

    assert (write.status_code, write.json()["error"]["code"]) == (403, "scope_missing")
    assert (personal.status_code, personal.json()["error"]["code"]) == (403, "not_for_service_accounts")
    reasons = [(event["reason"], event["scope"], event["method"]) for event in _refusals(account)]
    assert reasons == [("scope_missing", "programs:write", "POST"), ("scope_missing", None, "GET")]


def test_with_the_scope_it_writes_as_its_makers_organisation(client, olga):
    _account, raw = _make(olga, scopes=["programs:write", "programs:read"])
    today = timezone.localdate()
    body = {
        "name": "Integration program",
        "strategic_objective": "x",
        "purpose": "x",
        "goals": "x",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=90)).isoformat(),
    }

    created = client.post("/api/programs/", body, content_type="application/json", headers=_bearer(raw))

    assert created.status_code == 201, created.json()
    read = client.get(f"/api/programs/{created.json()['id']}", headers=_bearer(raw))
    assert read.json()["name"] == "Integration program"


def test_the_last_use_is_kept(client, olga):
    account, raw = _make(olga)
    assert account.last_used_at is None

    client.get("/api/people/", headers=_bearer(raw))

    account.refresh_from_db()
    assert account.last_used_at is not None


def test_an_expired_account_is_401_and_audited(client, olga):
    account, raw = _make(olga, days=1)

    with freeze_time(timezone.now() + timedelta(days=1, seconds=1)):
        response = client.get("/api/people/", headers=_bearer(raw))

    assert (response.status_code, response.json()["error"]["code"]) == (401, "unauthenticated")
    assert _refusals(account)[-1]["reason"] == "expired"


def test_it_stops_when_its_maker_is_no_longer_an_org_admin(client, olga):
    account, raw = _make(olga)
    RoleMembership.objects.filter(person=olga, role=Role.ORG_ADMIN).delete()

    assert client.get("/api/people/", headers=_bearer(raw)).status_code == 401
    assert _refusals(account)[-1]["reason"] == "maker_not_org_admin"


def test_a_service_account_cannot_manage_service_accounts_or_tokens(client, olga):
    _account, raw = _make(olga, scopes=["people:read", "people:write", "audit:read"])

    assert client.get(API, headers=_bearer(raw)).status_code == 403
    tokens = client.get("/api/auth/tokens", headers=_bearer(raw))
    assert (tokens.status_code, tokens.json()["error"]["code"]) == (403, "not_for_service_accounts")


def test_a_wrong_service_token_is_401(client, olga):
    response = client.get("/api/people/", headers=_bearer("svc_not-a-token"))

    assert response.status_code == 401


# ---- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, field",
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"scopes": []}, "scopes"),
        ({"scopes": ["people:admin"]}, "scopes"),
        ({"expires_at": "2020-01-01T00:00:00Z"}, "expires_at"),
        ({"expires_at": "next year"}, "expires_at"),
        ({"days": 400}, "expires_at"),
        ({"expires_at": "2030-01-01T00:00:00"}, "expires_at"),
    ],
)
def test_bad_input_names_the_field(client, olga, change, field):
    body = {
        "name": "Workday sync",
        "scopes": ["people:read"],
        "expires_at": (timezone.now() + timedelta(days=30)).isoformat(),
    }
    if "days" in change:
        change = {"expires_at": (timezone.now() + timedelta(days=change["days"])).isoformat()}
    response = client.post(
        API, {**body, **change}, content_type="application/json", headers=api_headers(olga)
    )

    assert response.status_code == 422, response.json()
    assert any(field in (detail["field"] or "") for detail in response.json()["error"]["details"])
    assert not ServiceAccount.objects.exists()


def test_a_name_is_used_once_per_organisation(olga, gus):
    _make(olga)
    _make(gus)
    with pytest.raises(ValidationError) as refusal:
        _make(olga)
    assert "name" in refusal.value.message_dict


# ---- the page --------------------------------------------------------------------------------


def test_olga_finds_the_page_in_her_navigation_and_makes_one(client, olga, alice):
    client.force_login(alice.user)
    assert PAGE not in client.get(reverse("home")).content.decode()
    client.force_login(olga.user)
    assert PAGE in client.get(reverse("home")).content.decode()

    response = client.post(
        PAGE, {"name": "Workday sync", "scopes": ["people:read", "audit:read"], "days": 90}
    )

    assert response.status_code == 200
    account = ServiceAccount.objects.get()
    raw = response.context["raw"]
    assert account.digest == hash_token(raw) and raw in response.content.decode()
    assert account.scopes == ["people:read", "audit:read"]
    assert raw not in client.get(PAGE).content.decode()


def test_the_page_shows_a_service_errors_on_the_form(client, olga):
    _make(olga)
    client.force_login(olga.user)

    response = client.post(PAGE, {"name": "Workday sync", "scopes": ["people:read"], "days": 90})

    assert response.context["form"].errors["name"]
    assert ServiceAccount.objects.count() == 1


def test_the_page_runs_a_fixed_number_of_queries(client, olga, django_assert_num_queries):
    client.force_login(olga.user)
    _make(olga, name="first")
    client.get(PAGE)
    with django_assert_num_queries(queries := _count_queries(client)):
        client.get(PAGE)
    for number in range(5):
        _make(olga, name=f"more {number}")
    with django_assert_num_queries(queries):
        client.get(PAGE)


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(PAGE)
    return len(captured)
