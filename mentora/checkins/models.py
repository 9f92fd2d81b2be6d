"""Pulse check-ins: short surveys to each side of a pair, configured per program.

Answers live in their own table (CheckinAnswer) and are read by their author alone: the partner
never sees them, and program managers see figures per closed period over at least
MIN_AGGREGATE_GROUP answers (CheckinPeriodFigures, frozen once published) and the pairs whose
respondent chose to ask them for help (`mentora.checkins.selectors`).
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mentora.core.privacy import MIN_AGGREGATE_GROUP
from mentora.people.models import Person
from mentora.programs.models import Program
from mentora.relationships.models import Relationship

BLOCKERS_LIMIT = 2000
MAX_CADENCE_WEEKS = 12


class CheckinSchedule(models.Model):
    """How a program asks its pairs how it is going. Programs without a row use the defaults."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="checkin_schedule")
    enabled = models.BooleanField(_("send pulse check-ins"), default=True)
    cadence_weeks = models.PositiveSmallIntegerField(
        _("every how many weeks"), default=4, help_text=_("Between 1 and 12.")
    )
    midpoint_survey = models.BooleanField(_("mid-point survey"), default=True)
    end_survey = models.BooleanField(_("end-of-cycle survey"), default=True)
    silent_after_weeks = models.PositiveSmallIntegerField(
        _("a pair is silent after (weeks without a meeting)"), default=4, help_text=_("Between 1 and 12.")
    )
    overdue_after_days = models.PositiveSmallIntegerField(
        _("a check-in is overdue after (days)"), default=7, help_text=_("Between 1 and 60.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("check-in schedule")
        verbose_name_plural = _("check-in schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence_weeks__gte=1, cadence_weeks__lte=MAX_CADENCE_WEEKS),
                name="checkin_schedule_cadence_range",
            ),
            models.CheckConstraint(
                condition=Q(silent_after_weeks__gte=1, silent_after_weeks__lte=MAX_CADENCE_WEEKS),
                name="checkin_schedule_silent_range",
            ),
            models.CheckConstraint(
                condition=Q(overdue_after_days__gte=1, overdue_after_days__lte=60),
                name="checkin_schedule_overdue_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Check-ins of {self.program}"


class CheckinKind(models.TextChoices):
    PULSE = "pulse", _("Pulse check-in")
    MIDPOINT = "midpoint", _("Mid-point survey")
    END = "end", _("End-of-cycle survey")


class CheckinStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    MISSED = "missed", _("Missed")


class Checkin(models.Model):
    """One survey asked of one side of a pair. Issued at most once per (side, kind, due date)."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="checkins")
    respondent = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="checkins")
    kind = models.CharField(_("kind"), max_length=16, choices=CheckinKind.choices)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=16, choices=CheckinStatus.choices, default=CheckinStatus.PENDING
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "respondent", "kind", "due_on"], name="checkin_unique_per_due_date"
            ),
            models.CheckConstraint(condition=Q(kind__in=CheckinKind.values), name="checkin_valid_kind"),
            models.CheckConstraint(condition=Q(status__in=CheckinStatus.values), name="checkin_valid_status"),
            models.CheckConstraint(
                condition=~Q(status=CheckinStatus.ANSWERED) | Q(answered_at__isnull=False),
                name="checkin_answered_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["respondent", "status"]),
            models.Index(fields=["relationship", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.respondent_id} due {self.due_on}"


class MeetingFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week or more")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("About once a month")
    RARELY = "rarely", _("Less than once a month")
    NOT_YET = "not_yet", _("We have not met yet")


class CheckinAnswer(models.Model):
    """Private to its author. Never shown to the partner; managers read aggregates only."""

    checkin = models.OneToOneField(Checkin, on_delete=models.CASCADE, related_name="answer")
    usefulness = models.PositiveSmallIntegerField(
        _("how useful is this relationship to you?"), help_text=_("1 = not at all … 5 = very useful")
    )
    meeting_frequency = models.CharField(
        _("how often do you meet?"), max_length=16, choices=MeetingFrequency.choices
    )
    blockers = models.TextField(_("anything blocking you?"), blank=True, max_length=BLOCKERS_LIMIT)
    # The one answer a manager may attribute to a pair, because its author chose to say it.
    tell_program_manager = models.BooleanField(
        _("tell the program manager that our pair would like help"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("check-in answer")
        verbose_name_plural = _("check-in answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(usefulness__gte=1, usefulness__lte=5), name="checkin_answer_usefulness_range"
            ),
            models.CheckConstraint(
                condition=Q(meeting_frequency__in=MeetingFrequency.values),
                name="checkin_answer_valid_frequency",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to check-in {self.checkin_id}"


class GoalsAchieved(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NOT_YET = "not_yet", _("Not yet")


class EndSurveyAnswer(models.Model):
    """The end-of-cycle survey's own questions, looking back over the whole relationship (the pulse
    asks how it is going now). Private to its author, like CheckinAnswer."""

    checkin = models.OneToOneField(Checkin, on_delete=models.CASCADE, related_name="end_answer")
    usefulness = models.PositiveSmallIntegerField(
        _("overall, how useful was this relationship to you?"),
        help_text=_("1 = not at all … 5 = very useful"),
    )
    goals_achieved = models.CharField(
        _("did you achieve your goals?"), max_length=16, choices=GoalsAchieved.choices
    )
    would_recommend = models.BooleanField(_("would you recommend this program to a colleague?"))
    what_helped = models.TextField(_("what helped most?"), blank=True, max_length=BLOCKERS_LIMIT)
    what_to_change = models.TextField(_("what should change?"), blank=True, max_length=BLOCKERS_LIMIT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("end-of-cycle survey answer")
        verbose_name_plural = _("end-of-cycle survey answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(usefulness__gte=1, usefulness__lte=5), name="end_survey_answer_usefulness_range"
            ),
            models.CheckConstraint(
                condition=Q(goals_achieved__in=GoalsAchieved.values), name="end_survey_answer_valid_goals"
            ),
        ]

    def __str__(self) -> str:
        return f"End-of-cycle answer to check-in {self.checkin_id}"


class CheckinPeriodFigures(models.Model):
    """The published figures of a program's answers received in [starts_on, ends_on): whole
    calendar months (UTC), closed, holding at least MIN_AGGREGATE_GROUP answers. Written once and
    never updated, so that reading them again after someone answers reveals nothing.

    `figures` holds counts and means by answer code (frequency, blockers, side, survey kind),
    with the cells a manager may not see already left out (None).
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="checkin_periods")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (excluded)"))
    answers = models.PositiveIntegerField(_("answers"))
    usefulness_mean = models.FloatField(_("mean usefulness"))
    figures = models.JSONField(_("figures"), default=dict)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "starts_on"]
        verbose_name = _("published check-in figures")
        verbose_name_plural = _("published check-in figures")
        constraints = [
            models.UniqueConstraint(fields=["program", "starts_on"], name="checkin_period_unique_start"),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="checkin_period_not_empty"),
            models.CheckConstraint(
                condition=Q(answers__gte=MIN_AGGREGATE_GROUP), name="checkin_period_min_answers"
            ),
            models.CheckConstraint(
                condition=Q(usefulness_mean__gte=1, usefulness_mean__lte=5),
                name="checkin_period_usefulness_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in figures of {self.program} from {self.starts_on} to {self.ends_on}"
