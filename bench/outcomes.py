"""Benchmark: the outcome analysis of one program cycle in a large organisation (target ≤ 30 s).

    .venv/bin/python bench/outcomes.py --people 50000                 # SQLite (the default database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/outcomes.py

It migrates the database and writes a throw-away organisation straight into the tables (bulk inserts;
the import is benched apart, bench/import_people.py): `--people` people in 20 departments and 6
locations, hired over ten years, a program whose cycle started 15 months ago with `--participants`
mentees (and a mentor for every 3), their meetings, and an HR history of promotions, moves and
leavers (the participants planted to leave at half the rate). Then it times what the background task
does (`analysis_run`): reading the frame from the database (`outcome_frame`) and the analysis
(`analyse`), and prints the estimate beside the planted effect. Each run adds its own organisation
(the audit log keeps its program's creation, so it cannot be deleted): use the bench's own database.
Wall-clock and the process's CPU time are both printed: on a busy machine the wall clock mostly
measures the other processes. Figures are recorded in docs/outcomes.md.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.database import ensure_database  # noqa: E402
from mentora.meetings.models import Meeting, MeetingStatus  # noqa: E402
from mentora.organisations.models import Department, Organisation  # noqa: E402
from mentora.outcomes.models import AnalysisStatus, OutcomeAnalysis  # noqa: E402
from mentora.outcomes.services import analysis_run  # noqa: E402
from mentora.people.models import HrChangeSource, HrField, Person, PersonHrChange  # noqa: E402
from mentora.programs.models import Program, ProgramStatus  # noqa: E402
from mentora.relationships.models import Relationship, RelationshipStatus  # noqa: E402

SLUG = f"bench-outcomes-{int(time.time())}"
BATCH = 5000


def build(*, people: int, participants: int, seed: int) -> Program:
    rng = random.Random(seed)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=450)
    organisation = Organisation.objects.create(name="Bench outcomes", slug=SLUG)
    departments = Department.objects.bulk_create(
        [Department(organisation=organisation, name=f"Department {n}") for n in range(20)]
    )
    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(username=f"p{n}@{SLUG}.example", email=f"p{n}@{SLUG}.example", password="!")
            for n in range(people)
        ],
        batch_size=BATCH,
    )
    hired = timezone.now() - datetime.timedelta(days=3650)
    persons = Person.objects.bulk_create(
        [
            Person(
                organisation=organisation,
                user=user,
                email=user.email,
                full_name=f"Person {n}",
                employee_id=f"B{n:06d}",
                department=departments[n % 20],
                seniority=1 + n % 8,
                location=f"City {n % 6}",
            )
            for n, user in enumerate(users)
        ],
        batch_size=BATCH,
    )
    Person.objects.filter(organisation=organisation).update(created_at=hired)
    program = Program.objects.create(
        organisation=organisation,
        name="Bench cycle",
        strategic_objective="Bench",
        purpose="Bench",
        goals="Bench",
        starts_on=start,
        ends_on=start + datetime.timedelta(days=270),
        status=ProgramStatus.CLOSED,
    )
    juniors = [p for p in persons if p.seniority <= 5]
    seniors = [p for p in persons if p.seniority >= 6]
    mentees = rng.sample(juniors, participants)
    mentors = rng.sample(seniors, max(participants // 3, 1))
    began = datetime.datetime.combine(
        start + datetime.timedelta(days=10), datetime.time(9), tzinfo=datetime.UTC
    )
    pairs = Relationship.objects.bulk_create(
        [
            Relationship(
                program=program,
                mentor=mentors[n % len(mentors)],
                mentee=mentee,
                status=RelationshipStatus.ENDED,
                origin="manual",
                mentor_consented_at=began,
                mentee_consented_at=began,
                started_at=began,
                ended_at=began + datetime.timedelta(days=250),
                ends_on=program.ends_on,
            )
            for n, mentee in enumerate(mentees)
        ],
        batch_size=BATCH,
    )
    Meeting.objects.bulk_create(
        [
            Meeting(
                relationship=pair,
                starts_at=began + datetime.timedelta(days=30 * (m + 1)),
                duration_minutes=45,
                status=MeetingStatus.HAPPENED,
            )
            for pair in pairs
            for m in range(rng.randint(1, 6))
        ],
        batch_size=BATCH,
    )
    taking_part = {p.pk for p in mentees}
    follow_up = (today - start).days
    now = timezone.now()
    changes = []
    for person in persons:
        hazard = 0.1 if person.pk in taking_part else 0.2  # planted: half the leaving rate
        if rng.random() < hazard:
            day = start + datetime.timedelta(days=rng.randint(1, follow_up - 1))
            changes.append((person, HrField.LEAVING_DATE, "", day.isoformat(), day))
        if rng.random() < 0.15 and person.seniority < 10:
            day = start + datetime.timedelta(days=rng.randint(-900, follow_up - 1))
            changes.append(
                (person, HrField.SENIORITY, str(person.seniority - 1 or 1), str(person.seniority), day)
            )
    PersonHrChange.objects.bulk_create(
        [
            PersonHrChange(
                organisation=organisation,
                person=person,
                field=field,
                old_value=old,
                new_value=new,
                effective_date=day,
                recorded_at=now,
                source=HrChangeSource.IMPORT,
            )
            for person, field, old, new, day in changes
            if old != new
        ],
        batch_size=BATCH,
    )
    leavers = {person.pk: day for person, field, _o, _n, day in changes if field == HrField.LEAVING_DATE}
    for person in persons:
        if person.pk in leavers:
            person.leaving_date = leavers[person.pk]
            person.is_active = False
    Person.objects.bulk_update(
        [p for p in persons if p.pk in leavers], ["leaving_date", "is_active"], batch_size=BATCH
    )
    return program


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--participants", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=13)
    arguments = parser.parse_args()
    ensure_database(os.environ.get("DATABASE_URL", ""))
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    program = build(people=arguments.people, participants=arguments.participants, seed=arguments.seed)
    print(
        f"built {arguments.people} people, {arguments.participants} participants in "
        f"{time.perf_counter() - started:.1f} s ({connection.vendor})"
    )
    job = OutcomeAnalysis.objects.create(
        organisation=program.organisation, program=program, as_of=timezone.localdate()
    )
    wall, cpu = time.perf_counter(), time.process_time()
    analysis_run(analysis_id=job.pk)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    job.refresh_from_db()
    assert job.status == AnalysisStatus.DONE, job.status
    result = job.result
    ratio = result["groups"][0]["hazard_ratio"]
    print(f"one cycle: {wall:.1f} s wall, {cpu:.1f} s CPU (target ≤ 30 s)")
    print(
        f"eligible {result['eligible_participants']} + {result['eligible_comparison']}, matched "
        f"{result['matched_participants']} + {result['matched_comparison']}; hazard ratio "
        f"{ratio['value']:.2f} ({ratio['lower']:.2f}–{ratio['upper']:.2f}), planted about 0.5"
    )


if __name__ == "__main__":
    main()
