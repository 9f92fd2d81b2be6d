"""Reads of the audit log: always one organisation's events, newest first."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mentora.audit.forms import AuditFilterForm
from mentora.audit.models import AuditEvent

EVENTS_PER_PAGE = 50


@dataclass(frozen=True)
class EventFilters:
    action: str = ""
    actor: str = ""
    actor_id: int | None = None
    target: str = ""
    target_type: str = ""
    target_id: str = ""
    since: date | None = None
    until: date | None = None


def event_filters(*, data: Mapping[str, str]) -> EventFilters:
    """Filters from a query string; a bad value (an unknown action, a date that is not one, an end
    before the start) is refused with a ValidationError naming the field."""
    form = AuditFilterForm(data)
    if not form.is_valid():
        raise ValidationError(
            {field: [str(message) for message in messages] for field, messages in form.errors.items()}
        )
    return EventFilters(
        **{name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
    )


def _start_of(day: date) -> datetime:
    """Midnight of the day in the viewer's time zone (activated per request), as an aware time."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def audit_events(*, organisation_id: int, filters: EventFilters | None = None) -> QuerySet[AuditEvent]:
    """The organisation's events matching the filters, newest first. Nothing of another
    organisation, nor events that belong to none (a failed sign-in for an unknown name)."""
    filters = filters or EventFilters()
    events = AuditEvent.objects.filter(organisation_id=organisation_id)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.actor:
        events = events.filter(actor_label__icontains=filters.actor)
    if filters.actor_id:
        events = events.filter(actor_person_id=filters.actor_id)
    if filters.target:
        events = events.filter(target_label__icontains=filters.target)
    if filters.target_type:
        events = events.filter(target_type=filters.target_type)
    if filters.target_id:
        events = events.filter(target_id=filters.target_id)
    if filters.since:
        events = events.filter(created_at__gte=_start_of(filters.since))
    if filters.until:
        events = events.filter(created_at__lt=_start_of(filters.until + timedelta(days=1)))
    return events.order_by("-created_at", "-id")


def detail_lines(event: AuditEvent) -> list[str]:
    """The event's details as short lines for people to read: a model change as "field: old → new"."""
    details = dict(event.details or {})
    lines = []
    changes = details.pop("changes", None)
    if isinstance(changes, dict):
        for field, values in changes.items():
            if isinstance(values, list | tuple) and len(values) == 2:
                lines.append(f"{field}: {values[0]} → {values[1]}")
            else:
                lines.append(f"{field}: {values}")
    elif changes is not None:
        lines.append(f"changes: {changes}")
    lines.extend(f"{key}: {_text(value)}" for key, value in details.items())
    return lines


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


EXPORT_COLUMNS = (
    "time_utc",
    "action",
    "actor",
    "actor_person_id",
    "target_type",
    "target_id",
    "target",
    "details",
    "ip_address",
    "user_agent",
)


def export_rows(events: QuerySet[AuditEvent]) -> Iterator[list[object]]:
    """One row of EXPORT_COLUMNS per event, times in UTC (ISO 8601), read in chunks."""
    for event in events.iterator(chunk_size=2000):
        yield [
            event.created_at.astimezone(UTC).isoformat(),
            event.action,
            event.actor_label,
            event.actor_person_id or "",
            event.target_type,
            event.target_id,
            event.target_label,
            "; ".join(detail_lines(event)),
            event.ip_address or "",
            event.user_agent,
        ]
