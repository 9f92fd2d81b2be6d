"""Program surveys: templates of questions per program, asked of each side of a pair on the
program's cadence, answered privately.

An answer is read by its author alone (never the partner, never a manager). Managers read
figures only (`SurveyResults`): published over at least MIN_AGGREGATE_GROUP respondents, with
small cells hidden (`core.privacy.hidden_cells`), and published again only once the respondents
changed by at least that many (`core.privacy.membership_changed_enough`), so that reading before
and after one answer shows the same figures.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentora.core.privacy import MIN_AGGREGATE_GROUP
from mentora.people.models import Person
from mentora.programs.models import MAX_PICKED_SKILLS, MULTI_PICK_KINDS, Program, QuestionKind
from mentora.relationships.models import Relationship

PROMPT_MAX = 300
SCORE_MAX = 10


class SurveyKind(models.TextChoices):
    FIT = "fit", _("First-session fit")
    MIDPOINT = "midpoint", _("Mid-point survey")
    END = "end", _("End-of-cycle survey")
    RECOMMEND = "recommend", _("Would you recommend this program?")
    CUSTOM = "custom", _("The program's own questions")


# Asked once per pair; the other kinds come back on the program's cadence.
ONCE_KINDS = (SurveyKind.FIT, SurveyKind.MIDPOINT, SurveyKind.END)


class AnswerKind(models.TextChoices):
    """The intake questionnaire's answer types (programs.QuestionKind) but skill picks, and a 0–10 score."""

    SHORT_TEXT = QuestionKind.SHORT_TEXT.value, QuestionKind.SHORT_TEXT.label
    LONG_TEXT = QuestionKind.LONG_TEXT.value, QuestionKind.LONG_TEXT.label
    SINGLE_CHOICE = QuestionKind.SINGLE_CHOICE.value, QuestionKind.SINGLE_CHOICE.label
    MULTIPLE_CHOICE = QuestionKind.MULTIPLE_CHOICE.value, QuestionKind.MULTIPLE_CHOICE.label
    SCALE = QuestionKind.SCALE.value, QuestionKind.SCALE.label
    SCORE_0_10 = "score_0_10", _("Score 0–10")


TEXT_KINDS = (AnswerKind.SHORT_TEXT, AnswerKind.LONG_TEXT)
SCORED_KINDS = (AnswerKind.SCALE, AnswerKind.SCORE_0_10)


class Measure(models.TextChoices):
    """What a built-in question measures; the program's own questions measure nothing named."""

    OWN = "", _("The program's own question")
    CAREER = "career", _("Career support")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    ROLE_MODEL = "role_model", _("Role modelling")
    FIT = "fit", _("Fit after the first session")
    RECOMMEND = "recommend", _("Would recommend the program")


MENTORING_FUNCTIONS = (Measure.CAREER, Measure.PSYCHOSOCIAL, Measure.ROLE_MODEL)


class SurveySettings(models.Model):
    """When a program's surveys are asked. Programs without a row use the defaults."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="survey_settings")
    fit_day = models.PositiveSmallIntegerField(
        _("ask the fit question on day"), default=14, help_text=_("Days after the pair started, 1 to 90.")
    )
    first_day = models.PositiveSmallIntegerField(
        _("first recurring survey on day"), default=30, help_text=_("Days after the pair started, 1 to 365.")
    )
    every_days = models.PositiveSmallIntegerField(
        _("then every (days)"), default=60, help_text=_("0 to ask it once; otherwise 14 to 365.")
    )
    at_closure = models.BooleanField(_("ask the end-of-cycle survey at closure"), default=True)
    fit_threshold = models.PositiveSmallIntegerField(
        _("offer a no-fault rematch at a fit of at most"),
        default=2,
        help_text=_("On the 1–5 fit scale; 0 never offers one."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(fit_day__gte=1, fit_day__lte=90), name="survey_settings_fit_day"
            ),
            models.CheckConstraint(
                condition=Q(first_day__gte=1, first_day__lte=365), name="survey_settings_first_day"
            ),
            models.CheckConstraint(
                condition=Q(every_days=0) | Q(every_days__gte=14, every_days__lte=365),
                name="survey_settings_every_days",
            ),
            models.CheckConstraint(condition=Q(fit_threshold__lte=5), name="survey_settings_fit_threshold"),
        ]

    def __str__(self) -> str:
        return f"Survey settings of {self.program}"


class SurveyTemplate(models.Model):
    """One survey of a program, of one kind; its questions are rows (SurveyQuestion)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="survey_templates")
    kind = models.CharField(_("survey"), max_length=16, choices=SurveyKind.choices)
    enabled = models.BooleanField(_("ask it"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "kind"]
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")
        constraints = [
            models.UniqueConstraint(fields=["program", "kind"], name="survey_template_one_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=SurveyKind.values), name="survey_template_valid_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.program}"


class SurveyQuestion(models.Model):
    """Built-in questions (a `measure`) come from `surveys.instrument` and cannot change; the
    manager's own questions take the intake questionnaire's answer types."""

    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    prompt = models.CharField(_("question"), max_length=PROMPT_MAX)
    help_text = models.CharField(_("help text"), max_length=PROMPT_MAX, blank=True)
    kind = models.CharField(_("answer type"), max_length=16, choices=AnswerKind.choices)
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("For single and multiple choice questions.")
    )
    required = models.BooleanField(_("required"), default=True)
    max_picks = models.PositiveSmallIntegerField(
        _("at most this many picks"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PICKED_SKILLS)],
    )
    measure = models.CharField(_("measures"), max_length=16, choices=Measure.choices, default="", blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="survey_question_unique_position"),
            models.CheckConstraint(
                condition=Q(kind__in=AnswerKind.values), name="survey_question_valid_kind"
            ),
            models.CheckConstraint(
                condition=Q(measure__in=Measure.values), name="survey_question_valid_measure"
            ),
            # A named measure is a score: the functions and the fit on 1–5, the recommendation on 0–10.
            models.CheckConstraint(
                condition=Q(measure="")
                | Q(measure=Measure.RECOMMEND, kind=AnswerKind.SCORE_0_10)
                | (~Q(measure=Measure.RECOMMEND) & Q(kind=AnswerKind.SCALE)),
                name="survey_question_measure_is_scored",
            ),
            models.CheckConstraint(
                condition=Q(max_picks__isnull=True)
                | Q(kind__in=MULTI_PICK_KINDS, max_picks__gte=1, max_picks__lte=MAX_PICKED_SKILLS),
                name="survey_question_max_picks_for_lists",
            ),
        ]

    def __str__(self) -> str:
        return self.prompt


class SurveyStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    MISSED = "missed", _("Missed")


class SurveyInstance(models.Model):
    """One survey asked of one side of one pair: once (round 0) or in round n of the cadence."""

    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="instances")
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="survey_instances")
    respondent = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="survey_instances")
    round = models.PositiveSmallIntegerField(_("round"), default=0)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=16, choices=SurveyStatus.choices, default=SurveyStatus.PENDING
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Set when a fit answer was at or under the program's threshold: the respondent (only) is
    # offered the no-fault exit, after which both people are free to be matched again.
    rematch_offered = models.BooleanField(default=False)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "relationship", "respondent", "round"],
                name="survey_instance_unique_round",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SurveyStatus.values), name="survey_instance_valid_status"
            ),
            models.CheckConstraint(
                condition=Q(status=SurveyStatus.ANSWERED, answered_at__isnull=False)
                | (~Q(status=SurveyStatus.ANSWERED) & Q(answered_at__isnull=True)),
                name="survey_instance_answered_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["respondent", "status"]),
            models.Index(fields=["template", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.template} for {self.respondent_id} due {self.due_on}"


class SurveyAnswer(models.Model):
    """One question's answer. Private to the instance's respondent: only aggregates leave it."""

    instance = models.ForeignKey(SurveyInstance, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField(null=True, blank=True)  # scale and 0–10 questions
    value = models.JSONField(null=True, blank=True)  # choices (a string or a list) and texts

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            # One answer per person per question of a survey instance (the instance is theirs alone).
            models.UniqueConstraint(fields=["instance", "question"], name="survey_answer_once_per_question"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=SCORE_MAX), name="survey_answer_score_range"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(value__isnull=True), name="survey_answer_score_or_value"
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id} in survey {self.instance_id}"


class SurveyResults(models.Model):
    """The figures of one template's answers as published at one moment: over at least
    MIN_AGGREGATE_GROUP respondents, small cells already withheld. Never updated: a newer row is
    published only when the set of answered surveys changed by at least MIN_AGGREGATE_GROUP."""

    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="results")
    answers = models.PositiveIntegerField(_("answers"))
    members = models.JSONField(default=list)  # the answered instances' ids, to compare the next read with
    figures = models.JSONField(default=dict)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "-published_at", "-id"]
        verbose_name = _("published survey results")
        verbose_name_plural = _("published survey results")
        constraints = [
            models.CheckConstraint(
                condition=Q(answers__gte=MIN_AGGREGATE_GROUP), name="survey_results_min_answers"
            ),
        ]

    def __str__(self) -> str:
        return f"Results of {self.template} ({self.answers} answers)"
