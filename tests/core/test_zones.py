"""A stored time-zone name that names no zone reads as UTC, in one place (mentora.core.zones)."""

import datetime

import pytest

from mentora.core.zones import UTC, zone_or_utc
from mentora.pairing.instance_builder import zone_key
from mentora.people.models import Person


@pytest.mark.parametrize("name", ["", None, "Mars/Olympus_Mons", "../etc/passwd", "Europe/"])
def test_a_name_that_is_no_zone_reads_as_utc(name):
    assert zone_or_utc(name) is UTC
    assert zone_key(name or "") == "UTC"
    assert Person(time_zone=name or "").zone is UTC


def test_a_zone_name_reads_as_its_zone():
    paris = zone_or_utc("Europe/Paris")
    assert paris.key == "Europe/Paris" == zone_key("Europe/Paris")
    assert Person(time_zone="Europe/Paris").zone.key == "Europe/Paris"
    assert datetime.datetime(2031, 7, 1, tzinfo=paris).utcoffset() == datetime.timedelta(hours=2)
