import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from mentora.demo.evidence import demo_evidence_load
from mentora.demo.hr_sync import demo_hr_sync_load
from mentora.demo.org import SUPERUSER_NAME, demo_org_load, demo_superuser_create
from mentora.demo.outcomes import demo_outcomes_load
from mentora.demo.programs import DemoTooSmall, demo_programs_load
from mentora.demo.reports import demo_reports_load
from mentora.demo.surveys import demo_surveys_load
from mentora.organisations.models import Organisation

# Loading the demo replays weeks of a program's life: nobody is emailed about it (the addresses
# are under .test anyway), and no update email is left queued for a worker to send later.
QUIET = {
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    "TASKS": {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": settings.TASK_QUEUES}
    },
}


class Command(BaseCommand):
    help = (
        "Create a realistic synthetic organisation (deterministic for a seed), with demo log-ins "
        "and three demo programs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=300, help="How many people (default 300).")
        parser.add_argument(
            "--seed", type=int, default=7, help="Random seed; the same seed gives the same org."
        )
        parser.add_argument("--org-slug", default="demo", help="Slug of the organisation to create.")
        parser.add_argument("--name", default="", help="Name of the organisation.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the organisation already exists."
        )
        parser.add_argument(
            "--without-programs", action="store_true", help="Load the people only, no demo programs."
        )

    def handle(self, *args, people, seed, org_slug, name, if_empty, without_programs, **options):
        if people < 1:
            raise CommandError("--people must be at least 1.")
        if Organisation.objects.filter(slug=org_slug).exists():
            if if_empty:
                self.stdout.write(f"Organisation “{org_slug}” already exists; left as it is.")
                return
            raise CommandError(
                f"Organisation “{org_slug}” already exists (use --if-empty or another --org-slug)."
            )
        started = time.perf_counter()
        # One transaction: the demo loads whole or not at all, so --if-empty never sees half of it.
        with override_settings(**QUIET), transaction.atomic():
            organisation = demo_org_load(people=people, seed=seed, slug=org_slug, name=name)
            demo_hr_sync_load(organisation=organisation)
            superuser_password = demo_superuser_create(organisation=organisation)
            loaded = time.perf_counter()
            programs = None
            if not without_programs:
                try:
                    with transaction.atomic():
                        programs = demo_programs_load(organisation=organisation, seed=seed)
                        demo_outcomes_load(organisation=organisation, seed=seed)
                        demo_surveys_load(organisation=organisation, seed=seed)
                        demo_evidence_load(organisation=organisation)
                        demo_reports_load(organisation=organisation)
                except DemoTooSmall as error:
                    self.stdout.write(f"No demo programs: {error}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created “{organisation.name}” ({org_slug}) with {people} people, seed {seed}, "
                f"in {loaded - started:.1f} s."
            )
        )
        if programs is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created the demo programs “{programs.grow}”, “{programs.reverse}” and "
                    f"“{programs.sales}” in {time.perf_counter() - loaded:.1f} s."
                )
            )
            for note in programs.notes:
                self.stdout.write(self.style.WARNING(note))
        if superuser_password is not None:
            self.stdout.write(
                self.style.WARNING(
                    f"Django admin (/admin/): {SUPERUSER_NAME} / {superuser_password}  "
                    "(shown only now; `manage.py changepassword admin` sets another)"
                )
            )
