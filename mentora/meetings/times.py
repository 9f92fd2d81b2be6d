"""Local wall-clock times to UTC, refusing the times a DST change makes ambiguous or skips."""

import datetime
import zoneinfo

from django.utils.translation import gettext as _

from mentora.core.refusals import Refusal


def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise Refusal(
            _("“%(name)s” is not a time zone. Use a name like Europe/London.") % {"name": name},
            code="bad_choice",
            field="time_zone",
        ) from None


def local_to_utc(value: datetime.datetime, tz_name: str) -> datetime.datetime:
    """A naive wall-clock time in `tz_name` (or an aware time, kept as is) as an aware UTC time."""
    try:
        return _local_to_utc(value, tz_name)
    except OverflowError:
        # Year 1 east of Greenwich, or year 9999 west of it, has no UTC time that Python can hold.
        raise Refusal(
            _("Choose a date and time in the years to come."), code="bad_range", field="starts_at"
        ) from None


def _local_to_utc(value: datetime.datetime, tz_name: str) -> datetime.datetime:
    if value.tzinfo is not None:
        return value.astimezone(datetime.UTC)
    tz = zone(tz_name)
    early, late = value.replace(tzinfo=tz, fold=0), value.replace(tzinfo=tz, fold=1)
    utc = early.astimezone(datetime.UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != value:
        raise Refusal(
            _("%(time)s does not exist in %(zone)s because the clocks change; choose another time.")
            % {"time": value.strftime("%Y-%m-%d %H:%M"), "zone": tz_name},
            code="nonexistent_time",
            field="starts_at",
        )
    if early.utcoffset() != late.utcoffset():
        raise Refusal(
            _("%(time)s happens twice in %(zone)s because the clocks change; choose another time.")
            % {"time": value.strftime("%Y-%m-%d %H:%M"), "zone": tz_name},
            code="ambiguous_time",
            field="starts_at",
        )
    return utc
