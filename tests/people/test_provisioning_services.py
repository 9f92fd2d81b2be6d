"""The people services SCIM writes through: person_create, person_provision_update and the
department services. Each refuses bad input with field errors and writes nothing then."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from mentora.organisations.models import Department
from mentora.people.models import Person
from mentora.people.services import (
    department_create,
    department_delete,
    department_rename,
    person_create,
    person_provision_update,
)
from tests.factories import DepartmentFactory, PersonFactory


def test_person_create_makes_an_account_without_password_and_a_participant(org):
    person = person_create(organisation=org, email=" New.Hire@Acme.example.com ", full_name=" New Hire ")

    assert (person.email, person.full_name, person.time_zone) == (
        "new.hire@acme.example.com",
        "New Hire",
        "UTC",
    )
    assert person.user.username == "new.hire@acme.example.com" and not person.user.has_usable_password()
    assert list(person.role_memberships.values_list("role", flat=True)) == ["participant"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"full_name": "  "}, "full_name"),
        ({"full_name": "N" * 201}, "full_name"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"full_name": "Bad\x00Name"}, "full_name"),
        ({"email": "nul\x00@acme.example.com"}, "email"),
        ({"employee_id": "E\x00"}, "employee_id"),
    ],
)
def test_person_create_refuses_bad_fields_and_writes_nothing(org, changes, field):
    users = get_user_model().objects.count()
    arguments = {"organisation": org, "email": "ok@acme.example.com", "full_name": "Ok"} | changes

    with pytest.raises(ValidationError) as refused:
        person_create(**arguments)

    assert field in refused.value.message_dict
    assert get_user_model().objects.count() == users and not Person.objects.exists()


def test_person_create_refuses_a_taken_address_or_employee_id_and_other_organisations_references(
    org, alice, charlie
):
    with pytest.raises(ValidationError) as refused:
        person_create(organisation=org, email=alice.email.upper(), full_name="Twin")
    assert "email" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        person_create(
            organisation=org, email="e@acme.example.com", full_name="E", employee_id=alice.employee_id
        )
    assert "employee_id" in refused.value.message_dict
    globex_department = DepartmentFactory(organisation=charlie.organisation)
    with pytest.raises(ValidationError) as refused:
        person_create(
            organisation=org,
            email="x@acme.example.com",
            full_name="X",
            manager_id=charlie.pk,
            department_id=globex_department.pk,
        )
    assert {"manager_id", "department_id"} <= set(refused.value.message_dict)


def test_person_provision_update_never_touches_roles(alice):
    with pytest.raises(TypeError):
        person_provision_update(person=alice, roles=["org_admin"])


def test_person_provision_update_refuses_a_loop_in_the_reporting_line(org, alice, lou):
    with pytest.raises(ValidationError) as refused:
        person_provision_update(person=lou, manager_id=alice.pk)
    assert "manager_id" in refused.value.message_dict


def test_departments_are_made_renamed_and_deleted_keeping_their_people(org, other_org):
    sales = department_create(organisation=org, name=" Sales ")
    assert sales.name == "Sales"
    person = PersonFactory(organisation=org, department=sales)
    with pytest.raises(ValidationError):
        department_create(organisation=org, name="SALES")
    department_create(organisation=other_org, name="Sales")  # another organisation may

    department_rename(department=sales, name="Sales EMEA")
    department_delete(department=sales)

    person.refresh_from_db()
    assert person.department is None and not Department.objects.filter(pk=sales.pk).exists()


@pytest.mark.parametrize("name", ["", "   ", "D" * 201, "a\x00b"])
def test_a_bad_department_name_is_refused(org, name):
    with pytest.raises(ValidationError) as refused:
        department_create(organisation=org, name=name)
    assert "name" in refused.value.message_dict
    assert not Department.objects.filter(organisation=org).exists()
