"""The demo organisation has a realistic audit trail, recorded by the services the loader calls."""

import pytest

from mentora.audit.models import Action, AuditEvent
from tests.demo.test_demo_programs import _load, _person

pytestmark = pytest.mark.django_db


def test_the_demo_organisation_has_its_trail():
    organisation, _programs = _load(slug="trail")
    manager = _person("trail", "manager")
    events = AuditEvent.objects.filter(organisation=organisation)

    published = events.get(action=Action.MATCHING_PUBLISHED)
    assert published.actor_person_id == manager.pk and published.details["pairs"] > 0
    by_hand = events.get(action=Action.PAIR_MANUAL)
    assert (by_hand.actor_person_id, by_hand.target_type) == (manager.pk, "relationships.relationship")
    assert events.filter(action=Action.RECORD_CHANGED, target_type="programs.program").exists()
    assert events.filter(action=Action.RETENTION_CHANGED).exists()
    # The demo replays weeks: its events are spread over them, not all stamped at loading time.
    assert published.created_at < events.latest("created_at").created_at
