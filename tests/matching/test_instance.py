import copy
import json
from pathlib import Path

import pytest

from mentora.matching.instance import (
    InstanceError,
    instance_to_json,
    load_instance,
    parse_instance,
)

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "version": 1,
    "program": {"format": "one_to_one", "weights": {"goal_fit": 0.5}},
    "people": [
        {
            "id": "m1",
            "roles": ["mentor"],
            "capacity": 2,
            "seniority": 8,
            "timezone": "Europe/Berlin",
            "offered_skills": {"kubernetes": 5},
        },
        {
            "id": "e1",
            "roles": ["mentee"],
            "seniority": 2,
            "timezone": "Europe/Paris",
            "manager_id": "m1",
            "wanted_skills": {"kubernetes": 1},
            "self_assessment": {"kubernetes": 1},
            "availability": {"hours_per_week": 2, "work_start": 8, "work_end": 16},
        },
    ],
}


def broken(path: list, value) -> dict:
    doc = copy.deepcopy(GOOD)
    node = doc
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return doc


def test_it_parses_a_good_instance():
    inst = parse_instance(GOOD)
    assert [p.id for p in inst.people] == ["m1", "e1"]
    assert inst.program.weights["goal_fit"] == 0.5
    assert inst.people[1].work_start == 8


def test_it_round_trips_through_json():
    inst = parse_instance(GOOD)
    assert parse_instance(json.loads(json.dumps(instance_to_json(inst)))) == inst


@pytest.mark.parametrize(
    ("path", "value", "field", "person"),
    [
        (["people", 1, "seniority"], 11, "seniority", "e1"),
        (["people", 1, "seniority"], KeyError, "seniority", "e1"),
        (["people", 1, "timezone"], "Mars/Olympus", "timezone", "e1"),
        (["people", 1, "manager_id"], "nobody", "manager_id", "e1"),
        (["people", 0, "roles"], ["boss"], "roles[0]", "m1"),
        (["people", 0, "offered_skills"], {"kubernetes": 6}, "offered_skills.kubernetes", "m1"),
        (["people", 1, "wanted_skills"], {"kubernetes": 0}, "wanted_skills.kubernetes", "e1"),
        (["people", 0, "capacity"], -1, "capacity", "m1"),
        (["people", 1, "availability"], {"work_start": 18, "work_end": 9}, "availability.work_end", "e1"),
        (["people", 1, "blocks"], ["ghost"], "blocks", "e1"),
        (["people", 1, "favourite_colour"], "blue", "favourite_colour", "e1"),
        (["people", 0, "meeting_mode"], "carrier pigeon", "meeting_mode", "m1"),
        (["program", "format"], "speed_dating", "program.format", None),
        (["program", "diversity_dial"], 1.5, "program.diversity_dial", None),
        (["program", "weights"], {"astrology": 1}, "program.weights.astrology", None),
        (["program", "effort"], 0, "program.effort", None),
        (["program", "effort"], 11, "program.effort", None),
        (["program", "effort"], "lots", "program.effort", None),
    ],
)
def test_it_names_the_field_and_person_of_a_mistake(path, value, field, person):
    with pytest.raises(InstanceError) as err:
        parse_instance(broken(path, value))
    assert err.value.field == field
    assert err.value.person == person
    assert field in str(err.value)
    if person:
        assert repr(person) in str(err.value)


def test_it_refuses_a_wall_clock_time_limit_and_names_its_replacement():
    with pytest.raises(InstanceError, match="effort") as err:
        parse_instance(broken(["program", "time_limit_s"], 60))
    assert err.value.field == "program.time_limit_s"


def test_effort_defaults_to_one_and_round_trips():
    assert parse_instance(GOOD).program.effort == 1.0
    inst = parse_instance(broken(["program", "effort"], 2.5))
    assert inst.program.effort == 2.5
    assert instance_to_json(inst)["program"]["effort"] == 2.5


def test_it_rejects_a_manager_cycle():
    doc = broken(["people", 0, "manager_id"], "e1")
    with pytest.raises(InstanceError, match="cycle") as err:
        parse_instance(doc)
    assert err.value.field == "manager_id"


def test_it_rejects_duplicate_ids():
    doc = copy.deepcopy(GOOD)
    doc["people"].append(copy.deepcopy(doc["people"][0]))
    with pytest.raises(InstanceError, match="duplicate") as err:
        parse_instance(doc)
    assert err.value.person == "m1"


def test_it_reports_invalid_json_with_its_position(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"people": [}')
    with pytest.raises(InstanceError, match="line 1"):
        load_instance(bad)


def test_the_schema_lists_exactly_the_fields_the_parser_accepts():
    from mentora.matching.instance import _PERSON_KEYS, _PROGRAM_KEYS

    schema = json.loads((ROOT / "mentora/matching/schema/instance.schema.json").read_text())
    assert set(schema["$defs"]["person"]["properties"]) == _PERSON_KEYS
    assert set(schema["$defs"]["program"]["properties"]) == _PROGRAM_KEYS


def test_every_shipped_example_is_valid():
    examples = sorted((ROOT / "examples").glob("*.json"))
    assert examples
    for path in examples:
        assert load_instance(path).people
