"""Benchmark: the check-in sweep and the reminders sweep at 10,000 active pairs and 100,000 meetings.

    .venv/bin/python bench/sweeps.py                  # PostgreSQL (DATABASE_URL, default below)
    .venv/bin/python bench/sweeps.py --pairs 1000     # a smaller run

Needs a database of its own (its name must contain "bench"): it empties it first. It writes the
pairs with bulk_create: one organisation, two running programs (default check-in settings and a
fortnightly one), 10,000 active pairs started 5 to 20 weeks ago, and 100,000 scheduled meetings
around today (some in the next 24 hours; a quarter of the pairs has met only long ago, so they are
silent). Then it times, with the query count of each:

- the check-in sweep issuing the due check-ins (`checkins_issue_due`), then again with nothing new;
- the reminders sweep (`reminders_sweep`), which issues check-ins and queues every reminder that is
  due on the database task backend, as cron runs it.

Target: at most 30 s per sweep on PostgreSQL. Figures are recorded in docs/reminders.md.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_sweeps")
os.environ.setdefault("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")

TARGET_SECONDS = 30


from bench.database import ensure_database  # noqa: E402

ensure_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from mentora.checkins.models import CheckinSchedule  # noqa: E402
from mentora.checkins.services import checkins_issue_due  # noqa: E402
from mentora.meetings.models import Meeting  # noqa: E402
from mentora.notifications.services import reminders_sweep  # noqa: E402
from mentora.organisations.models import Organisation  # noqa: E402
from mentora.people.models import Person  # noqa: E402
from mentora.programs.models import Program, ProgramStatus  # noqa: E402
from mentora.relationships.models import Relationship, RelationshipOrigin, RelationshipStatus  # noqa: E402

BATCH = 5_000


def build(*, pairs: int, meetings: int, seed: int) -> None:
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate(now)
    organisation = Organisation.objects.create(name="Sweeps benchmark", slug="bench-sweeps")
    programs = [
        Program.objects.create(
            organisation=organisation,
            name=name,
            strategic_objective="Benchmark",
            purpose="Benchmark",
            goals="Benchmark",
            starts_on=today - timedelta(weeks=21),
            ends_on=today + timedelta(weeks=31),
            status=ProgramStatus.RUNNING,
        )
        for name in ("Default check-ins", "Fortnightly check-ins")
    ]
    CheckinSchedule.objects.create(program=programs[1], cadence_weeks=2, silent_after_weeks=3)

    User = get_user_model()
    people = 2 * pairs
    User.objects.bulk_create(
        [
            User(username=f"p{n}@bench.example", email=f"p{n}@bench.example", password="!")
            for n in range(people)
        ],
        batch_size=BATCH,
    )
    user_ids = dict(User.objects.filter(username__endswith="@bench.example").values_list("username", "id"))
    Person.objects.bulk_create(
        [
            Person(
                organisation=organisation,
                user_id=user_ids[f"p{n}@bench.example"],
                email=f"p{n}@bench.example",
                full_name=f"Person {n}",
                time_zone="Europe/London",
            )
            for n in range(people)
        ],
        batch_size=BATCH,
    )
    person_ids = list(
        Person.objects.filter(organisation=organisation).order_by("pk").values_list("pk", flat=True)
    )
    rows = []
    for n in range(pairs):
        started = now - timedelta(weeks=rng.uniform(5, 20))
        rows.append(
            Relationship(
                program=programs[n % 2],
                mentor_id=person_ids[2 * n],
                mentee_id=person_ids[2 * n + 1],
                status=RelationshipStatus.ACTIVE,
                origin=RelationshipOrigin.PROPOSAL,
                mentor_consented_at=started,
                mentee_consented_at=started,
                started_at=started,
                ends_on=programs[n % 2].ends_on,
            )
        )
    Relationship.objects.bulk_create(rows, batch_size=BATCH)
    relationship_ids = list(
        Relationship.objects.filter(program__organisation=organisation)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    per_pair = meetings // pairs
    rows = []
    for position, relationship_id in enumerate(relationship_ids):
        # A quarter of the pairs met only long ago (silent); the others meet every week or so.
        first = now - timedelta(weeks=14 if position % 4 == 0 else 5)
        for number in range(per_pair):
            starts_at = first + timedelta(days=7 * number + rng.uniform(0, 6))
            if position % 4 == 0 and starts_at > now - timedelta(weeks=6):
                starts_at += timedelta(weeks=8)  # after today: still silent now
            rows.append(Meeting(relationship_id=relationship_id, starts_at=starts_at, duration_minutes=45))
        if len(rows) >= BATCH:
            Meeting.objects.bulk_create(rows, batch_size=BATCH)
            rows = []
    Meeting.objects.bulk_create(rows, batch_size=BATCH)


def timed(label: str, sweep) -> None:
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = sweep()
    seconds = time.perf_counter() - started
    verdict = "ok" if seconds <= TARGET_SECONDS else "OVER TARGET"
    print(f"{label:44} {seconds:7.2f} s (target {TARGET_SECONDS} s, {verdict}) {len(queries):4} queries")
    print(f"{'':44} {result}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--meetings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit(
            "Give the benchmark a database of its own (its name containing 'bench'): it empties it."
        )

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    build(pairs=args.pairs, meetings=args.meetings, seed=args.seed)
    print(
        f"database: {connection.vendor}; {Relationship.objects.count():,} active pairs, "
        f"{Meeting.objects.count():,} scheduled meetings, built in {time.perf_counter() - started:.1f} s"
    )
    timed("check-in sweep (issues the due check-ins)", checkins_issue_due)
    timed("check-in sweep again (nothing new)", checkins_issue_due)
    timed("reminders sweep (queues every reminder)", reminders_sweep)
    print(f"tasks queued by the reminders sweep: {DBTaskResult.objects.count():,}")


if __name__ == "__main__":
    main()
