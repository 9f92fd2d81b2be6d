"""A person who names themselves (or someone twice) is refused with the person and the field named."""

import pytest

from mentora.matching.instance import InstanceError, parse_instance


def _raw(**ann):
    people = [
        {"id": "ann", "roles": ["mentee"], "seniority": 3, "timezone": "UTC", **ann},
        {"id": "ben", "roles": ["mentor"], "seniority": 7, "timezone": "UTC"},
    ]
    return {"program": {"format": "circles"}, "people": people}


@pytest.mark.parametrize("field", ["blocks", "previous_partners", "preferences"])
def test_it_refuses_a_person_listed_in_their_own_list(field):
    with pytest.raises(InstanceError) as refused:
        parse_instance(_raw(**{field: ["ben", "ann"]}))
    assert str(refused.value) == f"person 'ann', field '{field}': must not name the person themselves"


def test_it_refuses_a_preference_listed_twice():
    with pytest.raises(InstanceError) as refused:
        parse_instance(_raw(preferences=["ben", "ben"]))
    assert str(refused.value) == "person 'ann', field 'preferences': lists 'ben' more than once"
