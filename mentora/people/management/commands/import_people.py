from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mentora.organisations.models import Organisation
from mentora.people.importing import people_import


class Command(BaseCommand):
    help = "Import people from an HR export (CSV or XLSX) into an organisation; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("org_slug")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and count, write nothing.")

    def handle(self, *args, org_slug, file, dry_run, **options):
        organisation = Organisation.objects.filter(slug=org_slug).first()
        if organisation is None:
            raise CommandError(f"No organisation with slug “{org_slug}”.")
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        with file.open("rb") as handle:
            report = people_import(
                organisation=organisation, file=handle, filename=file.name, dry_run=dry_run
            )
        if not report.ok:
            for issue in report.errors:
                value = f" [{issue.value}]" if issue.value else ""
                self.stderr.write(f"line {issue.line}, {issue.column or '-'}{value}: {issue.message}")
            raise CommandError(f"Nothing imported: {len(report.errors)} problem(s) in {file.name}.")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {report.rows} rows: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged."
            )
        )
        for label, names in (
            ("new departments", report.new_departments),
            ("new skills (category “Imported”)", report.new_skills),
            ("new languages", report.new_languages),
        ):
            if names:
                self.stdout.write(f"{label}: {', '.join(names)}")
