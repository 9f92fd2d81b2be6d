from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill_ends_on(apps, schema_editor):
    """The program's end, or the latest extension's: what `relationship_ends_on` used to compute."""
    Relationship = apps.get_model("relationships", "Relationship")
    Extension = apps.get_model("agreements", "Extension")
    Program = apps.get_model("programs", "Program")
    # PostgreSQL refuses the ALTER TABLE below while deferred foreign-key checks of these updates
    # are pending: run them at once.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Relationship.objects.update(
        ends_on=Subquery(Program.objects.filter(pk=OuterRef("program_id")).values("ends_on")[:1])
    )
    latest = Extension.objects.filter(relationship_id=OuterRef("pk")).order_by("-created_at", "-id")
    Relationship.objects.filter(pk__in=Extension.objects.values("relationship_id")).update(
        ends_on=Subquery(latest.values("ends_on")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0001_initial"),
        ("programs", "0001_initial"),
        ("relationships", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="relationship",
            name="ends_on",
            field=models.DateField(null=True, verbose_name="ends on"),
        ),
        migrations.RunPython(backfill_ends_on, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="relationship",
            name="ends_on",
            field=models.DateField(verbose_name="ends on"),
        ),
    ]
