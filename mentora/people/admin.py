"""Django admin for the people database.

People and their skills and roles change only through the app's services (rank rules, sign-in
access, history), so their pages here are view only, for superusers too. Self-assessments and
demographic profiles are private (see permissions.py): only superusers reach them here, and the
person pages never inline them.
"""

from django.contrib import admin

from mentora.core.admin import ViewOnlyAdminMixin, ViewOnlyInline
from mentora.organisations.admin import OrganisationScopedAdmin
from mentora.organisations.models import RoleMembership
from mentora.people.models import (
    DemographicProfile,
    Language,
    OfferedSkill,
    Person,
    SelfAssessedSkill,
    SelfAssessment,
    Skill,
    SkillAlias,
    SkillCategory,
    WantedSkill,
)


class OfferedSkillInline(ViewOnlyInline):
    model = OfferedSkill


class WantedSkillInline(ViewOnlyInline):
    model = WantedSkill


class RoleMembershipInline(ViewOnlyInline):
    model = RoleMembership


@admin.register(RoleMembership)
class RoleMembershipAdmin(ViewOnlyAdminMixin, OrganisationScopedAdmin):
    """Roles are granted in the app, under its rank rules (`person_update`): here they are only shown.
    Registered here, beside the people who hold them, because people's services write them."""

    organisation_path = "person__organisation_id"
    list_display = ["person", "role", "granted_at"]
    list_filter = ["role"]
    search_fields = ["person__full_name", "person__email"]
    list_select_related = ["person"]


@admin.register(Person)
class PersonAdmin(ViewOnlyAdminMixin, OrganisationScopedAdmin):
    list_display = [
        "full_name",
        "email",
        "employee_id",
        "job_title",
        "department",
        "organisation",
        "is_active",
    ]
    list_filter = ["is_active", "organisation", "meeting_mode", "seniority"]
    search_fields = ["full_name", "email", "employee_id", "job_title"]
    list_select_related = ["department", "organisation"]
    inlines = [OfferedSkillInline, WantedSkillInline, RoleMembershipInline]


@admin.register(SkillCategory)
class SkillCategoryAdmin(OrganisationScopedAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]


class SkillAliasInline(admin.TabularInline):
    model = SkillAlias
    extra = 0


@admin.register(Skill)
class SkillAdmin(OrganisationScopedAdmin):
    list_display = ["name", "category", "organisation"]
    list_filter = ["organisation", "category"]
    search_fields = ["name", "slug", "aliases__alias"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["category", "organisation"]
    inlines = [SkillAliasInline]


@admin.register(SkillAlias)
class SkillAliasAdmin(OrganisationScopedAdmin):
    list_display = ["alias", "skill", "organisation"]
    search_fields = ["alias", "skill__name"]
    list_select_related = ["skill", "organisation"]
    autocomplete_fields = ["skill"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class SuperuserOnlyAdmin(OrganisationScopedAdmin):
    """Private data: invisible in the admin to everyone but superusers, whatever their permissions."""

    organisation_path = "person__organisation_id"

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class SelfAssessedSkillInline(admin.TabularInline):
    model = SelfAssessedSkill
    extra = 0


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(SuperuserOnlyAdmin):
    list_display = ["person", "updated_at"]
    search_fields = ["person__full_name"]
    inlines = [SelfAssessedSkillInline]


@admin.register(DemographicProfile)
class DemographicProfileAdmin(SuperuserOnlyAdmin):
    list_display = ["person", "consented_at"]
    search_fields = ["person__full_name"]
