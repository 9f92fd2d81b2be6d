"""Writes for the advocacy log. The mentor records, edits and deletes; the mentee confirms.
An edit after confirmation clears it (the mentee confirmed something else)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentora.advocacy.models import DESCRIPTION_LIMIT, AdvocacyAction, AdvocacyKind
from mentora.core.text import control_character_errors, too_long_error
from mentora.notifications.services import notify_relationship_update
from mentora.people.models import Person
from mentora.relationships.models import Relationship
from mentora.workspace.access import ensure_writable


def _ensure_mentor(relationship: Relationship, person: Person) -> None:
    relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)  # its status now
    if ensure_writable(relationship=relationship, person=person) != "mentor":
        raise PermissionDenied(_("Only the mentor records sponsorship actions; the mentee confirms them."))


def _clean(relationship: Relationship, kind: str, occurred_on, description: str, today: date) -> dict:
    errors = {}
    if kind not in AdvocacyKind.values:
        errors["kind"] = _("Choose one of the kinds of action.")
    if not isinstance(occurred_on, date):
        errors["occurred_on"] = _("Enter a valid date.")
    elif occurred_on > today:
        errors["occurred_on"] = _("Record actions once they have happened: the date cannot be in the future.")
    elif relationship.started_at and occurred_on < timezone.localdate(relationship.started_at):
        errors["occurred_on"] = _("The date must be within the relationship (it started on %(date)s).") % {
            "date": timezone.localdate(relationship.started_at).isoformat()
        }
    description = (description or "").strip()
    if not description:
        errors["description"] = _("Say in a sentence what you did.")
    elif too_long := too_long_error(description, limit=DESCRIPTION_LIMIT):
        errors["description"] = too_long
    for field, error in control_character_errors(multi_line={"description": description}).items():
        errors.setdefault(field, error.message)
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "occurred_on": occurred_on, "description": description}


@transaction.atomic
def advocacy_action_create(
    *, relationship: Relationship, person: Person, kind: str, occurred_on: date, description: str
) -> AdvocacyAction:
    _ensure_mentor(relationship, person)
    fields = _clean(relationship, kind, occurred_on, description, timezone.localdate())
    action = AdvocacyAction.objects.create(relationship=relationship, **fields)
    notify_relationship_update(
        relationship_id=relationship.pk,
        recipient_id=relationship.mentee_id,
        event="advocacy_recorded",
        period=f"advocacy-{action.pk}",
    )
    return action


@transaction.atomic
def advocacy_action_update(
    *, action: AdvocacyAction, person: Person, kind: str, occurred_on: date, description: str
) -> AdvocacyAction:
    relationship = action.relationship
    _ensure_mentor(relationship, person)
    fields = _clean(relationship, kind, occurred_on, description, timezone.localdate())
    action = AdvocacyAction.objects.select_for_update().get(pk=action.pk)  # as saved, not as a form left it
    changed = any(getattr(action, name) != value for name, value in fields.items())
    for name, value in fields.items():
        setattr(action, name, value)
    if changed:
        action.confirmed_at = None
    action.save()
    return action


@transaction.atomic
def advocacy_action_delete(*, action: AdvocacyAction, person: Person) -> None:
    _ensure_mentor(action.relationship, person)
    action.delete()


@transaction.atomic
def advocacy_action_confirm(*, action: AdvocacyAction, person: Person) -> AdvocacyAction:
    """The mentee says it happened. Confirming twice is harmless."""
    relationship = Relationship.objects.select_for_update().get(pk=action.relationship_id)
    if ensure_writable(relationship=relationship, person=person) != "mentee":
        raise PermissionDenied(_("Only the mentee can confirm a sponsorship action."))
    now = timezone.now()  # a confirmation is a change: the API's updated_since lists it
    unconfirmed = AdvocacyAction.objects.filter(pk=action.pk, confirmed_at__isnull=True)
    unconfirmed.update(confirmed_at=now, updated_at=now)
    action.refresh_from_db()
    return action
