"""Export jobs (a file built in the background, downloadable for a limited time) and the monthly
program report e-mailed to chosen leaders.

The file is kept in the database (`Export.content`), not under MEDIA_ROOT: the web and the worker
run in separate containers (deploy/) that share the database but no volume, the file is small
(a few MB at most: 10,000 relationships are ~1 MB of XLSX) and it lives 24 hours. The same choice
as the people import's upload (people.PeopleImport.content); it works alike on SQLite and PostgreSQL.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentora.organisations.models import Organisation
from mentora.people.models import Person
from mentora.programs.models import Program


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")
    PDF = "pdf", _("PDF report")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


FINISHED_EXPORT_STATUSES = (ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.EXPIRED)


class Export(models.Model):
    """One requested export. Only `requested_by` downloads it, until `expires_at`; then a periodic
    job drops the file and the row stays as a record of what was exported."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(_("what"), max_length=40)  # a key of mentora.reports.selectors.KINDS
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    file_format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    content = models.BinaryField(_("file"), blank=True, default=b"")
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    error_code = models.CharField(_("error"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_percent"),
            models.CheckConstraint(condition=Q(status__in=ExportStatus.values), name="export_status_known"),
            models.CheckConstraint(
                condition=Q(file_format__in=ExportFormat.values), name="export_format_known"
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(status__in=FINISHED_EXPORT_STATUSES),
                name="export_finished_has_an_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status=ExportStatus.DONE) | Q(expires_at__isnull=False),
                name="export_done_expires",
            ),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="export_requester_recent"),
            models.Index(fields=["status", "expires_at"], name="export_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}.{self.file_format} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_EXPORT_STATUSES


class ReportSchedule(models.Model):
    """A program's PDF report, e-mailed every month to the leaders its manager chose."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="report_schedule")
    recipients = models.ManyToManyField(Person, related_name="+", verbose_name=_("leaders"))
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")

    def __str__(self) -> str:
        return f"Monthly report of program {self.program_id}"


class ReportDelivery(models.Model):
    """The claim of one month's report for one leader: the unique key makes the insert the lock, so a
    daily job run twice (or on two workers) builds and sends it once."""

    schedule = models.ForeignKey(ReportSchedule, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month sent for
    export = models.OneToOneField(Export, null=True, on_delete=models.SET_NULL, related_name="delivery")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["schedule", "recipient", "month"], name="report_delivery_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="report_delivery_month_start"),
        ]

    def __str__(self) -> str:
        return f"Report {self.schedule_id} for {self.recipient_id}, {self.month:%Y-%m}"
