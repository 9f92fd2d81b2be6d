from django.contrib import admin

from mentora.core.admin import ViewOnlyAdminMixin, ViewOnlyInline
from mentora.programs.models import (
    CurriculumItem,
    Enrolment,
    IntakeQuestion,
    Invitation,
    Program,
    ProgramManager,
)


class ProgramManagerInline(ViewOnlyInline):
    model = ProgramManager


class CurriculumItemInline(ViewOnlyInline):
    model = CurriculumItem


class IntakeQuestionInline(ViewOnlyInline):
    model = IntakeQuestion


@admin.register(Program)
class ProgramAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "organisation", "program_type", "format", "status", "starts_on", "ends_on"]
    list_filter = ["status", "program_type", "format", "organisation"]
    search_fields = ["name"]
    inlines = [ProgramManagerInline, CurriculumItemInline, IntakeQuestionInline]


@admin.register(Enrolment)
class EnrolmentAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["person", "program", "role", "status", "capacity", "paused_until"]
    list_filter = ["role", "status"]
    raw_id_fields = ["person", "program", "invitation", "decided_by"]


@admin.register(Invitation)
class InvitationAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["person", "program", "sent_at", "emailed_at", "accepted_at", "revoked_at"]
    raw_id_fields = ["person", "program", "invited_by", "batch"]
