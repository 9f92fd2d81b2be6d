"""The mentee's goals in one relationship: SMART fields, milestones, progress updates, comments.

Writes go through `mentora.goals.services`; reads through `mentora.goals.selectors`.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentora.people.models import Person, Skill
from mentora.relationships.models import Relationship

TEXT_LIMIT = 2000


class GoalStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Set aside")


class Goal(models.Model):
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(
        _("specific goal"), max_length=200, help_text=_("What exactly do you want to achieve?")
    )
    measure = models.TextField(
        _("how I will measure it"), max_length=TEXT_LIMIT, help_text=_("How will you know you got there?")
    )
    plan = models.TextField(
        _("how I will achieve it"),
        max_length=TEXT_LIMIT,
        help_text=_("The steps that make it achievable, and the help you need."),
    )
    relevance = models.TextField(
        _("why it matters"), max_length=TEXT_LIMIT, help_text=_("Why this goal, and why now?")
    )
    target_date = models.DateField(_("target date"))
    skills = models.ManyToManyField(Skill, blank=True, related_name="+", verbose_name=_("skills"))
    status = models.CharField(_("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["target_date", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="goal_progress_range"),
            models.CheckConstraint(condition=Q(status__in=GoalStatus.values), name="goal_valid_status"),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"))
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class ProgressUpdate(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    text = models.TextField(_("what happened"), max_length=TEXT_LIMIT, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="progress_update_percent_range"),
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.percent}%"


class GoalComment(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("comment"), max_length=TEXT_LIMIT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment on a goal")
        verbose_name_plural = _("comments on goals")

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"
