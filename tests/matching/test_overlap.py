"""Working-hours overlap against a minute-by-minute count, for any offsets and over a cycle's dates."""

import datetime as dt

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentora.matching.engine import prepare
from mentora.matching.instance import InstanceError, parse_instance
from mentora.matching.population import build_population, daily_overlap_hours, overlap_hours, utc_offset_hours
from tests.matching.helpers import instance, person

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MINUTES = 24 * 60
# Whole, half and quarter-hour zones, -12 to +14, with and without daylight saving (north and south,
# Lord Howe's 30-minute change, Chatham's +12:45/+13:45).
ZONES = [
    "Etc/GMT+12",
    "Pacific/Kiritimati",
    "America/New_York",
    "America/St_Johns",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Adelaide",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Pacific/Auckland",
    "UTC",
]
quarter_hours = st.integers(0, 96).map(lambda q: q / 4)


@st.composite
def windows(draw):
    start = draw(st.integers(0, 95))
    end = draw(st.integers(start + 1, 96))
    return start / 4, end / 4


def minutes_at_work(offset_hours: float, start: float, end: float) -> np.ndarray:
    """For each minute of a UTC day: is this person inside their local window?"""
    local = (np.arange(MINUTES) + round(offset_hours * 60)) % MINUTES
    return (local >= round(start * 60)) & (local < round(end * 60))


def reference_daily(offset_a, window_a, offset_b, window_b) -> float:
    both = minutes_at_work(offset_a, *window_a) & minutes_at_work(offset_b, *window_b)
    return both.sum() / 60


def reference_weekly(zone_a, window_a, zone_b, window_b, first: dt.date, last: dt.date) -> float:
    """Minimum over the cycle's 7-day windows of the minutes both work, per day."""
    days = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    daily = [
        reference_daily(utc_offset_hours(zone_a, d), window_a, utc_offset_hours(zone_b, d), window_b)
        for d in days
    ]
    width = min(7, len(daily))
    return min(sum(daily[k : k + width]) / width for k in range(len(daily) - width + 1))


@FAST
@given(
    offset_a=st.integers(-48, 56).map(lambda q: q / 4),
    offset_b=st.integers(-48, 56).map(lambda q: q / 4),
    window_a=windows(),
    window_b=windows(),
)
def test_daily_overlap_is_exact_for_any_pair_of_offsets(offset_a, offset_b, window_a, window_b):
    got = daily_overlap_hours(
        np.array([window_a[0]]),
        np.array([window_a[1] - window_a[0]]),
        np.array([window_b[0]]),
        np.array([window_b[1] - window_b[0]]),
        np.array([offset_a - offset_b]),
    )[0]
    assert abs(got - reference_daily(offset_a, window_a, offset_b, window_b)) < 1e-9


def _people(zone_a, window_a, zone_b, window_b):
    return (
        person("ann", "mentee", timezone=zone_a, work_start=window_a[0], work_end=window_a[1]),
        person("bo", "mentor", timezone=zone_b, work_start=window_b[0], work_end=window_b[1]),
    )


@FAST
@given(
    zone_a=st.sampled_from(ZONES),
    zone_b=st.sampled_from(ZONES),
    window_a=windows(),
    window_b=windows(),
    first=st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)),
    length=st.integers(0, 120),
)
def test_weekly_overlap_over_the_cycle_matches_a_minute_count(
    zone_a, zone_b, window_a, window_b, first, length
):
    last = first + dt.timedelta(days=length)
    inst = instance(
        *_people(zone_a, window_a, zone_b, window_b),
        reference_date=first.isoformat(),
        cycle_end=last.isoformat(),
    )
    pop = build_population(inst)
    got = overlap_hours(pop, np.array([0]), np.array([1]))[0]
    assert abs(got - reference_weekly(zone_a, window_a, zone_b, window_b, first, last)) < 1e-9


def test_many_profiles_take_the_per_pair_path_with_the_same_answer():
    people = [
        person(f"p{k}", "mentee", timezone=ZONES[k % len(ZONES)], work_start=k % 9, work_end=9 + k % 15)
        for k in range(120)
    ]
    pop = build_population(instance(*people, reference_date="2025-03-01", cycle_end="2025-04-15"))
    a, b = np.divmod(np.arange(120 * 120), 120)
    tabulated = overlap_hours(pop, a, b)
    pop.work_profile = (pop.work_profile[0], None)  # as when there are too many profiles to tabulate
    assert np.allclose(overlap_hours(pop, a, b), tabulated)


def test_people_more_than_a_day_apart_in_utc_still_share_hours():
    # Kiritimati (+14) works 00-10 local, Baker Island time (-12) 14-24; 26 h apart, they share
    # 10:00-12:00 UTC every day (00-02 in Kiritimati, 22-24 on Baker Island the day before last).
    mentee = person("kiri", "mentee", timezone="Pacific/Kiritimati", work_start=0, work_end=10)
    mentor = person("baker", "mentor", seniority=9, timezone="Etc/GMT+12", work_start=14, work_end=24)
    prep = prepare(instance(mentee, mentor, min_tz_overlap_hours=2, constraints={"skill_match": False}))
    assert len(prep.edges) == 1
    assert abs(prep.edges.components[0, 3] - (0.4 * 2 / 6 + 0.2 + 0.2 + 0.2)) < 1e-6


def test_a_cycle_across_a_daylight_saving_change_takes_its_worst_week():
    # New York 09-17 and Berlin 14-18 share 3 h a day in winter; in the weeks of March 2025 when New York
    # has moved its clocks and Berlin not yet (9 to 30 March) they share 4 h; from April again 3 h.
    mentee = person("ny", "mentee", timezone="America/New_York")
    mentor = person("ber", "mentor", timezone="Europe/Berlin", work_start=14, work_end=18)
    before = instance(mentee, mentor, reference_date="2025-03-10", cycle_end="2025-03-28")
    across = instance(mentee, mentor, reference_date="2025-03-10", cycle_end="2025-04-20")
    hours = [
        overlap_hours(build_population(inst), np.array([0]), np.array([1]))[0] for inst in (before, across)
    ]
    assert hours == [4.0, 3.0]


def test_the_cycle_end_must_follow_the_reference_date():
    raw = {"program": {"reference_date": "2025-03-10", "cycle_end": "2025-03-01"}, "people": []}
    try:
        parse_instance(raw)
    except InstanceError as exc:
        assert "program.cycle_end" in str(exc)
    else:
        raise AssertionError("accepted a cycle that ends before it starts")
