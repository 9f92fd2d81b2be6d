"""The roll-up's "whom leaders sponsor" counts a mentee by their own consented under-sponsored answer.
Read live, a leader who mentors could log one sponsorship action for their mentee, read the roll-up
again and see which group rose by one: that mentee's private answer. The counts are published as
snapshots that move only when at least MIN_AGGREGATE_GROUP mentees were reached or no longer are."""

from datetime import date

import pytest
from django.urls import reverse

from mentora.advocacy.models import AdvocacyAction, AdvocacyKind
from mentora.core.privacy import MIN_AGGREGATE_GROUP
from mentora.organisations.models import Role
from tests.evidence.scenario import _pair
from tests.factories import DemographicProfileFactory, PersonFactory, api_headers
from tests.programs.factories import ProgramFactory


def _reach(client, leader) -> dict[str, object]:
    tables = client.get("/api/evidence/organisation", headers=api_headers(leader)).json()["tables"]
    (reach,) = [t for t in tables if t["key"] == "leaders_reach"]
    return {row["group_key"]: row["mentees"] for row in reach["rows"]}


def _sponsor(program, leader, *, under_sponsored: bool):
    mentee = PersonFactory(organisation=program.organisation)
    DemographicProfileFactory(person=mentee, under_sponsored=under_sponsored)
    relationship = _pair(program, leader, mentee, started_days_ago=40)
    AdvocacyAction.objects.create(
        relationship=relationship, kind=AdvocacyKind.choices[0][0], occurred_on=date.today(), description="d"
    )
    return mentee


@pytest.mark.django_db
def test_one_more_sponsored_mentee_moves_no_published_count(client, org):
    leo = PersonFactory(organisation=org, full_name="Leo Leader", roles=[Role.LEADER])
    program = ProgramFactory(organisation=org, name="Program L")
    for n in range(12):
        _sponsor(program, leo, under_sponsored=n % 2 == 0)
    client.force_login(leo.user)
    first = _reach(client, leo)
    assert first["under"] == 6 and first["not_under"] == 6

    # Leo sponsors Mia, whose private answer is "under-sponsored", and reads again: nothing moved.
    _sponsor(program, leo, under_sponsored=True)
    assert _reach(client, leo) == first
    page = client.get(reverse("evidence:rollup")).content.decode()
    assert "Published" in page

    # Once MIN_AGGREGATE_GROUP mentees were reached since, the figures are published again.
    for _ in range(MIN_AGGREGATE_GROUP - 1):
        _sponsor(program, leo, under_sponsored=False)
    assert _reach(client, leo) == {"under": 7, "not_under": 10, "not_given": 0}


@pytest.mark.django_db
def test_nothing_is_published_before_enough_mentees_were_reached(client, org):
    leo = PersonFactory(organisation=org, roles=[Role.LEADER])
    program = ProgramFactory(organisation=org, name="Program L")
    for _ in range(MIN_AGGREGATE_GROUP - 1):
        _sponsor(program, leo, under_sponsored=True)
    client.force_login(leo.user)
    assert set(_reach(client, leo).values()) == {None}
