"""One row per periodic job and slot: the unique pair is what lets two schedulers run side by side
(the second one's insert fails, and it enqueues nothing)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class JobRun(models.Model):
    job = models.CharField(max_length=100)
    slot = models.DateTimeField(help_text="The start of the slot this run is for (UTC).")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    enqueued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True, help_text="The job's figures, as it returned them.")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-slot"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="scheduler_one_run_per_job_slot"),
            models.CheckConstraint(
                condition=models.Q(status__in=RunStatus.values), name="scheduler_run_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(finished_at__isnull=True)
                | models.Q(status__in=[RunStatus.SUCCEEDED, RunStatus.FAILED]),
                name="scheduler_run_finished_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["job", "-slot"], name="scheduler_run_job_slot")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M} ({self.status})"
