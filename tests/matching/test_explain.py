"""Reasons are codes with params, and an unmatched person's reason is true by construction."""

import dataclasses
import json
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentora.matching import explain
from mentora.matching.engine import solve
from mentora.matching.explain import PRIVATE_PARAMS
from mentora.matching.shortlist import Shortlister
from mentora.matching.text import tokenize
from tests.matching.helpers import alice, bob, instance, person
from tests.matching.strategies import instances, naive_eligible


def mentee(pid, **kw):
    return dataclasses.replace(alice(**kw), id=pid)


def codes(reasons):
    return [r["code"] for r in reasons]


def by_code(reasons, code):
    return next(r["params"] for r in reasons if r["code"] == code)


def test_every_pair_comes_with_coded_reasons():
    reasons = solve(instance(alice(), bob()))["pairs"][0]["reasons"]
    assert reasons[0] == {
        "code": "skill_level",
        "params": {
            "skill": "kubernetes",
            "level": 5,
            "priority": "high",
            "own_level": 1,
            "teacher": "bob",
            "learner": "alice",
        },
    }
    assert by_code(reasons, "shared_hours") == {"hours": 8.0}
    assert by_code(reasons, "shared_language") == {"languages": ["en"]}
    assert by_code(reasons, "different_department") == {"departments": ["Sales", "Engineering"]}
    json.dumps(reasons)  # the result is JSON-ready


def test_the_engine_writes_no_prose():
    reasons = solve(instance(alice(), bob()))["pairs"][0]["reasons"]
    for r in reasons:
        assert set(r) == {"code", "params"}
        assert " " not in r["code"]


def test_meeting_reasons_name_a_place_only_when_both_share_one():
    def reasons(mentee_location, mentor_location, department="Sales"):
        inst = instance(
            alice(meeting_mode="hybrid", location=mentee_location),
            bob(meeting_mode="hybrid", location=mentor_location, department=department),
            diversity_dial=0.5,
        )
        return solve(inst)["pairs"][0]["reasons"]

    assert by_code(reasons("", ""), "meeting_mode") == {"mode": "hybrid"}
    assert "same_location" not in codes(reasons("", ""))
    assert by_code(reasons("Berlin", "Berlin"), "same_location") == {"location": "Berlin"}
    assert "same_location" not in codes(reasons("Berlin", ""))
    assert "different_location" not in codes(reasons("Berlin", "", department="Engineering"))
    assert by_code(reasons("Berlin", "Paris", department="Engineering"), "different_location") == {
        "locations": ["Paris", "Berlin"]
    }


def test_a_stated_preference_is_a_ranked_reason():
    reasons = solve(instance(alice(preferences=("bob",)), bob()))["pairs"][0]["reasons"]
    assert by_code(reasons, "ranked") == {"by": "alice", "ranked": "bob", "rank": 1}


def test_similar_goals_leave_out_stop_words_and_numbers():
    goals = "I want to become a manager in two years and lead the platform team"
    inst = instance(alice(goals=goals), bob(goals=goals), weights={"purpose": 1.0})
    terms = by_code(solve(inst)["pairs"][0]["reasons"], "similar_goals")["terms"]
    assert terms and set(terms) <= {"manager", "lead", "platform", "team"}
    assert tokenize("Two years to become a manager, then three more") == ["manager"]


def test_only_the_own_level_and_the_threshold_are_private():
    assert {"own_level", "at_least"} == PRIVATE_PARAMS


# ---- unmatched ---------------------------------------------------------------------------------


def unmatched(inst, who="alice"):
    return next(u["reasons"] for u in solve(inst)["unmatched"] if u["id"] == who)


def test_a_mentee_whom_every_rule_leaves_alone_is_told_which_rules_and_how_many():
    inst = instance(
        alice(),
        bob(offered_skills={"kubernetes": 1}),  # not stronger than alice
        person("jun", "mentor", offered_skills={"kubernetes": 5}, languages=("ja",)),
        person("kay", "mentor", offered_skills={"kubernetes": 5}, languages=("ja",)),
    )
    (why,) = unmatched(inst)
    assert why["code"] == "no_eligible_partner"
    params = why["params"]
    assert params["role"] == "mentor" and params["considered"] == 3
    assert params["excluded"] == [{"rule": "skill_match", "count": 1}, {"rule": "language", "count": 2}]
    assert params["skills"] == ["kubernetes"] and params["at_least"] == [3]  # level 1 + the default gap of 2


def test_out_competed_only_when_every_eligible_mentor_is_full():
    (left,) = solve(instance(alice(), mentee("ann"), bob()))["unmatched"]
    (why,) = left["reasons"]
    assert why["code"] == "all_eligible_full"
    assert why["params"]["eligible"] == 1 and why["params"]["role"] == "mentor"


def test_an_eligible_mentor_outside_the_candidates_is_counted():
    """Eligibility is checked against every mentor, not only the sampled candidates: with one
    candidate per mentee, the second eligible mentor still counts."""
    mentors = [person(f"m{k}", "mentor", offered_skills={"kubernetes": 5}) for k in range(2)]
    mentees = [mentee(f"a{k}") for k in range(3)]
    result = solve(instance(*mentees, *mentors, candidate_limit=1))
    assert result["unmatched"]
    assert all(u["reasons"][0]["params"]["eligible"] == 2 for u in result["unmatched"])


def test_past_the_counting_budget_the_reason_is_still_true(monkeypatch):
    """People who had a candidate are then checked against the mentors with a free place only:
    still out-competed, with the count of eligible mentors left null."""
    monkeypatch.setattr(explain, "DIAGNOSIS_COUNT_BUDGET", 0)
    (left,) = solve(instance(alice(), mentee("ann"), bob()))["unmatched"]
    assert left["reasons"][0]["code"] == "all_eligible_full"
    assert left["reasons"][0]["params"]["eligible"] is None
    (alone,) = solve(instance(alice(), bob(languages=("ja",))))["unmatched"]
    assert alone["reasons"][0]["code"] == "no_eligible_partner"  # no candidate: always checked in full


def test_nobody_with_capacity_is_said_so():
    (why,) = unmatched(instance(alice(), bob(capacity=0)))
    assert why == {"code": "none_with_capacity", "params": {"role": "mentor"}}


def test_a_department_cap_is_named_when_it_is_the_cause():
    """Bob has two places but takes one mentee per department: Ann, also from Engineering, waits."""
    result = solve(instance(alice(), mentee("ann"), bob(capacity=2), max_mentees_per_department=1))
    (left,) = result["unmatched"]
    assert left["reasons"] == [
        {
            "code": "department_cap",
            "params": {"role": "mentor", "department": "Engineering", "cap": 1, "free": 1},
        }
    ]


def test_an_empty_shortlist_says_every_eligible_mentor_is_full():
    shortlister = Shortlister(instance(alice(), bob()))
    assert shortlister.shortlist("alice", assigned={"bob": 1}) == []
    assert codes(shortlister.why_empty("alice", assigned={"bob": 1})) == ["all_eligible_full"]
    assert codes(Shortlister(instance(alice(), bob(languages=("ja",)))).why_empty("alice")) == [
        "no_eligible_partner"
    ]


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def crowded_programs(draw):
    """Small programs where many pairs are eligible and places are short, in every mode, with or
    without candidate sampling: the ground where "out-competed" could be said wrongly."""
    inst = draw(instances(fmt="one_to_one", max_mentees=8, max_mentors=3))
    rules = dict.fromkeys(
        draw(st.sets(st.sampled_from(["seniority", "timezone", "skill_match", "language"]))), False
    )
    program = dataclasses.replace(
        inst.program,
        candidate_limit=draw(st.sampled_from([None, 1, 2])),
        mode=draw(st.sampled_from(["optimal", "stable"])),
        constraints={**inst.program.constraints, **rules},
    )
    return dataclasses.replace(inst, program=program)


def naive_fits(inst, mentee, mentor):
    """naive_eligible with the program's switched-off rules switched off."""
    program = inst.program
    relaxed = dataclasses.replace(
        program,
        min_seniority_gap=-99 if not program.constraint("seniority") else program.min_seniority_gap,
        min_tz_overlap_hours=0.0 if not program.constraint("timezone") else program.min_tz_overlap_hours,
    )
    people = {p.id: p for p in inst.people}
    if not program.constraint("language"):
        people = {k: dataclasses.replace(p, languages=("en",)) for k, p in people.items()}
    if not program.constraint("skill_match"):
        people = {k: dataclasses.replace(p, wanted_skills={}) for k, p in people.items()}
    relaxed_inst = dataclasses.replace(inst, program=relaxed, people=tuple(people.values()))
    return naive_eligible(relaxed_inst, people[mentee.id], people[mentor.id])


@PROPERTY
@given(crowded_programs())
def test_an_unmatched_mentee_is_out_competed_only_if_no_eligible_mentor_has_a_free_place(inst):
    result = solve(inst)
    by_id = {p.id: p for p in inst.people}
    load = Counter(pair["mentor"] for pair in result["pairs"])
    mentors = [p for p in inst.people if "mentor" in p.roles]
    for entry in result["unmatched"]:
        (why,) = entry["reasons"]
        fits = [m for m in mentors if naive_fits(inst, by_id[entry["id"]], m)]
        if why["code"] == "all_eligible_full":
            assert len(fits) == why["params"]["eligible"] > 0
            assert all(load[m.id] >= m.capacity for m in fits)
        elif why["code"] == "no_eligible_partner":
            assert fits == []
        elif why["code"] == "eligible_partner_free":
            assert sum(load[m.id] < m.capacity for m in fits) == why["params"]["free"] > 0
        else:
            assert why["code"] == "none_with_capacity" and all(m.capacity == 0 for m in mentors)
