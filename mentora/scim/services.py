"""SCIM tokens (the org admin's) and provisioning (the identity provider's writes).

Provisioning maps SCIM resources onto the people services (`person_create`,
`person_provision_update`, `department_create`/`rename`/`delete`): there is no second write path.
Refusals are `ScimError`s, which the protocol views turn into SCIM error bodies.
"""

import json
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from scim2_models import EnterpriseUser, Group, PatchOp, SCIMException

from mentora.api.models import TOKEN_PREFIX_LENGTH, hash_token
from mentora.audit.models import Action
from mentora.audit.services import record
from mentora.core.refusals import Refusal
from mentora.core.roles import Viewer
from mentora.core.text import check_texts
from mentora.organisations.models import Department, Organisation
from mentora.people.field_checks import time_zone_names
from mentora.people.models import Person
from mentora.people.services import (
    department_create,
    department_delete,
    department_rename,
    person_create,
    person_provision_update,
)
from mentora.people.sign_in import email_change_start
from mentora.scim.models import RAW_PREFIX, ScimToken
from mentora.scim.resources import ScimUser, user_resource


@dataclass
class ScimError(Exception):
    """A refusal in SCIM's terms (RFC 7644 §3.12): HTTP status, scimType, and a readable detail."""

    status: int
    detail: str
    scim_type: str | None = None


# ---- tokens ----------------------------------------------------------------------------------


def _org_admin(actor: Viewer) -> None:
    if not actor.is_org_admin:
        raise PermissionDenied(_("Only org admins may manage provisioning tokens."))


@transaction.atomic
def scim_token_create(*, actor: Viewer, name: str, change: str = "created") -> tuple[ScimToken, str]:
    """A new token for the actor's organisation; returns it with its raw value, never stored."""
    _org_admin(actor)
    name = name.strip()
    if not name:
        raise Refusal(_("A name is required."), code="required", field="name")
    if len(name) > ScimToken._meta.get_field("name").max_length:
        raise Refusal(_("At most 100 characters, please."), code="too_long", field="name")
    check_texts(single_line={"name": name})
    raw = ScimToken.new_raw_value()
    token = ScimToken.objects.create(
        organisation_id=actor.organisation_id,
        name=name,
        prefix=raw[len(RAW_PREFIX) : len(RAW_PREFIX) + TOKEN_PREFIX_LENGTH],
        digest=hash_token(raw),
        created_by=actor.person,
    )
    record(action=Action.SCIM_TOKEN_CHANGED, actor=actor, target=token, details={"change": change})
    return token, raw


def _own_token(actor: Viewer, token_id: int) -> ScimToken:
    _org_admin(actor)
    token = ScimToken.objects.select_for_update().filter(pk=token_id, organisation_id=actor.organisation_id)
    found = token.first()
    if found is None:
        raise ScimToken.DoesNotExist
    return found


@transaction.atomic
def scim_token_revoke(*, actor: Viewer, token_id: int) -> None:
    """Delete a token of the actor's organisation; another organisation's is "not found"."""
    token = _own_token(actor, token_id)
    record(action=Action.SCIM_TOKEN_CHANGED, actor=actor, target=token, details={"change": "revoked"})
    token.delete()


@transaction.atomic
def scim_token_rotate(*, actor: Viewer, token_id: int) -> tuple[ScimToken, str]:
    """Replace a token by a new one of the same name: the old value stops working at once."""
    old = _own_token(actor, token_id)
    old.delete()
    return scim_token_create(actor=actor, name=old.name, change="rotated")


def scim_token_authenticate(*, raw: str) -> ScimToken | None:
    if not raw.startswith(RAW_PREFIX):
        return None
    token = ScimToken.objects.select_related("organisation").filter(digest=hash_token(raw)).first()
    if token is not None:
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


# ---- users -----------------------------------------------------------------------------------


def _invalid(exc: ValidationError) -> ScimError:
    if hasattr(exc, "error_dict"):
        detail = " ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
    else:
        detail = " ".join(exc.messages)
    return ScimError(400, detail, "invalidValue")


def _email_of(resource: ScimUser) -> str:
    """The work e-mail: the primary (or work) address among `emails`, else the userName."""
    emails = resource.emails or []
    chosen = next((e for e in emails if e.primary), None) or next(
        (e for e in emails if str(e.type or "") == "work"), None
    )
    value = (chosen.value if chosen and chosen.value else resource.user_name) or ""
    return value.strip().lower()


def _full_name_of(resource: ScimUser) -> str:
    name = resource.name
    if name is not None:
        if name.formatted:
            return name.formatted.strip()
        parts = [name.given_name, name.middle_name, name.family_name]
        if joined := " ".join(part.strip() for part in parts if part and part.strip()):
            return joined
    return (resource.display_name or resource.user_name or "").strip()


def _department_id(organisation: Organisation, name: str | None) -> int | None:
    if not name or not name.strip():
        return None
    found = Department.objects.filter(organisation=organisation, name__iexact=name.strip()).first()
    if found is None:
        found = department_create(organisation=organisation, name=name)
    return found.pk


def _manager_id(organisation: Organisation, resource: ScimUser) -> int | None:
    enterprise = resource[EnterpriseUser]
    manager = enterprise.manager if enterprise is not None else None
    if manager is None or not manager.value:
        return None
    value = str(manager.value).strip()
    if not value.isdigit() or not Person.objects.filter(pk=int(value), organisation=organisation).exists():
        raise ScimError(
            400, _("The manager must be a user of this organisation (their SCIM id)."), "invalidValue"
        )
    return int(value)


def _fields_of(organisation: Organisation, resource: ScimUser) -> dict:
    """The person fields a SCIM user sets (the e-mail apart)."""
    if not resource.user_name or not resource.user_name.strip():
        raise ScimError(400, _("userName is required."), "invalidValue")
    enterprise = resource[EnterpriseUser]
    fields = {
        "full_name": _full_name_of(resource),
        "job_title": (resource.title or "").strip(),
        "employee_id": ((enterprise.employee_number if enterprise else None) or "").strip(),
        "department_id": _department_id(organisation, enterprise.department if enterprise else None),
        "manager_id": _manager_id(organisation, resource),
    }
    if resource.timezone and resource.timezone in time_zone_names():
        fields["time_zone"] = resource.timezone
    return fields


def _email_taken(organisation: Organisation, email: str, *, person: Person | None = None) -> bool:
    people = Person.objects.filter(organisation=organisation, email__iexact=email)
    users = get_user_model().objects.filter(username__iexact=email)
    if person is not None:
        people = people.exclude(pk=person.pk)
        users = users.exclude(pk=person.user_id)
    return people.exists() or users.exists()


def _provisioned(target: Person | Department, operation: str) -> None:
    record(action=Action.SCIM_PROVISIONED, target=target, details={"operation": operation})


def _conflict() -> ScimError:
    return ScimError(409, _("Another account already uses this userName (e-mail address)."), "uniqueness")


@transaction.atomic
def scim_user_create(*, organisation: Organisation, resource: ScimUser) -> Person:
    email = _email_of(resource)
    if _email_taken(organisation, email):
        raise _conflict()
    fields = _fields_of(organisation, resource)
    try:
        person = person_create(organisation=organisation, email=email, **fields)
        if resource.active is False:
            person = person_provision_update(person=person, is_active=False)
    except ValidationError as exc:
        raise _invalid(exc) from None
    _provisioned(person, "user_created")
    return person


@transaction.atomic
def scim_user_replace(*, person: Person, resource: ScimUser) -> Person:
    """Set the person to the resource's state (PUT). A new e-mail is not applied at once: as with
    the HR import, a confirmation link goes to the new address (the e-mail is the sign-in name)."""
    organisation = person.organisation
    email = _email_of(resource)
    fields = _fields_of(organisation, resource)
    if resource.active is not None:
        fields["is_active"] = resource.active
    if not fields.get("time_zone"):
        fields.pop("time_zone", None)
    was_active = person.is_active
    try:
        person = person_provision_update(person=person, **fields)
    except ValidationError as exc:
        raise _invalid(exc) from None
    if email != person.email.lower():
        if _email_taken(organisation, email, person=person):
            raise _conflict()
        try:
            email_change_start(
                person=person, new_email=email, requested_by=_("Your organisation's identity provider")
            )
        except ValidationError as exc:
            raise _invalid(exc) from None
    _provisioned(person, "user_updated")
    if was_active != person.is_active:
        _provisioned(person, "user_reactivated" if person.is_active else "user_deactivated")
    return person


def _entra_manager(patch: dict) -> dict:
    """Entra ID sends the manager as a bare id ("value": "42"); the schema wants {"value": "42"}."""
    for operation in patch.get("Operations") or []:
        if (
            isinstance(operation, dict)
            and str(operation.get("path", "")).endswith(":manager")
            and isinstance(operation.get("value"), str | int)
        ):
            operation["value"] = {"value": str(operation["value"])}
    return patch


def scim_user_patch(*, person: Person, patch: dict) -> Person:
    """Apply a PatchOp (Okta's and Entra ID's shapes) to the person's current resource, then
    replace the person with the result."""
    try:
        operation = PatchOp[ScimUser].model_validate(_entra_manager(patch))
        resource = user_resource(person)
        operation.patch(resource)
    except SCIMException as exc:
        raise ScimError(400, str(exc), getattr(exc, "scim_type", None) or "invalidValue") from None
    except ValueError as exc:  # pydantic's ValidationError: a path or a value the schema refuses
        raise ScimError(400, plain_errors(exc), scim_type_of(exc)) from None
    return scim_user_replace(person=person, resource=resource)


@transaction.atomic
def scim_user_deactivate(*, person: Person) -> Person:
    """DELETE: the person leaves (cannot sign in; relationships end; nothing is deleted)."""
    was_active = person.is_active
    try:
        person = person_provision_update(person=person, is_active=False)
    except ValidationError as exc:
        raise _invalid(exc) from None
    if was_active:
        _provisioned(person, "user_deactivated")
    return person


def plain_errors(exc: Exception) -> str:
    """A pydantic error as one line: each problem with where it is."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return "; ".join(
            f"{'.'.join(str(part) for part in error.get('loc', ())) or 'body'}: {error.get('msg', '')}"
            for error in errors()
        )
    return str(exc)


def scim_type_of(exc: Exception, *, default: str = "invalidValue") -> str:
    """The scimType scim2-models put on a pydantic error (e.g. invalidPath), else `default`."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        for error in errors():
            kind = str(error.get("type", ""))
            if kind.startswith("scim_"):
                return kind.removeprefix("scim_")
    return default


# ---- groups (departments) --------------------------------------------------------------------


def _not_members() -> ScimError:
    return ScimError(400, _("Members must be users of this organisation (their SCIM ids)."), "invalidValue")


def _member_ids(organisation: Organisation, group: Group) -> set[int]:
    values = {str(member.value or "") for member in group.members or []}
    if not all(value.isdigit() for value in values):
        raise ScimError(
            400, _("Members must be users of this organisation (their SCIM ids)."), "invalidValue"
        )
    ids = {int(value) for value in values}
    found = set(Person.objects.filter(organisation=organisation, pk__in=ids).values_list("pk", flat=True))
    if found != ids:
        raise ScimError(
            400, _("Members must be users of this organisation (their SCIM ids)."), "invalidValue"
        )
    return ids


def _set_members(department: Department, wanted: set[int]) -> None:
    """People in `wanted` move into the department; others in it leave it (no department)."""
    current = set(department.people.values_list("pk", flat=True))
    changes = [(pk, department.pk) for pk in wanted - current] + [(pk, None) for pk in current - wanted]
    people = Person.objects.in_bulk([pk for pk, _dept in changes])
    try:
        for pk, department_id in changes:
            person_provision_update(person=people[pk], department_id=department_id)
    except ValidationError as exc:
        raise _invalid(exc) from None


@transaction.atomic
def scim_group_create(*, organisation: Organisation, group: Group) -> Department:
    name = (group.display_name or "").strip()
    if Department.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ScimError(409, _("The organisation already has a department with this name."), "uniqueness")
    wanted = _member_ids(organisation, group)
    try:
        department = department_create(organisation=organisation, name=name)
    except ValidationError as exc:
        raise _invalid(exc) from None
    _set_members(department, wanted)
    _provisioned(department, "group_created")
    return department


@transaction.atomic
def scim_group_replace(*, department: Department, group: Group) -> Department:
    wanted = _member_ids(department.organisation, group)
    name = (group.display_name or "").strip()
    taken = Department.objects.filter(organisation_id=department.organisation_id, name__iexact=name)
    if taken.exclude(pk=department.pk).exists():
        raise ScimError(409, _("The organisation already has a department with this name."), "uniqueness")
    try:
        department = department_rename(department=department, name=name)
    except ValidationError as exc:
        raise _invalid(exc) from None
    _set_members(department, wanted)
    _provisioned(department, "group_updated")
    return department


_MEMBER_PATH = re.compile(r'^members\[value eq "([^"]*)"\]$', re.IGNORECASE)


def _entra_member_removal(patch: dict) -> dict:
    """Entra ID removes members with a value list ({"op": "Remove", "path": "members", "value":
    [{"value": "42"}]}); RFC 7644 selects them with a filter in the path instead."""
    operations = []
    for operation in patch.get("Operations") or []:
        if (
            isinstance(operation, dict)
            and str(operation.get("op", "")).lower() == "remove"
            and str(operation.get("path", "")).lower() == "members"
            and isinstance(operation.get("value"), list)
        ):
            for member in operation["value"]:
                value = str(member.get("value", "")) if isinstance(member, dict) else ""
                operations.append({"op": "remove", "path": f"members[value eq {json.dumps(value)}]"})
        else:
            operations.append(operation)
    return {**patch, "Operations": operations}


def scim_group_patch(*, department: Department, patch: dict, current: Group) -> Department:
    """Members added or removed, a new name: applied to the department's current resource."""
    patch = _entra_member_removal(patch)
    # A person is in one department only: joining another group took them out of this one, so a
    # later removal from it has nothing left to remove and is not an error.
    members = {member.value for member in current.members or []}
    patch["Operations"] = [
        operation
        for operation in patch["Operations"]
        if not (
            isinstance(operation, dict)
            and str(operation.get("op", "")).lower() == "remove"
            and (found := _MEMBER_PATH.match(str(operation.get("path", ""))))
            and found.group(1) not in members
        )
    ]
    try:
        operation = PatchOp[Group].model_validate(patch)
        operation.patch(current)
    except SCIMException as exc:
        raise ScimError(400, str(exc), getattr(exc, "scim_type", None) or "invalidValue") from None
    except ValueError as exc:
        raise ScimError(400, plain_errors(exc), scim_type_of(exc)) from None
    return scim_group_replace(department=department, group=current)


@transaction.atomic
def scim_group_delete(*, department: Department) -> None:
    """The department goes; its people stay, without a department."""
    _provisioned(department, "group_deleted")
    department_delete(department=department)
