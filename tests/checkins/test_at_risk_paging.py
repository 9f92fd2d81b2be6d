"""A large program with many quiet pairs: the at-risk page lists them a page at a time."""

import datetime

from django.urls import reverse
from django.utils import timezone

from mentora.checkins.selectors import AT_RISK_PER_PAGE
from mentora.programs.models import ProgramStatus
from mentora.relationships.models import Relationship, RelationshipOrigin, RelationshipStatus
from tests.factories import PersonFactory
from tests.programs.factories import ProgramFactory


def test_the_at_risk_page_shows_one_page_and_a_link_to_the_next(client, org, pam, bob):
    program = ProgramFactory(organisation=org, managers=[pam], status=ProgramStatus.RUNNING)
    months_ago = timezone.now() - datetime.timedelta(weeks=20)
    Relationship.objects.bulk_create(
        Relationship(
            program=program,
            mentor=bob,
            mentee=PersonFactory(organisation=org, full_name=f"Quiet mentee {n:03}"),
            origin=RelationshipOrigin.MANUAL,
            ends_on=program.ends_on,
            status=RelationshipStatus.ACTIVE,
            started_at=months_ago,
            mentor_consented_at=months_ago,
            mentee_consented_at=months_ago,
        )
        for n in range(AT_RISK_PER_PAGE + 2)
    )
    client.force_login(pam.user)
    url = reverse("checkins:at_risk", args=[program.pk])
    text = client.get(url).content.decode()
    assert text.count('"><bdi>Quiet mentee') == AT_RISK_PER_PAGE  # one link to each pair's summary
    assert '<nav class="pager" aria-label="Pages of pairs at risk">' in text
    assert client.get(url, {"page": "2"}).content.decode().count('"><bdi>Quiet mentee') == 2
