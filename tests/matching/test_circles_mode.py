"""The circles format end to end: edges from the engine, grouping from mentora.matching.circles."""

from collections import Counter

from mentora.matching.engine import solve
from mentora.matching.generate import generate_instance
from mentora.matching.instance import CircleRules
from mentora.matching.population import utc_offset_hours


def test_circles_partition_everyone_and_meet_every_spread_rule():
    rules = CircleRules(
        min_size=5,
        max_size=7,
        max_tz_span_hours=9.0,
        max_per_department=3,
        min_distinct_seniority=2,
        require_facilitator=True,
    )
    inst = generate_instance(peers=120, seed=11, program_format="circles").with_program(circles=rules)
    result = solve(inst)
    by_id = {p.id: p for p in inst.people}
    members = [m for g in result["groups"] for m in g["members"]]
    assert sorted(members) == sorted(by_id)
    assert result["objective"]["feasible"], result["objective"]["violations"]
    for group in result["groups"]:
        people = [by_id[m] for m in group["members"]]
        assert 5 <= len(people) <= 7
        offsets = [utc_offset_hours(p.timezone, __import__("datetime").date(2025, 1, 15)) for p in people]
        assert max(offsets) - min(offsets) <= 9.0
        assert max(Counter(p.department for p in people).values()) <= 3
        assert len({p.seniority for p in people}) >= 2
        assert group["facilitator"] in group["members"]
        assert "facilitator" in by_id[group["facilitator"]].roles
        assert group["reasons"]
