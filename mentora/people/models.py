"""The people database: who works where, what they offer and what they want to grow.

Private data lives in its own tables (SelfAssessment, DemographicProfile) so that no
query for a profile page can leak it by accident: it must be joined on purpose.
"""

import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mentora.core.zones import zone_or_utc
from mentora.organisations.models import Department, Organisation

MAX_SKILL_LEVEL = 5
MAX_SENIORITY = 10
MAX_HOURS_PER_MONTH = 160


class SkillCategory(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="skill_categories")
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill category")
        verbose_name_plural = _("skill categories")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="skill_category_unique_per_org"),
        ]

    def __str__(self) -> str:
        return self.name


class SkillStatus(models.TextChoices):
    ACTIVE = "active", _("In use")
    PENDING = "pending", _("New, waiting for review")
    RETIRED = "retired", _("Retired")


class Skill(models.Model):
    """A skill of the organisation's list. Only active skills are offered for picking; a skill an
    import introduced waits for an org admin's review (docs/import.md, "New skills")."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="skills")
    category = models.ForeignKey(SkillCategory, on_delete=models.PROTECT, related_name="skills")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=SkillStatus.choices, default=SkillStatus.ACTIVE
    )
    # A skill merged into another stays, retired, so that old answers naming it still read.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("merged into"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="skill_unique_slug_per_org"),
            models.UniqueConstraint(fields=["organisation", "name"], name="skill_unique_name_per_org"),
            models.CheckConstraint(condition=Q(status__in=SkillStatus.values), name="skill_valid_status"),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True)
                | (Q(status=SkillStatus.RETIRED) & ~Q(merged_into=F("id"))),
                name="skill_merged_is_retired",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SkillAlias(models.Model):
    """Another name people or HR systems use for a skill ("k8s" for Kubernetes)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="skill_aliases")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(_("alias"), max_length=120)

    class Meta:
        verbose_name = _("skill alias")
        verbose_name_plural = _("skill aliases")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "alias"], name="skill_alias_unique_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.alias} → {self.skill}"


class Language(models.Model):
    code = models.CharField(_("code"), max_length=12, unique=True, help_text=_("BCP 47 code, e.g. en, pt-BR"))
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call")
    EITHER = "either", _("Either")


class Person(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person")
    employee_id = models.CharField(_("employee id"), max_length=64, blank=True)
    email = models.EmailField(_("email"))
    full_name = models.CharField(_("full name"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    job_family = models.CharField(_("job family"), max_length=120, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    seniority = models.PositiveSmallIntegerField(
        _("seniority level"), default=1, help_text=_("1 = entry level … 10 = executive")
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    languages = models.ManyToManyField(Language, blank=True, related_name="speakers")
    availability_hours_per_month = models.PositiveSmallIntegerField(
        _("availability (hours per month)"), default=2
    )
    meeting_mode = models.CharField(
        _("preferred meeting mode"), max_length=16, choices=MeetingMode.choices, default=MeetingMode.EITHER
    )
    goals = models.TextField(_("goals"), blank=True, max_length=4000)
    purpose = models.TextField(
        _("purpose"), blank=True, max_length=4000, help_text=_("Where do I want to be in two years?")
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The last working day HR gave; the person is deactivated once it has passed (people.leavers).
    leaving_date = models.DateField(_("leaving date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="person_unique_email_per_org"),
            models.UniqueConstraint(
                fields=["organisation", "employee_id"],
                condition=~Q(employee_id=""),
                name="person_unique_employee_id_per_org",
            ),
            models.CheckConstraint(condition=~Q(manager=F("id")), name="person_not_own_manager"),
            models.CheckConstraint(
                condition=Q(seniority__gte=1, seniority__lte=MAX_SENIORITY), name="person_seniority_range"
            ),
            models.CheckConstraint(
                condition=Q(availability_hours_per_month__lte=MAX_HOURS_PER_MONTH),
                name="person_availability_range",
            ),
            models.CheckConstraint(
                condition=Q(meeting_mode__in=MeetingMode.values), name="person_valid_meeting_mode"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "full_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """Their time zone; UTC if `time_zone` does not name one (nothing checks it on save)."""
        return zone_or_utc(self.time_zone)


class OfferedSkill(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="offered_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="offered_by")
    level = models.PositiveSmallIntegerField(_("level"), help_text=_("1 = working knowledge … 5 = expert"))

    class Meta:
        verbose_name = _("offered skill")
        verbose_name_plural = _("offered skills")
        constraints = [
            models.UniqueConstraint(fields=["person", "skill"], name="offered_skill_unique"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=MAX_SKILL_LEVEL), name="offered_skill_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.level})"


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class WantedSkill(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="wanted_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="wanted_by")
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )

    class Meta:
        verbose_name = _("wanted skill")
        verbose_name_plural = _("wanted skills")
        constraints = [
            models.UniqueConstraint(fields=["person", "skill"], name="wanted_skill_unique"),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="wanted_skill_valid_priority"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_priority_display()})"


class SelfAssessment(models.Model):
    """Private: read only by its owner and by the matching engine, never by anyone else."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="self_assessment")
    reflection = models.TextField(
        _("what I find hard"),
        blank=True,
        max_length=4000,
        help_text=_("Only you and the matching algorithm see this."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")

    def __str__(self) -> str:
        return f"Self-assessment of {self.person}"


class SelfAssessedSkill(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("my honest level"), help_text=_("0 = none … 5 = expert"))

    class Meta:
        verbose_name = _("self-assessed skill")
        verbose_name_plural = _("self-assessed skills")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "skill"], name="self_assessed_skill_unique"),
            models.CheckConstraint(condition=Q(level__lte=MAX_SKILL_LEVEL), name="self_assessed_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.level})"


class DemographicProfile(models.Model):
    """Optional, consent-based, used only in aggregate for fairness reporting.

    Kept in its own table; the matching score never reads it.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="demographic_profile")
    consented_at = models.DateTimeField(_("consent given at"))
    gender = models.CharField(_("gender"), max_length=64, blank=True)
    age_band = models.CharField(_("age band"), max_length=32, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=120, blank=True)
    disability = models.CharField(_("disability"), max_length=64, blank=True)
    under_sponsored = models.BooleanField(
        _("I consider myself under-sponsored"),
        default=False,
        help_text=_("Lets programs give you priority when they choose to."),
    )

    class Meta:
        verbose_name = _("demographic profile")
        verbose_name_plural = _("demographic profiles")

    def __str__(self) -> str:
        return f"Demographics of {self.person}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected")  # the file has problems: nothing was written
    FAILED = "failed", _("Failed")  # an unexpected error: nothing was written


# Far longer than the longest gap between two progress reports of a 50,000-row import.
IMPORT_LEASE = timedelta(minutes=10)
FINISHED_IMPORT_STATUSES = (ImportStatus.DONE.value, ImportStatus.REJECTED.value, ImportStatus.FAILED.value)


class PeopleImport(models.Model):
    """One upload of the bulk people import, run by a background task (docs/import.md).

    The uploaded file is kept only until the task has read it; the report stays.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people_imports")
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file content"), blank=True)
    dry_run = models.BooleanField(_("check without importing"))
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    stage = models.CharField(_("stage"), max_length=200, blank=True)
    report = models.JSONField(_("report"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written with every progress report: a running import without one for IMPORT_LEASE lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="people_import_progress_percent"),
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="people_import_status_known"
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(status__in=FINISHED_IMPORT_STATUSES),
                name="people_import_finished_has_an_outcome",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="people_import_org_recent")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_IMPORT_STATUSES


class HrField(models.TextChoices):
    """The HR facts whose changes are kept as effective-dated history (mentora.people.history)."""

    DEPARTMENT = "department", _("Department")
    MANAGER = "manager", _("Manager")
    SENIORITY = "seniority", _("Seniority level")
    JOB_TITLE = "job_title", _("Job title")
    LEAVING_DATE = "leaving_date", _("Leaving date")


class HrChangeSource(models.TextChoices):
    IMPORT = "import", _("HR import or sync")
    PROVISIONING = "provisioning", _("Identity provider (SCIM)")
    EDIT = "edit", _("Edited by a manager or admin")


class PersonHrChange(models.Model):
    """One change of one HR fact of a person: from → to, effective on a date, recorded when and by
    whom (an editor, or the import or sync that wrote it). Written only by mentora.people.history."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="hr_changes")
    field = models.CharField(max_length=16, choices=HrField.choices)
    old_value = models.CharField(max_length=255, blank=True)
    new_value = models.CharField(max_length=255, blank=True)
    # The department's or manager's id, when the field names one (its name above is kept as it was).
    old_ref = models.BigIntegerField(null=True, blank=True)
    new_ref = models.BigIntegerField(null=True, blank=True)
    effective_date = models.DateField()
    recorded_at = models.DateTimeField()
    source = models.CharField(max_length=16, choices=HrChangeSource.choices)
    actor = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    people_import = models.ForeignKey(
        "PeopleImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="hr_changes"
    )

    class Meta:
        ordering = ["-effective_date", "-recorded_at", "-id"]
        verbose_name = _("HR change")
        verbose_name_plural = _("HR changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(field__in=HrField.values), name="person_hr_change_field_known"
            ),
            models.CheckConstraint(
                condition=Q(source__in=HrChangeSource.values), name="person_hr_change_source_known"
            ),
            # From and to differ: in the text, or in the id (two managers of the same name).
            models.CheckConstraint(
                condition=~Q(old_value=F("new_value"))
                | Q(old_ref__isnull=False, new_ref__isnull=True)
                | Q(old_ref__isnull=True, new_ref__isnull=False)
                | (Q(old_ref__isnull=False, new_ref__isnull=False) & ~Q(old_ref=F("new_ref"))),
                name="person_hr_change_changes_something",
            ),
        ]
        indexes = [models.Index(fields=["person", "-effective_date"], name="person_hr_change_person")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.field}: {self.old_value} → {self.new_value} ({self.effective_date})"
