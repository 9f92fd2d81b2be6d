import time

from django.core.management.base import BaseCommand, CommandError

from mentora.organisations.models import Organisation
from mentora.people.demo_org import demo_org_load


class Command(BaseCommand):
    help = "Create a realistic synthetic organisation (deterministic for a seed), with demo log-ins."

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

    def handle(self, *args, people, seed, org_slug, name, if_empty, **options):
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
        organisation = demo_org_load(people=people, seed=seed, slug=org_slug, name=name)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created “{organisation.name}” ({org_slug}) with {people} people, seed {seed}, "
                f"in {time.perf_counter() - started:.1f} s."
            )
        )
