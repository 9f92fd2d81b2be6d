"""The analysis's input rebuilt from the people history: who is eligible at the start, their
covariates as they were on that day, and what happened after."""

import datetime
import math

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentora.outcomes.models import EventKind, LeavingReason, OutcomeEvent
from mentora.outcomes.selectors import outcome_frame
from mentora.people.models import HrField, Person
from tests.factories import DepartmentFactory, PersonFactory
from tests.outcomes.conftest import AS_OF, START, change, hired, leave, pair, population


def _row(frame, person):
    return frame.set_index("person_id").loc[person.pk]


def test_covariates_are_read_as_they_were_at_the_start(org, program, sales):
    finance = DepartmentFactory(organisation=org, name="Finance")
    nina = hired(PersonFactory(organisation=org, full_name="Nina Newlevel", department=finance, seniority=4))
    # Promoted from 3 to 4 after the start, and moved from Sales to Finance after it too.
    change(nina, HrField.SENIORITY, "3", "4", START + datetime.timedelta(days=200))
    change(nina, HrField.SENIORITY, "2", "3", START - datetime.timedelta(days=300))
    change(
        nina,
        HrField.DEPARTMENT,
        "Sales",
        "Finance",
        START + datetime.timedelta(days=90),
        sales.pk,
        finance.pk,
    )

    row = _row(outcome_frame(program=program, as_of=AS_OF), nina)

    assert row["seniority"] == 3
    assert row["department"] == str(sales.pk)
    assert row["promotion_days"] == (-300, 200)
    assert row["move_days"] == (90,)
    assert math.isnan(row["leave_day"]) and not row["participant"]


def test_only_people_there_at_the_start_are_eligible(org, program, sales, pam):
    gone = hired(PersonFactory(organisation=org, full_name="Gus Gone", department=sales))
    leave(gone, START - datetime.timedelta(days=1))
    late = PersonFactory(organisation=org, full_name="Lena Late", department=sales)  # created today
    stays = hired(PersonFactory(organisation=org, full_name="Sam Stays", department=sales))
    quits = hired(PersonFactory(organisation=org, full_name="Quinn Quits", department=sales))
    leave(quits, START + datetime.timedelta(days=40))
    mentor = hired(PersonFactory(organisation=org, full_name="Mia Mentor", department=sales))
    mentee = hired(PersonFactory(organisation=org, full_name="Max Mentee", department=sales))
    pair(program, mentor, mentee, started=START + datetime.timedelta(days=10), meetings=3)

    frame = outcome_frame(program=program, as_of=AS_OF)

    ids = set(frame["person_id"])
    assert {stays.pk, quits.pk, mentee.pk} <= ids
    assert not ids & {gone.pk, late.pk, mentor.pk}  # a mentor takes part too: never a comparison
    assert _row(frame, quits)["leave_day"] == 40
    max_row = _row(frame, mentee)
    assert max_row["participant"] and max_row["met_3"]
    assert (max_row["entry_day"], max_row["cohort"]) == (10, "2025-Q1")


def test_imported_events_complete_the_history(org, program, sales, olga):
    ida = hired(PersonFactory(organisation=org, full_name="Ida Imported", department=sales))
    for kind, day, reason in (
        (EventKind.JOINED, datetime.date(2020, 1, 6), ""),
        (EventKind.PROMOTED, START + datetime.timedelta(days=30), ""),
        (EventKind.LEFT, START + datetime.timedelta(days=300), LeavingReason.VOLUNTARY),
    ):
        OutcomeEvent.objects.create(
            organisation=org,
            person=ida,
            kind=kind,
            date=day,
            leaving_reason=reason,
            imported_at=timezone.now(),
        )

    row = _row(outcome_frame(program=program, as_of=AS_OF), ida)

    assert row["tenure_years"] == (START - datetime.date(2020, 1, 6)).days / 365.25
    assert row["promotion_days"] == (30,)
    assert row["leave_day"] == 300


def test_a_leaving_date_after_the_analysis_date_is_not_a_leaving_yet(org, program, sales):
    notice = hired(PersonFactory(organisation=org, full_name="Nora Notice", department=sales))
    leave(notice, AS_OF + datetime.timedelta(days=20))

    assert math.isnan(_row(outcome_frame(program=program, as_of=AS_OF), notice)["leave_day"])


def test_another_organisations_people_are_never_read(org, program, sales, charlie):
    hired(charlie)

    assert charlie.pk not in set(outcome_frame(program=program, as_of=AS_OF)["person_id"])


def test_the_frame_takes_the_same_queries_whatever_the_size(org, program, sales):
    population(org, program, sales, participants=3, others=3, leavers=(1, 1))
    with CaptureQueriesContext(connection) as small:
        outcome_frame(program=program, as_of=AS_OF)
    population(org, program, sales, participants=6, others=10, leavers=(2, 3))
    with CaptureQueriesContext(connection) as large:
        frame = outcome_frame(program=program, as_of=AS_OF)

    assert len(frame) > 15
    assert len(small.captured_queries) == len(large.captured_queries) <= 6
    assert Person.objects.filter(organisation=org).count() > len(frame)  # mentors are left out
