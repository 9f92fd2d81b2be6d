"""Reads for SCIM: an organisation's tokens, and its people and departments as the protocol lists
them (one query per page, whatever its size)."""

from django.db.models import Prefetch, QuerySet

from mentora.organisations.models import Department
from mentora.people.models import Person
from mentora.scim.models import ScimToken


def scim_token_list(*, organisation_id: int) -> QuerySet[ScimToken]:
    return ScimToken.objects.filter(organisation_id=organisation_id).select_related("created_by")


def scim_users(*, organisation_id: int) -> QuerySet[Person]:
    """The organisation's people in a stable order, with what a SCIM user shows."""
    return Person.objects.filter(organisation_id=organisation_id).select_related("department").order_by("pk")


def scim_user_get(*, organisation_id: int, person_id: str) -> Person | None:
    if not person_id.isdigit():
        return None
    return scim_users(organisation_id=organisation_id).filter(pk=int(person_id)).first()


def scim_groups(*, organisation_id: int, with_members: bool = True) -> QuerySet[Department]:
    departments = Department.objects.filter(organisation_id=organisation_id).order_by("pk")
    if with_members:
        members = Person.objects.only("pk", "full_name", "department_id").order_by("pk")
        return departments.prefetch_related(Prefetch("people", queryset=members, to_attr="members"))
    return departments


def scim_group_get(
    *, organisation_id: int, department_id: str, with_members: bool = True
) -> Department | None:
    if not department_id.isdigit():
        return None
    return (
        scim_groups(organisation_id=organisation_id, with_members=with_members)
        .filter(pk=int(department_id))
        .first()
    )
