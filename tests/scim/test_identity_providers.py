"""The request sequences Okta and Entra ID send (fixtures okta.json and entra.json), replayed in
order against Mentora: each answer has the status and the attributes the provider expects, and
the people database ends as the provider said."""

import json
from pathlib import Path

import pytest
from django.core import mail

from mentora.organisations.models import Department
from mentora.people.models import Person
from tests.factories import PASSWORD, PersonFactory
from tests.scim.conftest import scim

HERE = Path(__file__).parent


def _fill(text: str, ids: dict[str, str]) -> str:
    for name, value in ids.items():
        text = text.replace("{" + name + "}", value)
    return text


def _contains(actual, expected, where: str = "") -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} missing in {actual!r}"
            _contains(actual[key], value, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) >= len(expected), f"{where}: {actual!r}"
        for index, value in enumerate(expected):
            _contains(actual[index], value, f"{where}[{index}]")
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


def replay(client, token: str, fixture: str, ids: dict[str, str]) -> dict[str, str]:
    steps = json.loads((HERE / fixture).read_text())["steps"]
    for step in steps:
        path = _fill(step["path"], ids)
        body = json.loads(_fill(json.dumps(step["body"]), ids)) if "body" in step else None
        response = scim(client, token, step["method"], path, body)
        assert response.status_code == step["status"], (step["name"], response.content)
        if response.status_code != 204:
            assert response["Content-Type"] == "application/scim+json", step["name"]
            answer = response.json()
            if "expect" in step:
                _contains(answer, json.loads(_fill(json.dumps(step["expect"]), ids)), step["name"])
            if "save" in step:
                ids[step["save"]] = answer["id"]
    return ids


def test_okta_provisions_updates_deactivates_and_pushes_groups(client, org, token):
    ids = replay(client, token, "okta.json", {})

    jane = Person.objects.get(pk=ids["user"])
    assert (jane.organisation, jane.email, jane.full_name) == (
        org,
        "jane.doe@acme.example.com",
        "Jane Doe-Smith",
    )
    assert (jane.job_title, jane.employee_id, jane.time_zone) == ("Staff Engineer", "E-1042", "Europe/Paris")
    assert jane.is_active and jane.user.is_active
    assert jane.department is None  # the pushed group was deleted; Platform came from the PUT before
    assert not Department.objects.filter(pk=ids["group"]).exists()
    assert Department.objects.filter(organisation=org, name="Platform").exists()
    assert set(jane.role_memberships.values_list("role", flat=True)) == {"participant"}
    assert not jane.user.has_usable_password()  # Okta's password is not taken


def test_entra_provisions_patches_with_its_quirks_and_deletes(client, org, token):
    boss = PersonFactory(organisation=org, full_name="Grace Hopper")
    ids = replay(client, token, "entra.json", {"manager": str(boss.pk)})

    ada = Person.objects.get(pk=ids["user"])
    assert (ada.email, ada.full_name, ada.job_title) == (
        "test_user_ab6490ee@acme.example.com",
        "Ada King",
        "Analyst",
    )
    assert ada.manager == boss and ada.employee_id == "701984"
    assert ada.department is None  # Analytics until Group1 took her in, then Group1 let her go
    assert not ada.is_active and not ada.user.is_active  # DELETE deactivates; nothing is removed


def test_a_provisioned_person_activates_by_e_mail_and_signs_in(client, org, token):
    """Provisioned people have no password: "forgot password" by their work e-mail gives them one."""
    response = scim(
        client,
        token,
        "POST",
        "/Users",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "new.hire@acme.example.com",
            "name": {"givenName": "New", "familyName": "Hire"},
        },
    )
    assert response.status_code == 201
    person = Person.objects.get(pk=response.json()["id"])
    person.user.set_password(PASSWORD)
    person.user.save()
    assert client.login(username="new.hire@acme.example.com", password=PASSWORD)


@pytest.mark.parametrize("fixture", ["okta.json", "entra.json"])
def test_the_fixtures_are_the_documented_shapes(fixture):
    steps = json.loads((HERE / fixture).read_text())["steps"]
    patches = [step for step in steps if step["method"] == "PATCH"]
    assert patches and all(
        step["body"]["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:PatchOp"] for step in patches
    )
    assert not mail.outbox
