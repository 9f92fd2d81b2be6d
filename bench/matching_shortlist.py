"""Mentee shortlist latency through the app's path: cold (nothing compiled) and warm, on PostgreSQL.

    .venv/bin/python bench/matching_shortlist.py            # a 5,000-person organisation, all enrolled
    .venv/bin/python bench/matching_shortlist.py --quick    # 300 people: a smoke run

Loads the demo organisation under a dedicated slug (deleted before and afterwards; `--keep` keeps it
and a later run reuses it), creates a mentee-choice program with everyone enrolled and approved
(mentors = seniority 6 and above, capacity 2; everyone else a mentee), then calls
`choose_selectors.shortlist_for` as the shortlist page and endpoint do: cold (the compiled program
cache emptied first) for several mentees, and warm for many. Prints wall and CPU time per shortlist
and the machine's load (`uptime`), since the machine is shared.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mentora_bench_shortlist")

from bench.database import ensure_database

ensure_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from mentora.demo.org import demo_domain, demo_org_load  # noqa: E402
from mentora.organisations.models import Organisation  # noqa: E402
from mentora.pairing import choose_selectors  # noqa: E402
from mentora.people.models import Person, Skill  # noqa: E402
from mentora.programs.models import (  # noqa: E402
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    MatchingMode,
    Program,
    ProgramStatus,
)
from mentora.relationships.models import Relationship  # noqa: E402

SLUG = "bench-shortlist"
MENTOR_SENIORITY = 6


def clean_up() -> None:
    Relationship.objects.filter(program__organisation__slug=SLUG).delete()
    Program.objects.filter(organisation__slug=SLUG).delete()
    Skill.objects.filter(organisation__slug=SLUG).delete()
    Organisation.objects.filter(slug=SLUG).delete()
    get_user_model().objects.filter(username__endswith=f"@{demo_domain(SLUG)}").delete()


def program_for(people: int, seed: int) -> Program:
    """The benchmark's program, reusing a kept organisation of the same size."""
    organisation = Organisation.objects.filter(slug=SLUG).first()
    if organisation is not None and Person.objects.filter(organisation=organisation).count() != people:
        clean_up()
        organisation = None
    if organisation is None:
        started = time.perf_counter()
        organisation = demo_org_load(people=people, seed=seed, slug=SLUG, name="Shortlist benchmark")
        print(f"demo organisation of {people:,} people loaded in {time.perf_counter() - started:.1f} s")
    program = Program.objects.filter(organisation=organisation, name="Shortlist benchmark").first()
    if program is not None:
        return program
    today = timezone.localdate()
    program = Program.objects.create(
        organisation=organisation,
        name="Shortlist benchmark",
        strategic_objective="Benchmark",
        purpose="Benchmark",
        goals="Benchmark",
        starts_on=today,
        ends_on=today.replace(year=today.year + 1),
        status=ProgramStatus.OPEN,
        matching_mode=MatchingMode.MENTEE_CHOICE,
    )
    rows = [
        Enrolment(
            program=program,
            person_id=person_id,
            role=EnrolmentRole.MENTOR if seniority >= MENTOR_SENIORITY else EnrolmentRole.MENTEE,
            capacity=2 if seniority >= MENTOR_SENIORITY else None,
            status=EnrolmentStatus.APPROVED,
        )
        for person_id, seniority in Person.objects.filter(organisation=organisation).values_list(
            "id", "seniority"
        )
    ]
    Enrolment.objects.bulk_create(rows, batch_size=1000)
    return program


def timed(call) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cold", type=int, default=5, help="cold shortlists (cache emptied before each)")
    parser.add_argument("--warm", type=int, default=100, help="warm shortlists")
    parser.add_argument("--quick", action="store_true", help="300 people: a smoke run.")
    parser.add_argument("--keep", action="store_true", help="Keep the organisation for the next run.")
    args = parser.parse_args()
    people = 300 if args.quick else args.people

    call_command("migrate", verbosity=0)
    try:
        program = program_for(people, args.seed)
        mentee_ids = list(
            Enrolment.objects.filter(program=program, role=EnrolmentRole.MENTEE)
            .order_by("person_id")
            .values_list("person_id", flat=True)
        )
        mentees = Person.objects.in_bulk(mentee_ids[: max(args.cold, args.warm)])
        ordered = [mentees[pk] for pk in mentee_ids[: max(args.cold, args.warm)]]
        mentors = Enrolment.objects.filter(program=program, role=EnrolmentRole.MENTOR).count()
        print(f"database: {connection.vendor}; program: {len(mentee_ids):,} mentees, {mentors:,} mentors")
        print(f"load: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")

        cold = []
        for mentee in ordered[: args.cold]:
            choose_selectors.shortlister_cache_clear()
            cold.append(timed(lambda m=mentee: choose_selectors.shortlist_for(program=program, mentee=m)))
        warm = [
            timed(lambda m=mentee: choose_selectors.shortlist_for(program=program, mentee=m))
            for mentee in ordered[: args.warm]
        ]
        for name, runs, target in (("cold", cold, 0.5), ("warm", warm, 0.020)):
            walls = sorted(w for w, _ in runs)
            cpus = sorted(c for _, c in runs)
            print(
                f"{name} shortlist (top 5, reasons, exposure): "
                f"median {statistics.median(walls) * 1000:.1f} ms "
                f"wall ({statistics.median(cpus) * 1000:.1f} ms CPU), max {walls[-1] * 1000:.1f} ms wall "
                f"over {len(runs)} (target <= {target * 1000:.0f} ms)"
            )
        print(f"load: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    finally:
        if not args.keep:
            clean_up()


if __name__ == "__main__":
    main()
