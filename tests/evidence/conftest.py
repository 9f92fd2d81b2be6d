"""Program P of Acme, as its dashboard sees it (tests/evidence/scenario.py builds it)."""

import pytest

from tests.evidence.scenario import Scenario, build_scenario


@pytest.fixture
def scenario(org, pam, olga, python_skill) -> Scenario:
    return build_scenario(org=org, managers=[pam])


@pytest.fixture
def immediate_tasks(settings):
    """Run enqueued tasks (the pair e-mails) at once, in this process."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
