"""The demo runs everything it shows: `bin/demo` starts `db_worker` on every queue beside the web
server, and that worker, on the demo's task backend, carries a queued matching run (on its own queue)
through to its proposals."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from mentora.demo.programs import REVERSE
from mentora.pairing import services
from mentora.pairing.models import RunStatus
from mentora.people.models import Person
from mentora.programs.models import Program


# Committed data: the worker closes its connection between tasks, as it does in the demo.
@pytest.mark.django_db(transaction=True)
def test_the_demo_worker_finishes_a_matching_run_too_large_to_run_inline(monkeypatch):
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    call_command("demo_org", "--people", "120", "--seed", "7", stdout=StringIO())
    reverse = Program.objects.get(name=REVERSE)
    manager = Person.objects.get(email="manager@demo.mentora.test")
    monkeypatch.setattr(services, "INLINE_LIMIT", 2)
    run = services.match_run_create(program=reverse, created_by=manager, settings={})
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED

    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*", verbosity=0
    )

    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert run.proposals.exists()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
