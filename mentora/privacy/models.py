"""The organisation's retention periods, the record of every erasure and of every retention run
(docs/privacy.md)."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from mentora.organisations.models import Organisation
from mentora.people.models import Person

MAX_RETENTION_MONTHS = 120
REASON_MAX_CHARS = 2000


class RetentionRule(models.TextChoices):
    """What a retention period applies to; each is a column of RetentionPolicy, in months."""

    PRIVATE_NOTES = "private_notes", _("Private notes, after their relationship ended")
    CLOSED_TEXTS = "closed_texts", _("Free texts of ended relationships (shared notes, reflections, …)")
    JOB_REPORTS = "job_reports", _("Reports of people imports and invitation rounds")
    NOTIFICATIONS = "notifications", _("The record of e-mails sent to people")


def _months_in_range(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1, f"{field}__lte": MAX_RETENTION_MONTHS})


class RetentionPolicy(models.Model):
    """An organisation's retention periods in months; empty keeps that content as long as Mentora
    keeps the rest."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="retention_policy"
    )
    private_notes_months = models.PositiveSmallIntegerField(
        _("private notes (months after the relationship ended)"), null=True, blank=True
    )
    closed_texts_months = models.PositiveSmallIntegerField(
        _("free texts of ended relationships (months after the end)"), null=True, blank=True
    )
    job_reports_months = models.PositiveSmallIntegerField(
        _("import and invitation reports (months after they finished)"), null=True, blank=True
    )
    notifications_months = models.PositiveSmallIntegerField(
        _("record of sent e-mails (months after sending)"), null=True, blank=True
    )
    updated_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        constraints = [
            models.CheckConstraint(
                condition=_months_in_range(f"{rule}_months"), name=f"retention_{rule}_months_range"
            )
            for rule in RetentionRule.values
        ]

    def __str__(self) -> str:
        return f"Retention of {self.organisation_id}"

    def months(self, rule: str) -> int | None:
        return getattr(self, f"{rule}_months")


class RetentionRun(models.Model):
    """One application of an organisation's retention periods: how much each rule removed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    ran_at = models.DateTimeField()
    removed = models.JSONField(_("removed per rule"))

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        indexes = [models.Index(fields=["organisation", "-ran_at"], name="retention_run_org_recent")]

    def __str__(self) -> str:
        return f"Retention of {self.organisation_id} at {self.ran_at}"

    @property
    def removed_per_rule(self) -> list[tuple[str, int]]:
        """(the rule's label, how many rows it removed or emptied), in the rules' order."""
        return [(rule.label, self.removed[rule]) for rule in RetentionRule if rule in self.removed]


class Erasure(models.Model):
    """A person erased by an org admin: the anonymised person record keeps this row, once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="erasure")
    erased_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"), max_length=REASON_MAX_CHARS)
    removed = models.JSONField(_("removed"))
    erased_at = models.DateTimeField()

    class Meta:
        ordering = ["-erased_at", "-id"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="erasure_has_reason"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("reason"), REASON_MAX_CHARS), name="erasure_reason_size"
            ),
        ]

    def __str__(self) -> str:
        return f"Erasure of {self.person_id}"
