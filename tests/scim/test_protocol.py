"""SCIM's own rules: the token decides the organisation, discovery answers, paging and filters,
and every bad request gets a SCIM error body (never a 500) with nothing changed."""

import json

import pytest

from mentora.organisations.models import Department
from mentora.people.models import Person
from tests.factories import DepartmentFactory, PersonFactory
from tests.scim.conftest import scim

USER = ["urn:ietf:params:scim:schemas:core:2.0:User"]
PATCH = ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]
OFF = {"active": False}


def new_user(user_name="new.hire@acme.example.com", **extra):
    return {"schemas": USER, "userName": user_name, "name": {"formatted": "New Hire"}, **extra}


def assert_scim_error(response, status: int, scim_type: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/scim+json"
    body = response.json()
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert body["status"] == str(status) and body["detail"]
    if scim_type:
        assert body["scimType"] == scim_type
    return body


# ---- tokens and organisations ----------------------------------------------------------------


@pytest.mark.parametrize("header", [None, "Bearer scim_wrong", "Basic dXNlcjpwYXNz", "Bearer "])
def test_no_valid_token_no_answer(client, alice, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/scim/v2/Users", headers=headers)
    assert_scim_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_personal_api_token_is_not_a_scim_token(client, olga):
    from tests.factories import api_headers

    assert_scim_error(client.get("/scim/v2/Users", headers=api_headers(olga)), 401)


def test_acme_token_lists_only_acme_people(client, token, alice, charlie):
    body = scim(client, token, "GET", "/Users").json()
    names = {user["userName"] for user in body["Resources"]}
    assert alice.email in names and charlie.email not in names


def test_globex_token_cannot_read_or_write_acme(client, globex_token, alice, org):
    department = DepartmentFactory(organisation=org, name="Acme Labs")
    for method, path, body in [
        ("GET", f"/Users/{alice.pk}", None),
        ("PUT", f"/Users/{alice.pk}", new_user(alice.email)),
        (
            "PATCH",
            f"/Users/{alice.pk}",
            {"schemas": PATCH, "Operations": [{"op": "replace", "value": {"active": False}}]},
        ),
        ("DELETE", f"/Users/{alice.pk}", None),
        ("GET", f"/Groups/{department.pk}", None),
        ("DELETE", f"/Groups/{department.pk}", None),
    ]:
        assert_scim_error(scim(client, globex_token, method, path, body), 404)
    filtered = scim(client, globex_token, "GET", f'/Users?filter=userName eq "{alice.email}"').json()
    assert filtered["totalResults"] == 0
    alice.refresh_from_db()
    assert alice.is_active and Department.objects.filter(pk=department.pk).exists()


def test_a_globex_group_cannot_take_acme_members(client, globex_token, alice):
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName": "Raid",
        "members": [{"value": str(alice.pk)}],
    }
    assert_scim_error(scim(client, globex_token, "POST", "/Groups", body), 400, "invalidValue")
    alice.refresh_from_db()
    assert alice.department is None


def test_a_revoked_token_stops_at_once(client, token, olga):
    from mentora.core.roles import viewer_for
    from mentora.scim.models import ScimToken
    from mentora.scim.services import scim_token_revoke

    scim_token_revoke(actor=viewer_for(olga.user), token_id=ScimToken.objects.get().pk)
    assert_scim_error(scim(client, token, "GET", "/Users"), 401)


# ---- discovery -------------------------------------------------------------------------------


def test_discovery_endpoints_describe_what_is_supported(client, token):
    config = scim(client, token, "GET", "/ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True and config["bulk"]["supported"] is False
    assert config["filter"] == {"supported": True, "maxResults": 200}
    schemas = scim(client, token, "GET", "/Schemas").json()
    assert {item["id"] for item in schemas["Resources"]} == {
        "urn:ietf:params:scim:schemas:core:2.0:User",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        "urn:ietf:params:scim:schemas:core:2.0:Group",
    }
    one = scim(client, token, "GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User")
    assert one.status_code == 200 and one.json()["name"] == "User"
    types = scim(client, token, "GET", "/ResourceTypes").json()
    assert {item["endpoint"] for item in types["Resources"]} == {"/Users", "/Groups"}
    assert_scim_error(scim(client, token, "GET", "/Schemas/urn:nope"), 404)
    assert_scim_error(scim(client, token, "GET", "/ResourceTypes/Robots"), 404)


# ---- paging and filters ----------------------------------------------------------------------


def test_paging_by_start_index_and_count(client, token, org):
    for _ in range(4):
        PersonFactory(organisation=org)
    ids = [
        str(pk) for pk in Person.objects.filter(organisation=org).order_by("pk").values_list("pk", flat=True)
    ]
    page = scim(client, token, "GET", "/Users?startIndex=2&count=2").json()
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (5, 2, 2)  # Olga and 4
    assert [user["id"] for user in page["Resources"]] == ids[1:3]
    past_the_end = scim(client, token, "GET", "/Users?startIndex=99").json()
    assert past_the_end["totalResults"] == 5 and past_the_end["Resources"] == []
    zero = scim(client, token, "GET", "/Users?count=0").json()
    assert zero["totalResults"] == 5 and zero["itemsPerPage"] == 0


def test_a_huge_count_is_capped_and_the_page_costs_the_same_queries(
    client, token, org, django_assert_max_num_queries
):
    for _ in range(3):
        department = DepartmentFactory(organisation=org)
        PersonFactory(organisation=org, department=department)
    with django_assert_max_num_queries(8):
        small = scim(client, token, "GET", "/Users?count=999999999999")
    assert small.status_code == 200 and small.json()["itemsPerPage"] == 4  # Olga and 3
    for _ in range(10):
        PersonFactory(organisation=org, department=DepartmentFactory(organisation=org))
    with django_assert_max_num_queries(8):
        big = scim(client, token, "GET", "/Users?count=999999999999")
    assert big.json()["itemsPerPage"] == 14
    with django_assert_max_num_queries(8):
        groups = scim(client, token, "GET", "/Groups")
    assert groups.json()["totalResults"] == 13


@pytest.mark.parametrize("query", ["startIndex=one", "count=1e9", "count=%00"])
def test_paging_that_is_not_a_number_is_refused(client, token, query):
    assert_scim_error(scim(client, token, "GET", f"/Users?{query}"), 400, "invalidValue")


@pytest.mark.parametrize(
    "text",
    [
        'title eq "x"',
        'userName co "x"',
        "userName eq",
        'userName eq "a" or userName eq "b"',
        "((",
        "x" * 5000,
    ],
)
def test_an_unsupported_or_broken_filter_is_refused(client, token, text):
    assert_scim_error(scim(client, token, "GET", f"/Users?filter={text}"), 400, "invalidFilter")


@pytest.mark.parametrize("text", ['userName eq "a%00b"', 'userName eq "a\\u0000b"', 'userName eq "bad\\x"'])
def test_a_filter_value_with_nul_or_a_broken_escape_is_refused(client, token, text):
    assert_scim_error(scim(client, token, "GET", f"/Users?filter={text}"), 400, "invalidFilter")


def test_nul_anywhere_in_a_body_is_refused(client, token, alice):
    body = new_user("nul\u0000@acme.example.com")
    assert_scim_error(scim(client, token, "POST", "/Users", raw_body=json.dumps(body).encode()), 400)
    group = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "a\u0000b"}
    assert_scim_error(scim(client, token, "POST", "/Groups", raw_body=json.dumps(group).encode()), 400)
    assert Person.objects.count() == 2  # Alice and Olga


def test_filters_by_user_name_any_case_and_by_id(client, token, alice):
    found = scim(client, token, "GET", f'/Users?filter=userName eq "{alice.email.upper()}"').json()
    assert [user["id"] for user in found["Resources"]] == [str(alice.pk)]
    by_id = scim(client, token, "GET", f'/Users?filter=id eq "{alice.pk}"').json()
    assert by_id["totalResults"] == 1
    assert scim(client, token, "GET", '/Users?filter=id eq "abc"').json()["totalResults"] == 0


# ---- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"[]", b'"a string"', b"\xff\xfe", b"", b'{"userName": "no.schemas@acme.example.com"}'],
)
def test_a_malformed_body_is_refused_and_nobody_is_created(client, token, raw):
    before = Person.objects.count()
    assert_scim_error(scim(client, token, "POST", "/Users", raw_body=raw), 400, "invalidSyntax")
    assert Person.objects.count() == before


@pytest.mark.parametrize(
    "body",
    [
        new_user(favouriteColour="teal"),
        {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "userName": "x@acme.example.com"},
        new_user(userName=42),
        new_user(emails=[{"value": "not an address", "type": "work"}]),
    ],
    ids=["unknown attribute", "wrong schema", "wrong type", "bad e-mail"],
)
def test_a_body_the_schema_refuses_is_a_400_with_nothing_created(client, token, body):
    before = Person.objects.count()
    response = scim(client, token, "POST", "/Users", body)
    assert_scim_error(response, 400)
    assert Person.objects.count() == before


def test_a_user_name_that_is_not_an_e_mail_is_refused(client, token):
    assert_scim_error(scim(client, token, "POST", "/Users", new_user("jdoe")), 400, "invalidValue")
    assert not Person.objects.filter(email="jdoe").exists()


def test_a_taken_user_name_is_a_409_uniqueness(client, token, alice):
    response = scim(client, token, "POST", "/Users", new_user(alice.email.upper()))
    assert_scim_error(response, 409, "uniqueness")
    assert Person.objects.filter(email__iexact=alice.email).count() == 1


def test_a_user_name_of_another_organisation_is_also_taken(client, token, charlie):
    """The e-mail is the sign-in name, unique across the installation."""
    assert_scim_error(scim(client, token, "POST", "/Users", new_user(charlie.email)), 409, "uniqueness")


def test_a_manager_from_elsewhere_is_refused(client, token, charlie):
    body = new_user(
        **{
            "schemas": [*USER, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                "manager": {"value": str(charlie.pk)}
            },
        }
    )
    assert_scim_error(scim(client, token, "POST", "/Users", body), 400, "invalidValue")
    assert not Person.objects.filter(email="new.hire@acme.example.com").exists()


def test_a_patch_with_an_unknown_path_or_op_changes_nothing(client, token, alice):
    for operations in [
        [{"op": "replace", "path": "favouriteColour", "value": "teal"}],
        [{"op": "explode", "path": "title", "value": "x"}],
        "not a list",
        [{"op": "replace", "path": "active", "value": "maybe"}],
    ]:
        body = {"schemas": PATCH, "Operations": operations}
        assert_scim_error(scim(client, token, "PATCH", f"/Users/{alice.pk}", body), 400)
    alice.refresh_from_db()
    assert alice.is_active


def test_a_too_long_name_is_refused_with_the_field_named(client, token):
    body = assert_scim_error(
        scim(client, token, "POST", "/Users", new_user(name={"formatted": "N" * 500})), 400, "invalidValue"
    )
    assert "full_name" in body["detail"]


def test_a_method_the_endpoint_does_not_take_is_a_405(client, token):
    assert_scim_error(scim(client, token, "DELETE", "/Users"), 405)


def test_an_unknown_user_is_a_404(client, token):
    assert_scim_error(scim(client, token, "GET", "/Users/999999"), 404)
    assert_scim_error(scim(client, token, "GET", "/Users/not-a-number"), 404)


def test_a_duplicate_group_name_is_a_409(client, token, org):
    DepartmentFactory(organisation=org, name="Sales")
    body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "sales"}
    assert_scim_error(scim(client, token, "POST", "/Groups", body), 409, "uniqueness")


def test_an_e_mail_change_waits_for_confirmation_from_the_new_address(client, token, alice, mailoutbox):
    body = new_user("alice.new@acme.example.com", name={"formatted": alice.full_name})
    response = scim(client, token, "PUT", f"/Users/{alice.pk}", body)
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.email != "alice.new@acme.example.com"  # the sign-in name changes once confirmed
    assert {tuple(message.to) for message in mailoutbox} == {("alice.new@acme.example.com",), (alice.email,)}
