"""HR outcomes that the people history does not hold, and the stored outcome analyses.

The people history (mentora.people.history) already keeps each person's department, seniority, job
title and leaving date, effective-dated: promotions, moves and leaving are read from it. What it lacks
is kept here, as imported events: why someone left (the reason's type), a performance band, a hire
date for tenure, and outcomes an HR system reports on their own.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentora.organisations.models import Organisation
from mentora.people.models import Person
from mentora.programs.models import Program


class EventKind(models.TextChoices):
    JOINED = "joined", _("Joined the organisation")
    LEFT = "left", _("Left the organisation")
    PROMOTED = "promoted", _("Promoted")
    MOVED = "moved", _("Moved to another department")
    PERFORMANCE = "performance", _("Performance review")


class LeavingReason(models.TextChoices):
    VOLUNTARY = "voluntary", _("Voluntary (resigned)")
    INVOLUNTARY = "involuntary", _("Involuntary (dismissed, redundancy)")
    RETIREMENT = "retirement", _("Retirement")
    OTHER = "other", _("Other")


class OutcomeEvent(models.Model):
    """One HR outcome of one person on a date, from the outcome events import (docs/outcomes.md)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="outcome_events")
    kind = models.CharField(_("type"), max_length=16, choices=EventKind.choices)
    date = models.DateField(_("date"))
    leaving_reason = models.CharField(
        _("leaving reason"), max_length=16, choices=LeavingReason.choices, blank=True
    )
    performance_band = models.CharField(_("performance band"), max_length=32, blank=True)
    imported_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["person_id", "date", "kind"]
        verbose_name = _("outcome event")
        verbose_name_plural = _("outcome events")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "date"], name="outcome_event_unique"),
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="outcome_event_kind_known"),
            models.CheckConstraint(
                condition=Q(leaving_reason="")
                | Q(kind=EventKind.LEFT, leaving_reason__in=LeavingReason.values),
                name="outcome_event_reason_for_leaving_only",
            ),
            models.CheckConstraint(
                condition=Q(performance_band="") | Q(kind=EventKind.PERFORMANCE),
                name="outcome_event_band_for_reviews_only",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EventKind.PERFORMANCE) | ~Q(performance_band=""),
                name="outcome_event_review_has_band",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "kind"], name="outcome_event_org_kind")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.date}"


class AnalysisStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class OutcomeAnalysis(models.Model):
    """One run of the outcome analysis of a program's cycle, as of a date. `result` holds the plain
    numbers and reason codes of mentora.outcomes.analysis.Result; pages and the API word them."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="outcome_analyses")
    requested_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    as_of = models.DateField(_("as of"))
    status = models.CharField(
        _("status"), max_length=8, choices=AnalysisStatus.choices, default=AnalysisStatus.QUEUED
    )
    result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outcome analysis")
        verbose_name_plural = _("outcome analyses")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AnalysisStatus.values), name="outcome_analysis_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=AnalysisStatus.DONE) | Q(result__isnull=False, finished_at__isnull=False),
                name="outcome_analysis_done_has_result",
            ),
        ]
        indexes = [models.Index(fields=["program", "-created_at"], name="outcome_analysis_recent")]

    def __str__(self) -> str:
        return f"{self.program_id} as of {self.as_of} ({self.status})"
