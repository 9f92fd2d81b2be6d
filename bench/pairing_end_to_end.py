"""Benchmark: matching a 5,000-person demo organisation end to end through the service layer.

    .venv/bin/python bench/pairing_end_to_end.py            # PostgreSQL (DATABASE_URL, default below)
    .venv/bin/python bench/pairing_end_to_end.py --quick    # 300 people: a smoke run

Creates its own database if missing, loads the demo organisation under a dedicated slug
(deleted before and afterwards), creates a one-to-one program with everyone enrolled and approved
(mentors = seniority 6 and above, capacity 2; everyone else a mentee), then runs
`match_run_create` + `match_run_execute` — what the background worker does — and prints the
time of each stage: load (DB → instance), solve (engine), save (proposals). Then it publishes
the run (proposals → relationships waiting for consent) and times that too.
Figures are recorded in docs/pairing.md.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mentora_bench_pairing")


from bench.database import ensure_database

ensure_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"  # publishing emails everyone

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from mentora.demo.org import demo_domain, demo_org_load  # noqa: E402
from mentora.organisations.models import Organisation  # noqa: E402
from mentora.pairing.models import MatchRun  # noqa: E402
from mentora.pairing.services import match_run_create, match_run_execute, match_run_publish  # noqa: E402
from mentora.people.models import Person, Skill  # noqa: E402
from mentora.programs.models import (  # noqa: E402
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    Program,
    ProgramStatus,
)
from mentora.relationships.models import Relationship  # noqa: E402

SLUG = "bench-pairing"
MENTOR_SENIORITY = 6


def clean_up() -> None:
    Relationship.objects.filter(program__organisation__slug=SLUG).delete()
    Program.objects.filter(organisation__slug=SLUG).delete()
    Skill.objects.filter(organisation__slug=SLUG).delete()  # skills protect their categories
    Organisation.objects.filter(slug=SLUG).delete()
    get_user_model().objects.filter(username__endswith=f"@{demo_domain(SLUG)}").delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="300 people: a smoke run.")
    parser.add_argument("--keep", action="store_true", help="Keep the organisation afterwards.")
    args = parser.parse_args()
    people = 300 if args.quick else args.people

    call_command("migrate", verbosity=0)
    clean_up()
    started = time.perf_counter()
    organisation = demo_org_load(people=people, seed=args.seed, slug=SLUG, name="Pairing benchmark")
    print(
        f"database: {connection.vendor}; demo organisation of {people:,} people loaded in "
        f"{time.perf_counter() - started:.1f} s"
    )
    try:
        today = timezone.localdate()
        program = Program.objects.create(
            organisation=organisation,
            name="Benchmark program",
            strategic_objective="Benchmark",
            purpose="Benchmark",
            goals="Benchmark",
            starts_on=today,
            ends_on=today.replace(year=today.year + 1),
            status=ProgramStatus.OPEN,
        )
        rows = []
        for person_id, seniority in Person.objects.filter(organisation=organisation).values_list(
            "id", "seniority"
        ):
            mentor = seniority >= MENTOR_SENIORITY
            rows.append(
                Enrolment(
                    program=program,
                    person_id=person_id,
                    role=EnrolmentRole.MENTOR if mentor else EnrolmentRole.MENTEE,
                    capacity=2 if mentor else None,
                    status=EnrolmentStatus.APPROVED,
                )
            )
        Enrolment.objects.bulk_create(rows, batch_size=1000)
        mentors = sum(1 for row in rows if row.role == EnrolmentRole.MENTOR)
        print(f"program: {len(rows) - mentors:,} mentees, {mentors:,} mentors (capacity 2)")

        started, cpu = time.perf_counter(), time.process_time()
        run = match_run_create(program=program, created_by=None, settings={})
        # Small programs already ran inline when the creation committed; large ones are queued and
        # this is what the worker does.
        run = match_run_execute(run_id=run.pk) or MatchRun.objects.get(pk=run.pk)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        if run.status != "succeeded":
            raise SystemExit(f"the run failed: {run.error}")
        t = run.timings
        print(f"load (DB → instance)   {t['load']:7.2f} s")
        print(f"solve (engine)         {t['solve']:7.2f} s   (engine: {run.result['engine_timings']})")
        print(f"save (proposals)       {t['save']:7.2f} s")
        print(f"run total              {wall:7.2f} s   (Python CPU {cpu:.2f} s)")
        pairs = run.proposals.count()
        fairness = run.result["fairness"]
        print(
            f"result: {pairs:,} pairs, match rate {fairness['match_rate']:.3f}, "
            f"mentor load Gini {fairness.get('mentor_load', {}).get('gini')}"
        )

        started = time.perf_counter()
        relationships = match_run_publish(run=run, by=None)
        print(f"publish ({len(relationships):,} relationships) {time.perf_counter() - started:7.2f} s")
    finally:
        if not args.keep:
            clean_up()


if __name__ == "__main__":
    main()
