from django.core.management.base import BaseCommand

from mentora.demo.org import demo_logins


class Command(BaseCommand):
    help = "Print the demo log-ins (created by demo_org)."

    def add_arguments(self, parser):
        parser.add_argument("--org-slug", default="demo")

    def handle(self, *args, org_slug, **options):
        rows = demo_logins(slug=org_slug)
        if not rows:
            self.stdout.write(f"No demo log-ins for “{org_slug}”: run `manage.py demo_org` first.")
            return
        widths = [max(len(row[key]) for row in rows) for key in ("login", "password")]
        header = f"{'Log-in':<{widths[0]}}  {'Password':<{widths[1]}}  Who"
        self.stdout.write("Demo log-ins:")
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in rows:
            self.stdout.write(f"{row['login']:<{widths[0]}}  {row['password']:<{widths[1]}}  {row['who']}")
