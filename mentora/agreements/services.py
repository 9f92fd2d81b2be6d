"""Writes for the mentoring agreement and the first-meeting agenda.

Optimistic concurrency: every edit and every confirmation names the `version` it was based on,
and is applied with one conditional UPDATE (`WHERE version = expected`). Two tabs editing the
same agreement cannot silently overwrite each other: the second one gets code "stale".
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mentora.agreements.models import SHORT_LIMIT, TEXT_LIMIT, AgendaCheck, AgendaStep, Agreement
from mentora.core.refusals import Refusal
from mentora.core.text import check_texts, too_long_error
from mentora.notifications.services import notify_relationship_update
from mentora.people.models import Person
from mentora.relationships.models import Relationship
from mentora.workspace.access import ensure_writable

AGREEMENT_FIELDS = {
    "expectations": TEXT_LIMIT,
    "confidentiality": TEXT_LIMIT,
    "cadence": SHORT_LIMIT,
    "channel": SHORT_LIMIT,
    "ending": TEXT_LIMIT,
}
OTHER_SIDE = {"mentor": "mentee", "mentee": "mentor"}


def _clean_fields(fields: dict) -> dict:
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise Refusal(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}, code="unknown_fields"
        )
    clean, errors = {}, {}
    for name, value in fields.items():
        value = (value or "").strip()
        limit = AGREEMENT_FIELDS[name]
        if too_long := too_long_error(value, limit=limit):
            errors[name] = too_long
        clean[name] = value
    if errors:
        raise ValidationError(errors, code="too_long")
    check_texts(
        single_line={name: value for name, value in clean.items() if AGREEMENT_FIELDS[name] == SHORT_LIMIT},
        multi_line={name: value for name, value in clean.items() if AGREEMENT_FIELDS[name] == TEXT_LIMIT},
    )
    return clean


def _stale(current: Agreement) -> ValidationError:
    return ValidationError(
        _(
            "The agreement was changed (by your partner or in another tab) since you opened it. "
            "Nothing was saved: review the current version and apply your change again."
        ),
        code="stale",
        params={"version": current.version},
    )


def _ensure_row(relationship: Relationship) -> None:
    try:
        with transaction.atomic():
            Agreement.objects.get_or_create(relationship=relationship)
    except IntegrityError:
        pass  # the other side created it at the same moment


@transaction.atomic
def agreement_update(
    *, relationship: Relationship, person: Person, expected_version: int, fields: dict
) -> Agreement:
    """Save the agreement's text. An edit clears the other side's confirmation (they agreed to
    something else); the editor's own confirmation, if any, stands."""
    relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)  # its status now
    side = ensure_writable(relationship=relationship, person=person)
    clean = _clean_fields(fields)
    _ensure_row(relationship)
    updated = Agreement.objects.filter(relationship=relationship, version=expected_version).update(
        **clean,
        version=F("version") + 1,
        updated_by=person,
        updated_at=timezone.now(),
        **{f"{OTHER_SIDE[side]}_confirmed_at": None},
    )
    agreement = Agreement.objects.get(relationship=relationship)
    if not updated:
        raise _stale(agreement)
    notify_relationship_update(
        relationship_id=relationship.pk,
        recipient_id=relationship.partner_id_of(person),
        event="agreement_changed",
        period=f"v{agreement.version}",
    )
    return agreement


@transaction.atomic
def agreement_confirm(*, relationship: Relationship, person: Person, expected_version: int) -> Agreement:
    """Confirm the version the person has read. Refused when it changed since, or is incomplete."""
    relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)  # its status now
    side = ensure_writable(relationship=relationship, person=person)
    agreement = Agreement.objects.filter(relationship=relationship).first()
    if agreement is None or agreement.version == 0:
        raise Refusal(_("Write the agreement together before confirming it."), code="nothing_agreed")
    if agreement.version != expected_version:
        raise _stale(agreement)
    missing = [
        str(Agreement._meta.get_field(name).verbose_name)
        for name in AGREEMENT_FIELDS
        if not getattr(agreement, name)
    ]
    if missing:
        raise Refusal(
            _("Fill in every part before confirming: %(missing)s.") % {"missing": ", ".join(missing)},
            code="incomplete",
        )
    updated = Agreement.objects.filter(pk=agreement.pk, version=expected_version).update(
        **{f"{side}_confirmed_at": timezone.now()}
    )
    agreement.refresh_from_db()
    if not updated:
        raise _stale(agreement)
    notify_relationship_update(
        relationship_id=relationship.pk,
        recipient_id=relationship.partner_id_of(person),
        event="agreement_confirmed",
        period=f"v{agreement.version}-{side}",
    )
    return agreement


@transaction.atomic
def agenda_step_set(*, relationship: Relationship, person: Person, step: str, done: bool) -> None:
    """Tick or untick one step of the first-meeting agenda. Idempotent both ways."""
    relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)  # its status now
    ensure_writable(relationship=relationship, person=person)
    if step not in AgendaStep.values:
        raise Refusal(_("Unknown agenda step."), code="bad_choice", field="step")
    _ensure_row(relationship)
    agreement = Agreement.objects.get(relationship=relationship)
    if done:
        try:
            with transaction.atomic():
                AgendaCheck.objects.get_or_create(
                    agreement=agreement, step=step, defaults={"checked_by": person}
                )
        except IntegrityError:
            pass  # ticked by the other side at the same moment: the result is the same
    else:
        AgendaCheck.objects.filter(agreement=agreement, step=step).delete()
