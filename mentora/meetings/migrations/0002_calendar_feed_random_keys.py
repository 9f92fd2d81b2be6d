"""Calendar feed addresses become stored random keys instead of signed tokens.

Every address given out before this migration stops working: its owner makes a new one on
/calendar/ (or POST /api/calendar/feed/reset).
"""

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models


def forget_signed_feeds(apps, schema_editor):
    apps.get_model("meetings", "CalendarFeed").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forget_signed_feeds, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="calendarfeed",
            name="generation",
        ),
        migrations.AddField(
            model_name="calendarfeed",
            name="lookup",
            field=models.CharField(default="", editable=False, max_length=16, unique=True),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="calendarfeed",
            name="secret",
            field=models.CharField(default="", editable=False, max_length=43),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="calendarfeed",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    django.db.models.lookups.Exact(django.db.models.functions.text.Length("lookup"), 16)
                )
                & models.Q(
                    django.db.models.lookups.Exact(django.db.models.functions.text.Length("secret"), 43)
                ),
                name="meetings_calendarfeed_full_length_keys",
            ),
        ),
    ]
