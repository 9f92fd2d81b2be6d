"""Benchmark: the XLSX export of a program's 10,000 relationships, built as the export task builds it.

    .venv/bin/python bench/exports.py                  # PostgreSQL (DATABASE_URL, default below)
    .venv/bin/python bench/exports.py --pairs 1000     # a smaller run

Needs a database of its own (its name must contain "bench"): it empties it first. It writes one
organisation, its program manager, one running program and 10,000 active pairs (20,000 people) with
bulk_create, then asks for the program's relationships export as XLSX and as CSV and times
`reports.services.export_build` (the background task's work: read, write the file, store it), with
its query count and the file's size.

Target (issue 13 §5): the XLSX of 10,000 relationships in at most 20 s. Figures are in docs/reports.md.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_exports")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")

TARGET_SECONDS = 20


from bench.database import ensure_database  # noqa: E402

ensure_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from mentora.core.roles import viewer_for  # noqa: E402
from mentora.organisations.models import Organisation, Role, RoleMembership  # noqa: E402
from mentora.people.models import Person  # noqa: E402
from mentora.programs.models import Program, ProgramManager, ProgramStatus  # noqa: E402
from mentora.relationships.models import Relationship, RelationshipOrigin, RelationshipStatus  # noqa: E402
from mentora.reports.models import Export  # noqa: E402
from mentora.reports.services import export_build, export_request  # noqa: E402

BATCH = 5_000


def build(*, pairs: int) -> tuple[Person, Program]:
    now = timezone.now()
    today = timezone.localdate(now)
    organisation = Organisation.objects.create(name="Exports benchmark", slug="bench-exports")
    program = Program.objects.create(
        organisation=organisation,
        name="Ten thousand pairs",
        strategic_objective="Benchmark",
        purpose="Benchmark",
        goals="Benchmark",
        starts_on=today - timedelta(weeks=10),
        ends_on=today + timedelta(weeks=40),
        status=ProgramStatus.RUNNING,
    )
    User = get_user_model()
    manager_user = User.objects.create(username="manager@bench.example", email="manager@bench.example")
    manager = Person.objects.create(
        organisation=organisation, user=manager_user, email=manager_user.email, full_name="Bench Manager"
    )
    RoleMembership.objects.create(person=manager, role=Role.PROGRAM_MANAGER)
    ProgramManager.objects.create(program=program, person=manager)
    User.objects.bulk_create(
        [
            User(username=f"p{n}@bench.example", email=f"p{n}@bench.example", password="!")
            for n in range(2 * pairs)
        ],
        batch_size=BATCH,
    )
    user_ids = dict(User.objects.filter(username__startswith="p").values_list("username", "id"))
    Person.objects.bulk_create(
        [
            Person(
                organisation=organisation,
                user_id=user_ids[f"p{n}@bench.example"],
                email=f"p{n}@bench.example",
                employee_id=f"E{n:06d}",
                full_name=f"Person {n}",
                time_zone="Europe/London",
            )
            for n in range(2 * pairs)
        ],
        batch_size=BATCH,
    )
    ids = list(
        Person.objects.filter(organisation=organisation, email__startswith="p")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    started = now - timedelta(weeks=8)
    Relationship.objects.bulk_create(
        [
            Relationship(
                program=program,
                mentor_id=ids[2 * n],
                mentee_id=ids[2 * n + 1],
                status=RelationshipStatus.ACTIVE,
                origin=RelationshipOrigin.PROPOSAL,
                mentor_consented_at=started,
                mentee_consented_at=started,
                started_at=started,
                ends_on=program.ends_on,
            )
            for n in range(pairs)
        ],
        batch_size=BATCH,
    )
    return manager, program


def timed(manager: Person, program: Program, file_format: str) -> None:
    export = export_request(
        viewer=viewer_for(manager.user), kind="relationships", file_format=file_format, program_id=program.pk
    )
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        export_build(export_id=export.pk)
    seconds = time.perf_counter() - started
    export = Export.objects.get(pk=export.pk)
    verdict = "ok" if seconds <= TARGET_SECONDS else "OVER TARGET"
    print(
        f"relationships as {file_format.upper():4} {seconds:7.2f} s (target {TARGET_SECONDS} s, {verdict}) "
        f"{len(queries):3} queries, {export.size / 1e6:.2f} MB, status {export.status}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000)
    args = parser.parse_args()
    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit(
            "Give the benchmark a database of its own (its name containing 'bench'): it empties it."
        )
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    manager, program = build(pairs=args.pairs)
    print(
        f"database: {connection.vendor}; {Relationship.objects.count():,} relationships, "
        f"built in {time.perf_counter() - started:.1f} s"
    )
    timed(manager, program, "xlsx")
    timed(manager, program, "csv")


if __name__ == "__main__":
    main()
