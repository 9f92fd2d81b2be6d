import pytest

from tests.workspace.fixtures import (  # noqa: F401
    dora,
    other_relationship,
    outsiders,
    program,
    relationship,
)


@pytest.fixture
def immediate_tasks(settings):
    """Run enqueued tasks at once, in this process."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
