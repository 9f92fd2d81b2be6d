"""The program dashboard's figures on Program P (tests/evidence/scenario.py), worked out by hand."""

import pytest
from django.utils import timezone

from mentora.evidence import selectors, services
from mentora.evidence.models import FairnessSnapshot


@pytest.fixture
def dashboard(scenario):
    services.fairness_snapshot_refresh(program=scenario.program)
    return selectors.program_dashboard_compute(program=scenario.program, now=timezone.now())


def rows_by_first(table) -> dict:
    return {row[0]: row[1:] for row in table.rows}


def column(table, key) -> list:
    index = [c.key for c in table.columns].index(key)
    return [row[index] for row in table.rows]


def test_the_funnel_counts_each_step_with_conversion_and_median_days(dashboard):
    funnel = dashboard.table("funnel")
    assert column(funnel, "step_key") == [
        "invited", "applied", "approved", "matched", "consented", "first_meeting",
        "active_30", "active_60", "active_90", "completed",
    ]  # fmt: skip
    assert column(funnel, "people") == [1, 14, 13, 9, 9, 8, 8, 4, 3, 1]
    conversion = column(funnel, "conversion_percent")
    assert conversion[1] is None  # applying needs no invitation
    assert conversion[2:5] == [92.9, 69.2, 100.0]
    medians = dict(zip(column(funnel, "step_key"), column(funnel, "median_days_from_previous"), strict=True))
    assert medians["matched"] == pytest.approx(152.0, abs=0.1)  # 197 days less the pairs' ages
    assert medians["first_meeting"] == pytest.approx(5.0, abs=0.1)


def test_match_rate_capacity_and_waiting_list(dashboard):
    figures = dashboard.figures
    assert figures["approved_mentees"] == 13
    assert figures["match_rate_percent"] == 69.2
    assert figures["match_rate_healthy"] is False  # under Mentorloop's 70 %
    assert (figures["mentors"], figures["capacity"], figures["places_used"]) == (8, 16, 8)
    assert figures["capacity_used_percent"] == 50.0
    assert figures["mentors_without_mentees"] == 1  # Quinn
    assert figures["waiting_list"] == 5  # Uma, Val, Wes, Xia and Hal, whose pair ended
    assert figures["pairs_with_3_meetings_percent"] == 66.7  # 6 of 9 pairs that started


def test_pairs_fall_in_health_buckets(dashboard, scenario):
    health = rows_by_first(dashboard.table("pair_health"))
    assert [health[label][0] for label in ("On track", "Needs attention", "At risk", "Too early to say")] == [
        5,
        1,
        1,
        1,
    ]
    assert [row.pair.relationship for row in dashboard.at_risk] == [scenario.pairs["erin"]]
    assert dashboard.at_risk[0].last_met_at is not None


def test_meeting_cadence_against_the_plan_and_goal_progress(dashboard):
    assert column(dashboard.table("meeting_cadence"), "pairs") == [5, 0, 3, 1]
    goals = dict(
        zip(
            column(dashboard.table("goal_progress"), "band_key"),
            column(dashboard.table("goal_progress"), "goals"),
            strict=True,
        )
    )
    assert goals == {"none": 4, "low": 1, "high": 5, "achieved": 0, "dropped": 0}


def test_a_small_department_is_hidden_with_the_next_smallest_so_the_total_cannot_reveal_it(dashboard):
    by_department = rows_by_first(dashboard.table("fairness_department"))
    # All six matched; 3 on track and 3 not are cells under the minimum: no on-track share.
    assert by_department["Engineering"] == (6, 6, 100.0, None)
    assert by_department["Legal"] == (None, None, None, None)  # 2 mentees
    # Sales (5) is withheld too: 13 approved less Engineering's 6 would otherwise give Legal's 2.
    assert by_department["Sales"] == (None, None, None, None)
    assert dashboard.table("fairness_department").hidden


def test_private_groupings_come_from_the_published_snapshot(dashboard):
    by_group = rows_by_first(dashboard.table("fairness_demographic_group"))
    # Women: Alice, Erin, Fay, Gus and Ivy, all paired; Alice and Ivy on track.
    # 4 matched and 4 waiting, 2 on track and 3 not: cells under the minimum, so only the sizes show.
    assert by_group == {"Not given": (8, None, None, None), "Woman": (5, 5, 100.0, None)}
    under_sponsored = rows_by_first(dashboard.table("fairness_under_sponsored"))
    assert under_sponsored["Under-sponsored"] == (5, 5, 100.0, None)
    over_time = dashboard.table("fairness_over_time")
    assert [c.label for c in over_time.columns] == ["Published", "Not given", "Woman"]
    assert len(over_time.rows) == 1


def test_a_snapshot_moves_only_when_enough_mentees_joined_or_left(scenario, org):
    from tests.factories import DemographicProfileFactory, PersonFactory
    from tests.programs.factories import EnrolmentFactory

    program = scenario.program
    first = services.fairness_snapshot_refresh(program=program)
    assert first is not None and len(first.members) == 13
    # One more woman joins: reading before and after must not tell her group.
    newcomer = PersonFactory(organisation=org, full_name="Yara Yew")
    DemographicProfileFactory(person=newcomer, gender="Woman")
    EnrolmentFactory(program=program, person=newcomer, role="mentee")
    assert services.fairness_snapshot_refresh(program=program) is None
    latest = selectors.program_dashboard_compute(program=program, now=timezone.now())
    assert rows_by_first(latest.table("fairness_demographic_group"))["Woman"][0] == 5
    for _ in range(4):
        EnrolmentFactory(program=program, person=PersonFactory(organisation=org), role="mentee")
    assert services.fairness_snapshot_refresh(program=program) is not None
    assert FairnessSnapshot.objects.filter(program=program).count() == 2


def test_fewer_than_the_minimum_mentees_publish_nothing(org, pam):
    from tests.programs.factories import EnrolmentFactory, ProgramFactory

    program = ProgramFactory(organisation=org, managers=[pam])
    for _ in range(4):
        EnrolmentFactory(program=program, role="mentee")
    assert services.fairness_snapshot_refresh(program=program) is None
    dashboard = selectors.program_dashboard_compute(program=program, now=timezone.now())
    assert dashboard.table("fairness_demographic_group").rows == ()


def test_sponsorship_and_usefulness_tables_exist_even_when_empty(dashboard):
    assert column(dashboard.table("sponsorship"), "actions") == [0, 0, 0, 0]
    assert dashboard.table("usefulness_over_time").rows == ()
