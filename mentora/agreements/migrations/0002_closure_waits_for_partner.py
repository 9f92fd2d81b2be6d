import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def proposed_when_closed(apps, schema_editor):
    """Closures before this one closed at once: they were proposed when they closed."""
    apps.get_model("agreements", "Closure").objects.update(proposed_at=F("closed_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="closure",
            name="proposed_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.RunPython(proposed_when_closed, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="closure",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="closure",
            constraint=models.CheckConstraint(
                condition=models.Q(("reason", "goals_met"), ("closed_at__isnull", False), _connector="OR"),
                name="closure_only_goals_met_waits",
            ),
        ),
    ]
