from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A tenant. Every person, department and skill belongs to exactly one."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    default_time_zone = models.CharField(_("default time zone"), max_length=64, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every write that changes the organisation-wide figures (people, roles, skills,
    # departments; see organisations.services): the key of those figures in the cache. It lives here,
    # not in the cache, because the default cache is one per process and all must see a bump at once.
    # A default in the database too, so that rows written by code that predates the column (an older
    # migration's historical model, a second version during a rolling deploy) still insert.
    figures_version = models.PositiveBigIntegerField(db_default=0, default=0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="department_unique_name_per_org"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="department_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("Organisation admin")
    PROGRAM_MANAGER = "program_manager", _("Program manager")
    PARTICIPANT = "participant", _("Participant")
    LINE_MANAGER = "line_manager", _("Line manager")
    LEADER = "leader", _("Leader")


class RoleMembership(models.Model):
    """What a person may do in their organisation. A person can hold several roles."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="role_memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            models.UniqueConstraint(fields=["person", "role"], name="role_membership_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="role_membership_valid_role"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}"
