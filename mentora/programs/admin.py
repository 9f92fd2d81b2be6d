from django.contrib import admin

from mentora.programs.models import (
    CurriculumItem,
    Enrolment,
    IntakeQuestion,
    Invitation,
    Program,
    ProgramManager,
)


class ProgramManagerInline(admin.TabularInline):
    model = ProgramManager
    extra = 0
    raw_id_fields = ["person"]


class CurriculumItemInline(admin.TabularInline):
    model = CurriculumItem
    extra = 0


class IntakeQuestionInline(admin.StackedInline):
    model = IntakeQuestion
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "program_type", "format", "status", "starts_on", "ends_on"]
    list_filter = ["status", "program_type", "format", "organisation"]
    search_fields = ["name"]
    inlines = [ProgramManagerInline, CurriculumItemInline, IntakeQuestionInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["person", "program", "role", "status", "capacity", "paused_until"]
    list_filter = ["role", "status"]
    raw_id_fields = ["person", "program", "invitation", "decided_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["person", "program", "sent_at", "emailed_at", "accepted_at", "revoked_at"]
    raw_id_fields = ["person", "program", "invited_by", "batch"]
