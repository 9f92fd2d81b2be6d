"""Every write to the people database goes through one of these functions.

Views, forms and API endpoints parse input and call a service; services validate what only
they can know (organisation boundaries, the reporting line, time zones) and raise
`ValidationError` with errors keyed by input field name.
"""

import datetime
from collections.abc import Callable, Mapping, Sequence
from typing import TypedDict, Unpack

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentora.audit.models import Action
from mentora.audit.services import record
from mentora.core.roles import Viewer
from mentora.core.text import control_character_errors
from mentora.organisations.models import Department, Organisation, Role, RoleMembership
from mentora.organisations.services import organisation_figures_changed
from mentora.people.events import person_deactivated
from mentora.people.field_checks import (
    assessed_level_error,
    availability_error,
    email_error,
    length_error,
    offered_level_error,
    priority_error,
    seniority_error,
    time_zone_error,
)
from mentora.people.history import TRACKED, hr_changes_record
from mentora.people.models import (
    DemographicProfile,
    HrChangeSource,
    Language,
    MeetingMode,
    OfferedSkill,
    Person,
    SelfAssessedSkill,
    SelfAssessment,
    Skill,
    SkillStatus,
    WantedSkill,
)
from mentora.people.permissions import can_edit_person, can_grant_role, same_organisation
from mentora.people.reporting_line import manager_chain_ids
from mentora.people.sign_in import account_access_end, account_access_restore


class _Errors:
    """Collects field errors so one call reports every problem at once."""

    def __init__(self):
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str | None) -> None:
        """Record the message of a field check (`people.field_checks`); None is no error."""
        if message is not None:
            self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _check_texts(errors: _Errors, **fields: Mapping[str, object]) -> None:
    for field, error in control_character_errors(**fields).items():
        errors.add(field, error.message)


def _check_department(errors: _Errors, person: Person, department_id: int | None) -> None:
    if department_id is None:
        return
    if not Department.objects.filter(pk=department_id, organisation_id=person.organisation_id).exists():
        errors.add("department_id", _("Choose a department of your organisation."))


def _check_manager(errors: _Errors, person: Person, manager_id: int | None) -> None:
    """Same organisation, and no loop in the reporting line."""
    if manager_id is None:
        return
    if manager_id != person.manager_id:
        # Serialise reporting-line changes per organisation, so that two concurrent changes
        # (A under B, B under A) cannot both pass the cycle check on PostgreSQL.
        Organisation.objects.select_for_update().filter(pk=person.organisation_id).first()
    if manager_id == person.pk:
        errors.add("manager_id", _("Nobody can be their own manager."))
        return
    if not Person.objects.filter(pk=manager_id, organisation_id=person.organisation_id).exists():
        errors.add("manager_id", _("Choose a manager from the same organisation."))
        return
    if person.pk is not None and person.pk in manager_chain_ids(person_id=manager_id):
        errors.add("manager_id", _("This would make a loop in the reporting line."))


def _skill_rows(
    errors: _Errors,
    person: Person,
    field: str,
    rows: Sequence[tuple[int, int]],
    value_error: Callable[[int], str | None],
) -> dict[int, int]:
    """Validate (skill id, value) rows: skills of this organisation, each once, each value accepted by
    its field check (`people.field_checks`, shared with the import)."""
    seen: dict[int, int] = {}
    for skill_id, value in rows:
        if skill_id in seen:
            errors.add(field, _("Each skill may appear only once."))
            return {}
        if error := value_error(value):
            errors.add(field, error)
            return {}
        seen[skill_id] = value
    # Skills in use, or ones this person already holds (a new skill from an import waiting for
    # review, a retired one): nobody else may pick those.
    held = Q(offered_by__person=person) | Q(wanted_by__person=person) if person.pk else Q(pk__in=[])
    known = set(
        Skill.objects.filter(organisation_id=person.organisation_id, pk__in=seen)
        .filter(Q(status=SkillStatus.ACTIVE) | held)
        .values_list("pk", flat=True)
    )
    if known != set(seen):
        errors.add(field, _("Choose skills from your organisation's skill list."))
        return {}
    return seen


def _replace_rows(model, person: Person, rows: dict[int, int], value_field: str) -> None:
    model.objects.filter(person=person).exclude(skill_id__in=rows).delete()
    existing = {row.skill_id: row for row in model.objects.filter(person=person)}
    for skill_id, value in rows.items():
        row = existing.get(skill_id)
        if row is None:
            model.objects.create(person=person, skill_id=skill_id, **{value_field: value})
        elif getattr(row, value_field) != value:
            setattr(row, value_field, value)
            row.save(update_fields=[value_field])


@transaction.atomic
def profile_update(
    *,
    person: Person,
    job_title: str,
    department_id: int | None,
    manager_id: int | None,
    seniority: int,
    location: str,
    time_zone: str,
    languages: Sequence[Language],
    availability_hours_per_month: int,
    meeting_mode: str,
    goals: str,
    purpose: str,
    offered_skills: Sequence[tuple[int, int]],
    wanted_skills: Sequence[tuple[int, int]],
) -> Person:
    """A participant's own profile, replaced as a whole (skills included)."""
    errors = _Errors()
    for name, value in [
        ("job_title", job_title),
        ("location", location),
        ("goals", goals),
        ("purpose", purpose),
    ]:
        errors.add(name, length_error(Person, name, value))
    _check_texts(
        errors,
        single_line={"job_title": job_title, "location": location, "time_zone": time_zone},
        multi_line={"goals": goals, "purpose": purpose},
    )
    errors.add("seniority", seniority_error(seniority))
    errors.add("availability_hours_per_month", availability_error(availability_hours_per_month))
    if meeting_mode not in MeetingMode.values:
        errors.add("meeting_mode", _("Choose a meeting mode from the list."))
    errors.add("time_zone", time_zone_error(time_zone))
    _check_department(errors, person, department_id)
    _check_manager(errors, person, manager_id)
    offered = _skill_rows(errors, person, "offered_skills", offered_skills, offered_level_error)
    wanted = _skill_rows(errors, person, "wanted_skills", wanted_skills, priority_error)
    errors.raise_if_any()

    person.job_title = job_title
    person.department_id = department_id
    person.manager_id = manager_id
    person.seniority = seniority
    person.location = location
    person.time_zone = time_zone
    person.availability_hours_per_month = availability_hours_per_month
    person.meeting_mode = meeting_mode
    person.goals = goals
    person.purpose = purpose
    person.save()
    person.languages.set(languages)
    _replace_rows(OfferedSkill, person, offered, "level")
    _replace_rows(WantedSkill, person, wanted, "priority")
    organisation_figures_changed(organisation_id=person.organisation_id)
    return person


class PersonChanges(TypedDict, total=False):
    """What `person_update` changes. Not the e-mail: it is the sign-in name, changed only through
    the confirmed flow of `mentora.people.sign_in.email_change_request`."""

    full_name: str
    employee_id: str
    job_title: str
    job_family: str
    department_id: int | None
    manager_id: int | None
    seniority: int
    location: str
    time_zone: str
    is_active: bool
    leaving_date: datetime.date | None
    roles: list[str]


@transaction.atomic
def person_update(*, actor: Viewer, person: Person, **changes: Unpack[PersonChanges]) -> Person:
    """A program manager or org admin edits someone's record. Only the given fields change.

    Deactivating someone ends their access at once (sign-in, sessions, API tokens)."""
    unknown = set(changes) - set(PersonChanges.__annotations__)
    if unknown:
        raise TypeError(f"person_update cannot change {', '.join(sorted(unknown))}")
    if not can_edit_person(actor, person):
        if same_organisation(actor, person) and actor.manages_people:
            raise PermissionDenied(_("Nobody may edit someone whose role is higher than their own."))
        raise PermissionDenied(_("Only program managers and org admins may edit people."))
    return _person_change(person=person, changes=dict(changes), actor=actor, source=HrChangeSource.EDIT)


@transaction.atomic
def person_provision_update(*, person: Person, **changes: Unpack[PersonChanges]) -> Person:
    """The organisation's identity provider (SCIM) changes a record of its own organisation: the
    same checks and effects as `person_update`, without a signed-in actor, and never roles."""
    unknown = set(changes) - (set(PersonChanges.__annotations__) - {"roles"})
    if unknown:
        raise TypeError(f"person_provision_update cannot change {', '.join(sorted(unknown))}")
    return _person_change(
        person=person, changes=dict(changes), actor=None, source=HrChangeSource.PROVISIONING
    )


def _person_change(*, person: Person, changes: dict, actor: Viewer | None, source: HrChangeSource) -> Person:
    errors = _Errors()
    if "leaving_date" in changes and not isinstance(changes["leaving_date"], datetime.date | None):
        errors.add("leaving_date", _("Enter a date."))
    for name in ("full_name", "employee_id", "job_title", "job_family", "location"):
        if name in changes:
            errors.add(name, length_error(Person, name, changes[name]))
    _check_texts(errors, single_line=dict(changes))
    if "full_name" in changes and not changes["full_name"].strip():
        errors.add("full_name", _("A name is required."))
    if (
        changes.get("employee_id")
        and Person.objects.filter(organisation_id=person.organisation_id, employee_id=changes["employee_id"])
        .exclude(pk=person.pk)
        .exists()
    ):
        errors.add("employee_id", _("Someone in this organisation already has this employee id."))
    if "seniority" in changes:
        errors.add("seniority", seniority_error(changes["seniority"]))
    if "time_zone" in changes:
        errors.add("time_zone", time_zone_error(changes["time_zone"]))
    if "department_id" in changes:
        _check_department(errors, person, changes["department_id"])
    if "manager_id" in changes:
        _check_manager(errors, person, changes["manager_id"])
    roles = changes.pop("roles", None)
    current = set(person.role_memberships.values_list("role", flat=True))
    if roles is not None:
        wanted = set(roles)
        if not wanted <= set(Role.values):
            errors.add("roles", _("Unknown role."))
        elif any(not can_grant_role(actor, role) for role in current ^ wanted):
            errors.add("roles", _("Only org admins may grant or revoke the org admin role."))
    deactivating = person.is_active and changes.get("is_active") is False
    if deactivating and actor is not None and actor.person is not None and person.pk == actor.person.pk:
        errors.add("is_active", _("You cannot deactivate yourself: ask another manager."))
    losing_admin = Role.ORG_ADMIN in current and (
        deactivating or (roles is not None and Role.ORG_ADMIN not in roles)
    )
    if person.is_active and losing_admin and not _other_org_admin_exists(person):
        field = "is_active" if deactivating else "roles"
        errors.add(field, _("The organisation needs at least one active org admin: appoint another first."))
    errors.raise_if_any()

    reactivating = not person.is_active and changes.get("is_active") is True
    before = {name: getattr(person, name) for name in TRACKED}
    for name, value in changes.items():
        setattr(person, name, value)
    if changes:
        person.save(update_fields=[*changes, "updated_at"])
        hr_changes_record(
            organisation_id=person.organisation_id,
            before={person.pk: before},
            after={person.pk: changes},
            source=source,
            actor_id=actor.person.pk if actor is not None and actor.person is not None else None,
        )
    if roles is not None:
        person.role_memberships.exclude(role__in=roles).delete()
        for role in wanted - current:
            RoleMembership.objects.create(person=person, role=role)
        if wanted != current:
            changed = {"added": sorted(wanted - current), "removed": sorted(current - wanted)}
            record(action=Action.ROLES_CHANGED, actor=actor, target=person, details=changed)
    if changes or roles is not None:
        organisation_figures_changed(organisation_id=person.organisation_id)
    if deactivating:
        account_access_end(user_ids=[person.user_id])
        person_deactivated.send(sender=Person, person=person)
        record(action=Action.PERSON_DEACTIVATED, actor=actor, target=person)
    elif reactivating:
        account_access_restore(user_ids=[person.user_id])
        record(action=Action.PERSON_REACTIVATED, actor=actor, target=person)
    return person


def _other_org_admin_exists(person: Person) -> bool:
    """Is there an active org admin besides `person`? Serialised per organisation, so that two
    admins removing each other at the same time cannot both succeed on PostgreSQL."""
    Organisation.objects.select_for_update().filter(pk=person.organisation_id).first()
    return (
        RoleMembership.objects.filter(
            role=Role.ORG_ADMIN, person__organisation_id=person.organisation_id, person__is_active=True
        )
        .exclude(person=person)
        .exists()
    )


@transaction.atomic
def self_assessment_update(
    *, person: Person, reflection: str, ratings: Sequence[tuple[int, int]]
) -> SelfAssessment:
    """The owner's private self-assessment: free text and an honest level (0–5) per skill."""
    errors = _Errors()
    errors.add("reflection", length_error(SelfAssessment, "reflection", reflection))
    _check_texts(errors, multi_line={"reflection": reflection})
    levels = _skill_rows(errors, person, "ratings", ratings, assessed_level_error)
    errors.raise_if_any()

    assessment, _created = SelfAssessment.objects.update_or_create(
        person=person, defaults={"reflection": reflection}
    )
    assessment.ratings.exclude(skill_id__in=levels).delete()
    for skill_id, level in levels.items():
        SelfAssessedSkill.objects.update_or_create(
            assessment=assessment, skill_id=skill_id, defaults={"level": level}
        )
    return assessment


def demographics_set(
    *,
    person: Person,
    consent: bool,
    gender: str = "",
    age_band: str = "",
    ethnicity: str = "",
    disability: str = "",
    under_sponsored: bool = False,
) -> DemographicProfile:
    """Store the owner's demographic answers. Nothing is stored without explicit consent."""
    errors = _Errors()
    if not consent:
        errors.add("consent", _("Tick the consent box to save these answers, or leave the section empty."))
    values = {"gender": gender, "age_band": age_band, "ethnicity": ethnicity, "disability": disability}
    for name, value in values.items():
        errors.add(name, length_error(DemographicProfile, name, value))
    _check_texts(errors, single_line=values)
    errors.raise_if_any()

    profile, created = DemographicProfile.objects.get_or_create(
        person=person, defaults={**values, "under_sponsored": under_sponsored, "consented_at": timezone.now()}
    )
    if not created:
        for name, value in values.items():
            setattr(profile, name, value)
        profile.under_sponsored = under_sponsored
        profile.consented_at = timezone.now()  # ticked again with these answers; readers see the change
        profile.save()
    return profile


def demographics_withdraw(*, person: Person) -> bool:
    """Withdrawing consent deletes the answers. Returns whether there was anything to delete."""
    deleted, _per_model = DemographicProfile.objects.filter(person=person).delete()
    return deleted > 0


@transaction.atomic
def person_create(
    *,
    organisation: Organisation,
    email: str,
    full_name: str,
    employee_id: str = "",
    job_title: str = "",
    department_id: int | None = None,
    manager_id: int | None = None,
    time_zone: str | None = None,
) -> Person:
    """A new person of the organisation, with a sign-in account under their work e-mail (no password
    until they set one) and the participant role. Used by the identity provider's provisioning."""
    email = email.strip().lower()
    full_name = full_name.strip()
    time_zone = time_zone or organisation.default_time_zone
    person = Person(organisation=organisation)
    errors = _Errors()
    errors.add("email", email_error(email))
    if not full_name:
        errors.add("full_name", _("A name is required."))
    for name, value in [("full_name", full_name), ("employee_id", employee_id), ("job_title", job_title)]:
        errors.add(name, length_error(Person, name, value))
    _check_texts(
        errors, single_line={"full_name": full_name, "employee_id": employee_id, "job_title": job_title}
    )
    errors.add("time_zone", time_zone_error(time_zone))
    errors.raise_if_any()  # before the queries: PostgreSQL refuses a NUL even in a lookup
    User = get_user_model()
    if Person.objects.filter(organisation=organisation, email__iexact=email).exists() or (
        User.objects.filter(username__iexact=email).exists()
    ):
        errors.add("email", _("Another account already uses this e-mail address."))
    if employee_id and Person.objects.filter(organisation=organisation, employee_id=employee_id).exists():
        errors.add("employee_id", _("Someone in this organisation already has this employee id."))
    _check_department(errors, person, department_id)
    _check_manager(errors, person, manager_id)
    errors.raise_if_any()

    user = User.objects.create(username=email, email=email, password=make_password(None))
    person = Person.objects.create(
        organisation=organisation,
        user=user,
        email=email,
        full_name=full_name,
        employee_id=employee_id,
        job_title=job_title,
        department_id=department_id,
        manager_id=manager_id,
        time_zone=time_zone,
    )
    RoleMembership.objects.create(person=person, role=Role.PARTICIPANT)
    organisation_figures_changed(organisation_id=organisation.pk)
    return person


def _department_name(organisation_id: int, name: str, *, exclude_pk: int | None = None) -> str:
    name = name.strip()
    errors = _Errors()
    if not name:
        errors.add("name", _("A name is required."))
    errors.add("name", length_error(Department, "name", name))
    _check_texts(errors, single_line={"name": name})
    errors.raise_if_any()  # before the query: PostgreSQL refuses a NUL even in a lookup
    taken = Department.objects.filter(organisation_id=organisation_id, name__iexact=name)
    if taken.exclude(pk=exclude_pk).exists():
        errors.add("name", _("The organisation already has a department with this name."))
    errors.raise_if_any()
    return name


@transaction.atomic
def department_create(*, organisation: Organisation, name: str) -> Department:
    """A new department of the organisation; its name is unique there (whatever the case)."""
    name = _department_name(organisation.pk, name)
    department = Department.objects.create(organisation=organisation, name=name)
    organisation_figures_changed(organisation_id=organisation.pk)
    return department


@transaction.atomic
def department_rename(*, department: Department, name: str) -> Department:
    name = _department_name(department.organisation_id, name, exclude_pk=department.pk)
    if name != department.name:
        department.name = name
        department.save(update_fields=["name"])
        organisation_figures_changed(organisation_id=department.organisation_id)
    return department


@transaction.atomic
def department_delete(*, department: Department) -> None:
    """Remove a department; its people stay, without a department (and sub-departments lose their parent)."""
    department.delete()
    organisation_figures_changed(organisation_id=department.organisation_id)


def leavers_deactivate(*, today: datetime.date | None = None) -> dict[str, int]:
    """Deactivate everyone whose leaving date has come (the scheduled job `people.leavers`), with
    the same effects as a manager's deactivation. The organisation's last active org admin stays
    active (counted as refused) until another is appointed."""
    today = today or timezone.localdate(timezone=datetime.UTC)
    done = refused = 0
    for person in Person.objects.filter(is_active=True, leaving_date__lte=today):
        try:
            with transaction.atomic():
                _person_change(
                    person=person, changes={"is_active": False}, actor=None, source=HrChangeSource.EDIT
                )
        except ValidationError:
            refused += 1
        else:
            done += 1
    return {"deactivated": done, "refused": refused}
