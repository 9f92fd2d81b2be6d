from django.contrib import admin

from mentora.core.admin import ViewOnlyAdminMixin
from mentora.scheduler.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["job", "slot", "status", "started_at", "finished_at"]
    list_filter = ["status", "job"]
