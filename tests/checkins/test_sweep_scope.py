"""The check-in sweep can be kept to one organisation (the demo loader replays only its own past)."""

import datetime

from mentora.checkins import services
from mentora.checkins.models import Checkin
from mentora.relationships.models import Relationship

START = datetime.datetime(2031, 1, 1, 9, tzinfo=datetime.UTC)


def test_a_sweep_kept_to_another_organisation_issues_nothing_to_acmes_pairs(relationship, other_org):
    Relationship.objects.filter(pk=relationship.pk).update(started_at=START)

    assert services.checkins_issue_due(today=datetime.date(2031, 1, 29), organisation=other_org) == 0
    assert not Checkin.objects.exists()


def test_a_sweep_kept_to_acme_issues_acmes_pulses(relationship, org, alice, bob):
    Relationship.objects.filter(pk=relationship.pk).update(started_at=START)

    assert services.checkins_issue_due(today=datetime.date(2031, 1, 29), organisation=org) == 2
    assert {c.respondent_id for c in Checkin.objects.all()} == {alice.pk, bob.pk}
