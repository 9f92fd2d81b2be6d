"""The scheduled HR file sync: each organisation's source (a folder on the server or an HTTPS
address) and the runs that read it and import it with the people import (docs/import.md)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentora.organisations.models import Organisation

MAX_EVERY_HOURS = 24 * 7


class SourceKind(models.TextChoices):
    FOLDER = "folder", _("A folder on the server")
    URL = "url", _("An HTTPS address")


class HrSyncSource(models.Model):
    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="hr_sync")
    enabled = models.BooleanField(_("sync on schedule"), default=False)
    kind = models.CharField(_("source"), max_length=8, choices=SourceKind.choices, default=SourceKind.URL)
    folder = models.CharField(_("folder"), max_length=500, blank=True)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    # Sent as `Authorization: Bearer …`; never shown again once saved.
    bearer_token = models.CharField(_("bearer token"), max_length=1000, blank=True)
    every_hours = models.PositiveSmallIntegerField(_("every (hours)"), default=24)
    next_run_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey("people.Person", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("HR sync source")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SourceKind.values), name="hrsync_source_kind_known"),
            models.CheckConstraint(
                condition=Q(every_hours__gte=1, every_hours__lte=MAX_EVERY_HOURS), name="hrsync_every_range"
            ),
            models.CheckConstraint(
                condition=~Q(kind=SourceKind.FOLDER) | ~Q(folder=""), name="hrsync_folder_given"
            ),
            models.CheckConstraint(condition=~Q(kind=SourceKind.URL) | ~Q(url=""), name="hrsync_url_given"),
            models.CheckConstraint(
                condition=Q(enabled=False) | Q(next_run_at__isnull=False), name="hrsync_enabled_is_scheduled"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.kind}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Rejected: the file has problems")
    FAILED = "failed", _("Failed")


ACTIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", _("Schedule")
    MANUAL = "manual", _("Run now")


class HrSyncRun(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="hr_sync_runs")
    trigger = models.CharField(max_length=8, choices=Trigger.choices)
    requested_by = models.ForeignKey("people.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    source = models.CharField(max_length=1000, help_text="The folder file or address read (no token).")
    reason = models.TextField(blank=True, help_text="Why the run failed before importing anything.")
    people_import = models.OneToOneField(
        "people.PeopleImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="hr_sync_run"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RunStatus.values), name="hrsync_run_status_known"),
            models.CheckConstraint(condition=Q(trigger__in=Trigger.values), name="hrsync_run_trigger_known"),
            # One run at a time per organisation: a second "run now" or a due schedule waits its turn.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="hrsync_one_active_run_per_organisation",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="hrsync_run_org_created")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.created_at:%Y-%m-%d %H:%M} {self.status}"
