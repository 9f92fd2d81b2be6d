"""The one fallback for a time-zone name: a name that names no zone (nothing checks a stored one on
save, and an organisation's default may be empty) reads as UTC. Input that a person types is checked
instead (`people.field_checks.time_zone_error`, `meetings.times.zone`)."""

import zoneinfo

UTC = zoneinfo.ZoneInfo("UTC")


def zone_or_utc(name: str | None) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return UTC
