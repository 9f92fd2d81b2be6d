"""The only writes to the audit log.

Call `record` from inside the service that does the thing, in its transaction, with one line:

    from mentora.audit.models import Action
    from mentora.audit.services import record

    record(action=Action.ROLES_CHANGED, actor=viewer, target=person,
           details={"added": ["program_manager"], "removed": []})

`actor` is whoever did it: a `core.roles.Viewer`, a `people.Person` or a user (None for the
system: the scheduler, a sign-in that named nobody). The address and browser come from the request
being served (`AuditRequestMiddleware`), or from `request` when given, which also names the actor
when `actor` is None. The organisation is taken from the actor's person, else from the target's
`organisation_id`; give `organisation` only when neither has it.
`details` is a small JSON object of codes, ids and numbers, never private content (no note text,
no answers): anyone the audit log is shown to reads it. Personal data goes only under the keys in
`PERSONAL_DETAIL_KEYS`, which `events_redact_person` blanks on erasure.

A new action is added to `models.Action` (no migration needed); `record` refuses unknown codes.
"""

import ipaddress
from datetime import datetime
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import connection, models, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentora.audit.middleware import current_request_meta
from mentora.audit.models import Action, AuditEvent
from mentora.audit.selectors import EXPORT_COLUMNS, EventFilters, audit_events, export_rows
from mentora.core.exports import spreadsheet_response
from mentora.core.roles import Viewer
from mentora.organisations.models import Organisation

PERSONAL_DETAIL_KEYS = frozenset({"email", "old_email", "new_email", "login", "name"})
REDACTED = "—"

_LABEL_LENGTH = AuditEvent._meta.get_field("actor_label").max_length
_USER_AGENT_LENGTH = AuditEvent._meta.get_field("user_agent").max_length


def record(
    *,
    action: str,
    actor: Any = None,
    organisation: Organisation | int | None = None,
    target: models.Model | None = None,
    details: dict | None = None,
    request: Any = None,
) -> AuditEvent:
    """Append one event to the audit log and return it (see the module's docstring)."""
    if action not in Action.values:
        raise ValueError(f"Unknown audit action {action!r}: add it to mentora.audit.models.Action.")
    if details is not None and not isinstance(details, dict):
        raise TypeError("An audit event's details are a dict.")
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    user, person = _actor_parts(actor)
    organisation_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    if organisation_id is None and person is not None:
        organisation_id = person.organisation_id
    if organisation_id is None and target is not None:
        organisation_id = getattr(target, "organisation_id", None)
    event = AuditEvent(
        organisation_id=organisation_id,
        action=action,
        actor_user=user,
        actor_person=person,
        actor_label=_actor_label(user, person),
        details=details or {},
    )
    if target is not None:
        event.target_type = target._meta.label_lower
        event.target_id = str(target.pk)
        event.target_label = _target_label(target)
    meta = request.META if request is not None else current_request_meta()
    if meta is not None:
        event.ip_address = _client_ip(meta)
        event.user_agent = meta.get("HTTP_USER_AGENT", "")[:_USER_AGENT_LENGTH]
    event.save()
    return event


def _actor_parts(actor: Any) -> tuple[Any, Any]:
    """(user, person) of a Viewer, a Person or a user."""
    if actor is None:
        return None, None
    if hasattr(actor, "roles") and hasattr(actor, "person"):  # core.roles.Viewer
        user = actor.user if getattr(actor.user, "is_authenticated", False) else None
        return user, actor.person
    meta = getattr(actor, "_meta", None)
    if meta is not None and meta.label_lower == "people.person":
        return actor.user, actor
    try:
        person = actor.person
    except (AttributeError, ObjectDoesNotExist):
        person = None
    return actor, person


def _actor_label(user: Any, person: Any) -> str:
    if person is not None:
        return person.full_name[:_LABEL_LENGTH]
    if user is not None:
        return user.get_username()[:_LABEL_LENGTH]
    return ""


def _target_label(target: models.Model) -> str:
    try:
        return str(target)[:_LABEL_LENGTH]
    except ObjectDoesNotExist:  # its __str__ reads a parent deleted in the same cascade
        return f"{target._meta.verbose_name} {target.pk}"[:_LABEL_LENGTH]


def _client_ip(meta: dict) -> str | None:
    """The address the request came from as Django sees it (behind a proxy, configure the proxy to
    set REMOTE_ADDR); anything that is not an IP address is left out."""
    raw = meta.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


@transaction.atomic
def events_redact_person(*, person: Any) -> int:
    """GDPR erasure, called before the person's own row is anonymised: blank their name, address
    and browser in every event they did; their name, and the field values django-auditlog kept
    (`changes`), in every event done to them; their name wherever another row's label holds it (a
    pair, a role); the `PERSONAL_DETAIL_KEYS` in the details of all of these. django-auditlog's own
    entries about their person row are deleted. What happened, when, and the pseudonymous ids stay.
    The only update the audit log allows; returns how many events were redacted."""
    acted = models.Q(actor_person_id=person.pk) | models.Q(actor_user_id=person.user_id)
    targeted = models.Q(target_type="people.person", target_id=str(person.pk))
    if person.full_name:
        targeted |= models.Q(organisation_id=person.organisation_id, target_label__contains=person.full_name)
    fields = ("id", "actor_person_id", "actor_user_id", "target_type", "target_id", "target_label", "details")
    rows = list(AuditEvent.objects.filter(acted | targeted).values(*fields))
    _allow("mentora.audit_redact", "on")
    for row in rows:
        is_target = (row["target_type"], row["target_id"]) == ("people.person", str(person.pk))
        hidden = PERSONAL_DETAIL_KEYS | ({"changes"} if is_target else set())
        changes: dict[str, Any] = {
            "details": {key: REDACTED if key in hidden else value for key, value in row["details"].items()},
            "target_label": REDACTED if is_target else _without(row["target_label"], person.full_name),
        }
        if row["actor_person_id"] == person.pk or row["actor_user_id"] == person.user_id:
            changes.update(actor_label=REDACTED, ip_address=None, user_agent="")
        # QuerySet.update itself: AuditEventQuerySet.update refuses every other caller.
        models.QuerySet.update(AuditEvent.objects.filter(pk=row["id"]), **changes)
    LogEntry.objects.get_for_object(person).delete()
    return len(rows)


def _without(label: str, name: str) -> str:
    return label.replace(name, REDACTED) if name else label


@transaction.atomic
def events_purge(*, before: datetime) -> int:
    """Delete the events older than `before` (the audit log's retention period, AUDIT_RETENTION_DAYS,
    applied by `manage.py audit_purge`). The only deletion the audit log allows; returns how many."""
    _allow("mentora.audit_purge_before", before.isoformat())
    deleted, _per_model = models.QuerySet.delete(AuditEvent.objects.filter(created_at__lt=before))
    return deleted


def _allow(setting: str, value: str) -> None:
    """Tell the PostgreSQL trigger, for this transaction only, which one write to let through."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [setting, value])


def audit_log_export(*, viewer: Viewer, filters: EventFilters, file_format: str) -> HttpResponse:
    """An org admin downloads their organisation's events matching the filters (CSV or XLSX); the
    download is itself recorded, with the filters used."""
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may see the audit log."))
    used = {name: str(value) for name, value in vars(filters).items() if value not in (None, "")}
    record(action=Action.AUDIT_EXPORTED, actor=viewer, details={"format": file_format, "filters": used})
    return spreadsheet_response(
        file_format=file_format,
        header=EXPORT_COLUMNS,
        rows=export_rows(audit_events(organisation_id=viewer.organisation_id, filters=filters)),
        filename=f"{viewer.person.organisation.slug}-audit-log-{timezone.localdate():%Y-%m-%d}",
        sheet_title=_("Audit log"),
    )
