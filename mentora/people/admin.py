"""Django admin for the people database.

Self-assessments and demographic profiles are private (see permissions.py): only superusers
reach them here, and the person pages never inline them.
"""

from django.contrib import admin

from mentora.core.roles import viewer_for
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
from mentora.people.permissions import can_edit_person
from mentora.people.sign_in import account_access_end, account_access_restore


class OfferedSkillInline(admin.TabularInline):
    model = OfferedSkill
    extra = 0
    autocomplete_fields = ["skill"]


class WantedSkillInline(admin.TabularInline):
    model = WantedSkill
    extra = 0
    autocomplete_fields = ["skill"]


class RoleMembershipInline(admin.TabularInline):
    """Roles change here for superusers only: staff grant them in the app, under its rank rules."""

    model = RoleMembership
    extra = 0

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Person)
class PersonAdmin(OrganisationScopedAdmin):
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
    autocomplete_fields = ["manager", "user"]
    filter_horizontal = ["languages"]
    inlines = [OfferedSkillInline, WantedSkillInline, RoleMembershipInline]
    readonly_fields = ["created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        """The e-mail is the sign-in name: it changes only through the confirmed link (Change the
        sign-in e-mail). Staff who are not superusers deactivate people in the app, under its rules."""
        fields = [*self.readonly_fields, "email"] if obj is not None else list(self.readonly_fields)
        if not request.user.is_superuser:
            fields += ["user", "is_active"]
        return fields

    def has_change_permission(self, request, obj=None):
        """Nobody changes someone whose role is higher than theirs (see people/permissions.py)."""
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        return can_edit_person(viewer_for(request.user), obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data:
            end_or_restore = account_access_restore if obj.is_active else account_access_end
            end_or_restore(user_ids=[obj.user_id])


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
