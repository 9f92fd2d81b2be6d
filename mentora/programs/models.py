"""Programs: their design, their questionnaire and who takes part.

Writes go through `mentora.programs.services`; reads through `mentora.programs.selectors`.
"""

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mentora.organisations.models import Department, Organisation
from mentora.people.models import MAX_SENIORITY, Person

MAX_MENTOR_CAPACITY = 20
MAX_MEETINGS_PER_MONTH = 8


class ProgramType(models.TextChoices):
    MENTORING = "mentoring", _("Mentoring (chosen, at the mentee's pace)")
    COACHING = "coaching", _("Coaching (assigned, follows a set curriculum)")


class ProgramFormat(models.TextChoices):
    ONE_TO_ONE = "one_to_one", _("Classic one-to-one")
    REVERSE = "reverse", _("Reverse mentoring")
    PEER = "peer", _("Peer mentoring")
    CIRCLES = "circles", _("Group / circle mentoring")
    MICRO = "micro", _("Micro-mentoring")
    CROSS_ORG = "cross_org", _("Cross-organisation")


# Formats whose flows exist today; the others are reserved for later issues.
AVAILABLE_FORMATS = (ProgramFormat.ONE_TO_ONE, ProgramFormat.REVERSE)


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for enrolment")
    MATCHING = "matching", _("Matching")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


# The one name for a live program: participants see it, and people may be paired in it.
LIVE_PROGRAM_STATUSES = (ProgramStatus.OPEN, ProgramStatus.MATCHING, ProgramStatus.RUNNING)


class MatchingMode(models.TextChoices):
    ALGORITHMIC_REVIEW = "algorithmic_review", _("Algorithmic proposals, reviewed by a manager")
    MENTEE_CHOICE = "mentee_choice", _("Mentees choose from a ranked shortlist")
    BOTH = "both", _("Both")


def _unit_interval(field: str) -> Q:
    return Q(**{f"{field}__gte": 0, f"{field}__lte": 1})


WEIGHT_FIELDS = (
    "weight_goal_fit",
    "weight_purpose",
    "weight_diversity",
    "weight_practical",
    "weight_preference",
)


def _weight_field(verbose_name, default: float, help_text):
    return models.FloatField(
        verbose_name,
        default=default,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=help_text,
    )


class Program(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="programs")
    name = models.CharField(_("name"), max_length=200)
    strategic_objective = models.CharField(
        _("strategic objective"),
        max_length=300,
        help_text=_(
            "The organisation's objective this program serves, e.g. “Grow our next engineering leads”."
        ),
    )
    purpose = models.TextField(_("purpose"), max_length=4000)
    goals = models.TextField(_("goals"), max_length=4000, help_text=_("What participants should gain."))
    program_type = models.CharField(
        _("type"), max_length=16, choices=ProgramType.choices, default=ProgramType.MENTORING
    )
    format = models.CharField(
        _("format"), max_length=16, choices=ProgramFormat.choices, default=ProgramFormat.ONE_TO_ONE
    )
    starts_on = models.DateField(_("cycle starts on"))
    ends_on = models.DateField(_("cycle ends on"))
    meetings_per_month = models.PositiveSmallIntegerField(
        _("expected meetings per month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MEETINGS_PER_MONTH)],
    )
    eligible_departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="+",
        verbose_name=_("eligible departments"),
        help_text=_("Leave empty to open the program to every department."),
    )
    min_seniority = models.PositiveSmallIntegerField(
        _("lowest eligible seniority"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SENIORITY)],
    )
    max_seniority = models.PositiveSmallIntegerField(
        _("highest eligible seniority"),
        default=MAX_SENIORITY,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SENIORITY)],
    )
    eligible_locations = models.JSONField(
        _("eligible locations"),
        default=list,
        blank=True,
        help_text=_("Leave empty to open the program to every location."),
    )
    mentor_min_seniority = models.PositiveSmallIntegerField(
        _("lowest seniority to mentor"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SENIORITY)],
        help_text=_("Eligible people at or above this level may enrol as mentors."),
    )
    default_mentor_capacity = models.PositiveSmallIntegerField(
        _("default mentor capacity"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MENTOR_CAPACITY)],
        help_text=_("How many mentees a mentor takes unless they choose otherwise."),
    )
    matching_mode = models.CharField(
        _("matching mode"),
        max_length=24,
        choices=MatchingMode.choices,
        default=MatchingMode.ALGORITHMIC_REVIEW,
    )
    weight_goal_fit = _weight_field(
        _("weight: fit to the mentee's goals"), 0.4, _("The mentor is stronger in what the mentee wants.")
    )
    weight_purpose = _weight_field(
        _("weight: shared purpose"), 0.2, _("Career aspiration, values and direction align.")
    )
    weight_diversity = _weight_field(
        _("weight: difference of perspective"), 0.15, _("Another department, function or location.")
    )
    weight_practical = _weight_field(
        _("weight: practical fit"), 0.15, _("Time zones, a shared language, availability, meeting mode.")
    )
    weight_preference = _weight_field(
        _("weight: stated preferences"), 0.1, _("What people asked for in the questionnaire.")
    )
    similarity_diversity_dial = models.FloatField(
        _("similarity ↔ diversity"),
        default=0.7,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("0 rewards similar backgrounds, 1 rewards different ones."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="program_unique_name_per_org",
                violation_error_message=_("Your organisation already has a program with this name."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="program_ends_after_start",
                violation_error_message=_("The cycle must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(meetings_per_month__gte=1, meetings_per_month__lte=MAX_MEETINGS_PER_MONTH),
                name="program_meetings_per_month_range",
            ),
            models.CheckConstraint(
                condition=Q(min_seniority__gte=1, max_seniority__lte=MAX_SENIORITY)
                & Q(min_seniority__lte=F("max_seniority")),
                name="program_seniority_range",
                violation_error_message=_("The lowest eligible seniority must not be above the highest."),
            ),
            models.CheckConstraint(
                condition=Q(mentor_min_seniority__gte=1, mentor_min_seniority__lte=MAX_SENIORITY),
                name="program_mentor_min_seniority_range",
            ),
            models.CheckConstraint(
                condition=Q(default_mentor_capacity__gte=1, default_mentor_capacity__lte=MAX_MENTOR_CAPACITY),
                name="program_default_capacity_range",
            ),
            *[
                models.CheckConstraint(
                    condition=_unit_interval(field),
                    name=f"program_{field}_range",
                    violation_error_message=_("Each matching weight must be between 0 and 1."),
                )
                for field in WEIGHT_FIELDS
            ],
            models.CheckConstraint(
                condition=Q(weight_goal_fit__gt=0)
                | Q(weight_purpose__gt=0)
                | Q(weight_diversity__gt=0)
                | Q(weight_practical__gt=0)
                | Q(weight_preference__gt=0),
                name="program_weights_not_all_zero",
                violation_error_message=_("At least one matching weight must be above 0."),
            ),
            models.CheckConstraint(
                condition=_unit_interval("similarity_diversity_dial"),
                name="program_dial_range",
                violation_error_message=_("The similarity ↔ diversity dial must be between 0 and 1."),
            ),
            models.CheckConstraint(
                condition=Q(program_type__in=ProgramType.values), name="program_valid_type"
            ),
            models.CheckConstraint(condition=Q(format__in=ProgramFormat.values), name="program_valid_format"),
            models.CheckConstraint(condition=Q(status__in=ProgramStatus.values), name="program_valid_status"),
            models.CheckConstraint(
                condition=Q(matching_mode__in=MatchingMode.values), name="program_valid_matching_mode"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weights(self) -> dict[str, float]:
        return {field.removeprefix("weight_"): getattr(self, field) for field in WEIGHT_FIELDS}


class ProgramManager(models.Model):
    """A person who runs this program. Org admins manage every program without a row here."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="manager_memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="managed_programs")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("program manager")
        verbose_name_plural = _("program managers")
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="program_manager_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.program}"


class CurriculumItem(models.Model):
    """One step of a coaching program's set curriculum."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="curriculum_items")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)

    class Meta:
        ordering = ["position"]
        verbose_name = _("curriculum item")
        verbose_name_plural = _("curriculum items")
        constraints = [
            models.UniqueConstraint(fields=["program", "position"], name="curriculum_item_unique_position"),
        ]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    SCALE = "scale", _("Scale 1–5")
    SKILL_PICK = "skill_pick", _("Pick skills")


CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
# Kinds whose answer is a list, and so may carry a limit ("pick up to three").
MULTI_PICK_KINDS = (QuestionKind.MULTIPLE_CHOICE, QuestionKind.SKILL_PICK)
MAX_PICKED_SKILLS = 10


class MatchingComponent(models.TextChoices):
    INFORMATIONAL = "", _("Informational only")
    GOAL_FIT = "goal_fit", _("Fit to goals")
    PURPOSE = "purpose", _("Shared purpose")
    DIVERSITY = "diversity", _("Difference of perspective")
    PRACTICAL = "practical", _("Practical fit")
    PREFERENCE = "preference", _("Stated preference")


class QuestionAudience(models.TextChoices):
    EVERYONE = "everyone", _("Mentors and mentees")
    MENTORS = "mentor", _("Mentors only")
    MENTEES = "mentee", _("Mentees only")


class IntakeQuestion(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    prompt = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    kind = models.CharField(_("answer type"), max_length=16, choices=QuestionKind.choices)
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("For single and multiple choice questions.")
    )
    audience = models.CharField(
        _("asked of"), max_length=16, choices=QuestionAudience.choices, default=QuestionAudience.EVERYONE
    )
    required = models.BooleanField(_("required"), default=True)
    max_picks = models.PositiveSmallIntegerField(
        _("at most this many picks"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PICKED_SKILLS)],
        help_text=_("For multiple choice and skill questions, e.g. 3 for “pick up to three”."),
    )
    feeds = models.CharField(
        _("feeds matching component"),
        max_length=16,
        choices=MatchingComponent.choices,
        default=MatchingComponent.INFORMATIONAL,
        blank=True,
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("intake question")
        verbose_name_plural = _("intake questions")
        constraints = [
            models.UniqueConstraint(fields=["program", "position"], name="intake_question_unique_position"),
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="intake_question_valid_kind"
            ),
            models.CheckConstraint(
                condition=Q(feeds__in=MatchingComponent.values), name="intake_question_valid_component"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=QuestionAudience.values), name="intake_question_valid_audience"
            ),
            models.CheckConstraint(
                condition=Q(max_picks__isnull=True)
                | Q(kind__in=MULTI_PICK_KINDS, max_picks__gte=1, max_picks__lte=MAX_PICKED_SKILLS),
                name="intake_question_max_picks_for_lists",
                violation_error_message=_(
                    "Only multiple choice and skill questions take a limit, between 1 and 10."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.prompt

    def asked_of(self, role: str) -> bool:
        return self.audience in (QuestionAudience.EVERYONE, role)


class InvitationBatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


FINISHED_BATCH_STATUSES = (InvitationBatchStatus.DONE.value, InvitationBatchStatus.FAILED.value)
MAX_INVITATION_ADDRESSES = 50_000


class InvitationBatch(models.Model):
    """One round of invitations (pasted addresses or a filter), resolved by a background task.

    The report says who was invited and who was not, and why (unknown, duplicate, ineligible,
    already enrolled, already invited).
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitation_batches")
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    addresses = models.JSONField(_("addresses"), default=list, blank=True)
    departments = models.ManyToManyField(Department, blank=True, related_name="+")
    locations = models.JSONField(_("locations"), default=list, blank=True)
    min_seniority = models.PositiveSmallIntegerField(_("lowest seniority"), null=True, blank=True)
    max_seniority = models.PositiveSmallIntegerField(_("highest seniority"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InvitationBatchStatus.choices,
        default=InvitationBatchStatus.QUEUED,
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    report = models.JSONField(_("report"), null=True, blank=True)
    # False when the organisation sends its own e-mail: an org admin hands the links over instead.
    send_email = models.BooleanField(_("send e-mails"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation round")
        verbose_name_plural = _("invitation rounds")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="invitation_batch_progress_percent"),
            models.CheckConstraint(
                condition=Q(status__in=InvitationBatchStatus.values), name="invitation_batch_status_known"
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(status__in=FINISHED_BATCH_STATUSES),
                name="invitation_batch_finished_has_an_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_BATCH_STATUSES


class Invitation(models.Model):
    """A manager's invitation to enrol; the emailed link carries a signed, expiring token.

    `emailed_at` is the e-mail's claim: set by a conditional update before the e-mail leaves, so
    a second worker sends nothing (cleared again to resend). A failed e-mail is tried again by the
    reminders sweep while `email_attempts` is under the notifications' bound; a resend starts over.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="program_invitations")
    invited_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    batch = models.ForeignKey(
        InvitationBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=500, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_outstanding_per_person",
                violation_error_message=_("This person already has an outstanding invitation."),
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.program}"


class EnrolmentRole(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


class EnrolmentStatus(models.TextChoices):
    APPLIED = "applied", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


def pause_holding(paused_until: date | None, day: date) -> date | None:
    """The end of a mentor's pause if it still holds on `day` (a pause ends on its date)."""
    return paused_until if paused_until and paused_until > day else None


class Enrolment(models.Model):
    """A person taking part in a program in one role. Mentors carry their capacity here."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrolments")
    role = models.CharField(_("role"), max_length=8, choices=EnrolmentRole.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.APPLIED
    )
    capacity = models.PositiveSmallIntegerField(
        _("mentees I can take"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MENTOR_CAPACITY)],
    )
    paused_until = models.DateField(
        _("not taking new mentees until"),
        null=True,
        blank=True,
    )
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person", "role"],
                name="enrolment_unique_per_role",
                violation_error_message=_("This person is already enrolled in this role."),
            ),
            models.CheckConstraint(condition=Q(role__in=EnrolmentRole.values), name="enrolment_valid_role"),
            models.CheckConstraint(
                condition=Q(status__in=EnrolmentStatus.values), name="enrolment_valid_status"
            ),
            models.CheckConstraint(
                condition=(
                    Q(role=EnrolmentRole.MENTOR, capacity__gte=1, capacity__lte=MAX_MENTOR_CAPACITY)
                    | Q(role=EnrolmentRole.MENTEE, capacity__isnull=True, paused_until__isnull=True)
                ),
                name="enrolment_capacity_for_mentors_only",
                violation_error_message=_("A mentor's capacity must be between 1 and 20."),
            ),
        ]
        indexes = [models.Index(fields=["program", "role", "status"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} – {self.program}"

    @property
    def is_mentor(self) -> bool:
        return self.role == EnrolmentRole.MENTOR

    def pause_on(self, day: date) -> date | None:
        """The end of the mentor's pause if it still holds on `day` (it ends on its date)."""
        return pause_holding(self.paused_until, day)


class IntakeAnswer(models.Model):
    """Private to the person, the program's managers and the matching engine."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(IntakeQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(_("answer"))

    class Meta:
        verbose_name = _("intake answer")
        verbose_name_plural = _("intake answers")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "question"], name="intake_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"
