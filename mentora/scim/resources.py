"""Mentora's people and departments as SCIM 2.0 resources (RFC 7643), built with `scim2-models`:
what the protocol views answer, and the current state a PATCH is applied to."""

from scim2_models import (
    Email,
    EnterpriseUser,
    Group,
    GroupMember,
    Manager,
    Meta,
    Name,
    User,
)

from mentora.core.links import site_url
from mentora.organisations.models import Department
from mentora.people.models import Person

ScimUser = User[EnterpriseUser]
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"


def base_url() -> str:
    """The SCIM base address an identity provider is given (…/scim/v2/), built on SITE_URL."""
    return site_url("scim:service_provider_config").removesuffix("ServiceProviderConfig")


def user_resource(person: Person) -> ScimUser:
    """`person` as a SCIM user. Reads person.department (select it with the person)."""
    return ScimUser(
        id=str(person.pk),
        user_name=person.email,
        name=Name(formatted=person.full_name),
        display_name=person.full_name,
        title=person.job_title or None,
        timezone=person.time_zone,
        active=person.is_active,
        emails=[Email(value=person.email, type=Email.Type.work, primary=True)],
        meta=Meta(
            resource_type="User",
            created=person.created_at,
            last_modified=person.updated_at,
            location=site_url("scim:user", person.pk),
        ),
        EnterpriseUser=EnterpriseUser(
            employee_number=person.employee_id or None,
            department=person.department.name if person.department else None,
            manager=Manager(value=str(person.manager_id)) if person.manager_id else None,
        ),
    )


def group_resource(department: Department, members: list[Person] | None) -> Group:
    """The department as a SCIM group; `members` None leaves them out (`excludedAttributes=members`)."""
    return Group(
        id=str(department.pk),
        display_name=department.name,
        members=None
        if members is None
        else [GroupMember(value=str(person.pk), display=person.full_name, type="User") for person in members],
        meta=Meta(resource_type="Group", location=site_url("scim:group", department.pk)),
    )
