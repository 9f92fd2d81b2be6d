"""The demo runs everything it shows: `bin/demo` starts `db_worker` beside the web server, and that
worker, on the demo's task backend, carries a queued matching run through to its proposals."""

from django.conf import settings
from django.core.management import call_command

from mentora.demo.org import demo_org_load
from mentora.demo.programs import REVERSE, demo_programs_load
from mentora.pairing import services
from mentora.pairing.models import RunStatus
from mentora.people.models import Person
from mentora.programs.models import Program


def test_the_demo_worker_finishes_a_matching_run_too_large_to_run_inline(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    organisation = demo_org_load(people=120, seed=7, slug="demo")
    demo_programs_load(organisation=organisation, seed=7)
    reverse = Program.objects.get(organisation=organisation, name=REVERSE)
    manager = Person.objects.get(email="manager@demo.mentora.test")
    monkeypatch.setattr(services, "INLINE_LIMIT", 2)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_create(program=reverse, created_by=manager, settings={})
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert run.proposals.exists()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
