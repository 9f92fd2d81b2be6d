"""One check per field of a person, shared by the services (pages and API) and the HR import, so
that what one accepts the other does not refuse. Each returns the error message, or None when the
value is acceptable; the caller attaches it to its field (a form field, an import's row and column).
"""

import zoneinfo
from functools import cache

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.people.models import MAX_HOURS_PER_MONTH, MAX_SENIORITY, MAX_SKILL_LEVEL, Person, Priority


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def length_error(model: type[Model], field: str, value: str) -> str | None:
    return _longer_than(model._meta.get_field(field).max_length, value)


def range_error(value: int, *, low: int, high: int) -> str | None:
    if low <= value <= high:
        return None
    return _("Choose a value between %(low)d and %(high)d.") % {"low": low, "high": high}


def seniority_error(value: int) -> str | None:
    return range_error(value, low=1, high=MAX_SENIORITY)


def availability_error(value: int) -> str | None:
    """Hours per month a person can give to mentoring."""
    return range_error(value, low=0, high=MAX_HOURS_PER_MONTH)


def offered_level_error(value: int) -> str | None:
    """The level a person offers a skill at."""
    return range_error(value, low=1, high=MAX_SKILL_LEVEL)


def assessed_level_error(value: int) -> str | None:
    """A private self-assessment's level, where 0 is "not at all"."""
    return range_error(value, low=0, high=MAX_SKILL_LEVEL)


def priority_error(value: int) -> str | None:
    """How much a person wants to grow a skill: high (1) to low (3)."""
    return range_error(value, low=Priority.HIGH, high=Priority.LOW)


def time_zone_error(value: str) -> str | None:
    if value in time_zone_names():
        return None
    return _("“%(value)s” is not a known time zone (e.g. Europe/Paris).") % {"value": value}


def email_error(value: str) -> str | None:
    """A sign-in e-mail (already stripped and lower-cased): valid, and no longer than the sign-in
    name it also becomes (PostgreSQL would refuse a longer one only when it is written)."""
    try:
        validate_email(value)
    except ValidationError:
        return _("Enter a valid email address.")
    sign_in_name = get_user_model()._meta.get_field("username").max_length
    return _longer_than(min(Person._meta.get_field("email").max_length, sign_in_name), value)


def _longer_than(limit: int | None, value: str) -> str | None:
    if limit is None or len(value) <= limit:
        return None
    return ngettext(
        "At most %(limit)d character, please.", "At most %(limit)d characters, please.", limit
    ) % {"limit": limit}
