"""Matching runs, their proposals, and the manager's lock/forbid rules.

Writes go through `mentora.pairing.services`; reads through `mentora.pairing.selectors`.
A run's input snapshot holds private data (self-assessments, consented demographics): it is read by
the engine and by nobody else, and never rendered or returned by the API.
"""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentora.people.models import Person
from mentora.programs.models import Program


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


FINISHED_STATUSES = (RunStatus.SUCCEEDED, RunStatus.FAILED)

# The worker running a run writes `heartbeat_at` every settings.MATCH_RUN_HEARTBEAT_SECONDS; a running
# run without a heartbeat for settings.MATCH_RUN_LEASE_SECONDS has lost its worker (killed, out of
# memory, redeployed).
# A run still queued after this long is waiting for a worker that may not be running at all.
QUEUE_PATIENCE = timedelta(minutes=2)


class MatchRun(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_runs")
    created_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    settings = models.JSONField(_("settings"), default=dict)
    input_snapshot = models.JSONField(_("input snapshot"), default=dict)
    result = models.JSONField(_("result"), null=True, blank=True)
    notes = models.JSONField(_("notes"), default=list, help_text=_("People left out of the run, and why."))
    timings = models.JSONField(_("timings"), default=dict)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    stage = models.CharField(_("stage"), max_length=80, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text=_("The last time the worker running this run said it was alive.")
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RunStatus.values), name="match_run_valid_status"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="match_run_progress_range"),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status=RunStatus.SUCCEEDED),
                name="match_run_published_only_if_succeeded",
            ),
        ]
        indexes = [models.Index(fields=["program", "-created_at"])]

    def __str__(self) -> str:
        return f"Run {self.pk} of {self.program}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_waiting_for_worker(self) -> bool:
        return self.status == RunStatus.QUEUED and self.created_at < timezone.now() - QUEUE_PATIENCE


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Proposal(models.Model):
    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    components = models.JSONField(_("components"), default=dict)
    # Reasons are stored as the engine's codes without private params (see pairing.reasons).
    reasons = models.JSONField(_("reasons"), default=list)
    state = models.CharField(
        _("state"), max_length=16, choices=ProposalState.choices, default=ProposalState.PROPOSED
    )
    locked = models.BooleanField(_("locked by a manager"), default=False)
    relationship = models.OneToOneField(
        "relationships.Relationship",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal",
    )

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="proposal_one_per_mentee"),
            models.CheckConstraint(condition=Q(state__in=ProposalState.values), name="proposal_valid_state"),
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="proposal_distinct_people"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee} ({self.score:.2f})"


class PairRuleKind(models.TextChoices):
    LOCK = "lock", _("Locked: always pair them")
    FORBID = "forbid", _("Forbidden: never pair them")


class PairRule(models.Model):
    """A manager's decision about one pair; it holds across re-runs of the program."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="pair_rules")
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=PairRuleKind.choices)
    created_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pair rule")
        verbose_name_plural = _("pair rules")
        constraints = [
            models.UniqueConstraint(fields=["program", "mentor", "mentee"], name="pair_rule_unique_pair"),
            models.UniqueConstraint(
                fields=["program", "mentee"],
                condition=Q(kind="lock"),
                name="pair_rule_one_lock_per_mentee",
                violation_error_message=_("This mentee is already locked to another mentor."),
            ),
            models.CheckConstraint(condition=Q(kind__in=PairRuleKind.values), name="pair_rule_valid_kind"),
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="pair_rule_distinct_people"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mentor} → {self.mentee}"


class ShortlistExposure(models.Model):
    """A mentor was shown on a mentee's shortlist: counted to spread exposure across mentors."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    times_shown = models.PositiveIntegerField(_("times shown"), default=1)
    first_shown_at = models.DateTimeField(auto_now_add=True)
    last_shown_at = models.DateTimeField()

    class Meta:
        verbose_name = _("shortlist exposure")
        verbose_name_plural = _("shortlist exposures")
        constraints = [
            models.UniqueConstraint(fields=["program", "mentor", "mentee"], name="shortlist_exposure_unique"),
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")), name="shortlist_exposure_distinct_people"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} shown to {self.mentee} ×{self.times_shown}"


class PairAllowance(models.Model):
    """A manager allowed a pair that declined or ended in this program to be proposed again.

    Without one, a declined or ended pair is never proposed, published or paired by hand again in
    the program; an allowance covers only the closings before it (a later decline closes the pair
    again). Rows are kept as the record of who allowed it and when.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="pair_allowances")
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    allowed_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    allowed_at = models.DateTimeField(_("allowed at"), default=timezone.now)

    class Meta:
        ordering = ["-allowed_at", "-id"]
        verbose_name = _("pair allowed again")
        verbose_name_plural = _("pairs allowed again")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")), name="pair_allowance_distinct_people"
            ),
        ]
        indexes = [models.Index(fields=["program", "mentor", "mentee"])]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee} allowed again"


class RuleOverride(models.Model):
    """A manager paired two people by hand against one or more of the matching rules, and wrote why."""

    relationship = models.OneToOneField(
        "relationships.Relationship", on_delete=models.CASCADE, related_name="rule_override"
    )
    rules = models.JSONField(
        _("rules overridden"), help_text=_("Codes of the matching rules the pair breaks.")
    )
    reason = models.TextField(_("reason"), max_length=2000)
    overridden_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("matching rule override")
        verbose_name_plural = _("matching rule overrides")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="rule_override_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Override for {self.relationship_id}: {', '.join(self.rules)}"
