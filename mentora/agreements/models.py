"""The pair's mentoring agreement, the first-meeting agenda, and how the relationship closes.

Writes go through `mentora.agreements.services` (agreement) and `mentora.agreements.closure`
(close, extend, reflections); nothing else saves these rows.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentora.people.models import Person
from mentora.relationships.models import Relationship

TEXT_LIMIT = 4000
SHORT_LIMIT = 200


class Agreement(models.Model):
    """What the pair agree on at the start. Both confirm; an edit clears the other side's
    confirmation, and `version` stops two tabs from silently overwriting each other."""

    relationship = models.OneToOneField(Relationship, on_delete=models.CASCADE, related_name="agreement")
    expectations = models.TextField(
        _("expectations"),
        blank=True,
        max_length=TEXT_LIMIT,
        help_text=_("What each of you expects from the other, and what the mentee wants to get out of it."),
    )
    confidentiality = models.TextField(
        _("confidentiality"),
        blank=True,
        max_length=TEXT_LIMIT,
        help_text=_("What stays between the two of you."),
    )
    cadence = models.CharField(
        _("how often we meet"),
        blank=True,
        max_length=SHORT_LIMIT,
        help_text=_("e.g. “every two weeks, one hour”"),
    )
    channel = models.CharField(
        _("where we meet"),
        blank=True,
        max_length=SHORT_LIMIT,
        help_text=_("e.g. “video call, chat in between”"),
    )
    ending = models.TextField(
        _("how either of us can end it"),
        blank=True,
        max_length=TEXT_LIMIT,
        help_text=_(
            "Either of you can end the relationship without blame; say how you will tell each other."
        ),
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    mentor_confirmed_at = models.DateTimeField(null=True, blank=True)
    mentee_confirmed_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(mentor_confirmed_at__isnull=True, mentee_confirmed_at__isnull=True)
                | Q(version__gte=1),
                name="agreement_confirmed_only_when_written",
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement of {self.relationship_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.mentor_confirmed_at is not None and self.mentee_confirmed_at is not None

    def confirmed_at(self, side: str):
        return getattr(self, f"{side}_confirmed_at")


class AgendaStep(models.TextChoices):
    """The guided first meeting, in order."""

    INTRODUCTIONS = "introductions", _("Introduce yourselves: background, what brought you here")
    GOALS = "goals", _("The mentee says what they want to grow in this cycle")
    AGREEMENT = "agreement", _("Read the agreement together and adjust it")
    CONFIDENTIALITY = "confidentiality", _("Agree what stays between you")
    LOGISTICS = "logistics", _("Fix the next meetings' dates and channel")
    PREPARATION = "preparation", _("The mentee notes specific questions for the next meeting")


class AgendaCheck(models.Model):
    """One ticked step of the first-meeting agenda."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="agenda_checks")
    step = models.CharField(_("step"), max_length=32, choices=AgendaStep.choices)
    checked_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agenda check")
        verbose_name_plural = _("agenda checks")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "step"], name="agenda_check_unique_step"),
            models.CheckConstraint(condition=Q(step__in=AgendaStep.values), name="agenda_check_valid_step"),
        ]

    def __str__(self) -> str:
        return self.step


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Our goals are met")
    CYCLE_ENDED = "cycle_ended", _("The cycle has ended")


class Closure(models.Model):
    """How a relationship ended well (the no-fault exit records only a private reason).

    "Goals met" speaks for both sides, so it waits for the partner: until they confirm, the row is
    a proposal (`closed_at` empty) and the relationship stays active; if they dispute it, the row
    goes. "The cycle has ended" closes at once.
    """

    relationship = models.OneToOneField(Relationship, on_delete=models.CASCADE, related_name="closure")
    reason = models.CharField(_("why we close"), max_length=16, choices=ClosureReason.choices)
    closed_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(condition=Q(reason__in=ClosureReason.values), name="closure_valid_reason"),
            models.CheckConstraint(
                condition=Q(reason=ClosureReason.GOALS_MET) | Q(closed_at__isnull=False),
                name="closure_only_goals_met_waits",
            ),
        ]

    def __str__(self) -> str:
        return f"Closure of {self.relationship_id}"

    @property
    def is_pending(self) -> bool:
        return self.closed_at is None


class Extension(models.Model):
    """The pair keep going past the cycle's end. The latest row holds the current end date."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="extensions")
    ends_on = models.DateField(_("new end date"))
    previous_ends_on = models.DateField()
    extended_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("previous_ends_on")), name="extension_moves_end_later"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relationship_id} → {self.ends_on}"


class Reflection(models.Model):
    """What I learned — mentors learn too. Read by the pair, nobody else."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    learned = models.TextField(_("what I learned"), max_length=TEXT_LIMIT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        constraints = [
            models.UniqueConstraint(fields=["relationship", "author"], name="reflection_one_per_author"),
        ]

    def __str__(self) -> str:
        return f"Reflection of {self.author_id} on {self.relationship_id}"
