from django.contrib import admin

from mentora.audit.models import AuditEvent
from mentora.core.admin import ViewOnlyAdminMixin
from mentora.organisations.admin import OrganisationScopedAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ViewOnlyAdminMixin, OrganisationScopedAdmin):
    """Staff see their organisation's events; superusers every organisation's and those of none
    (failed sign-ins for unknown names). Nothing can be changed or deleted here either."""

    list_display = ("created_at", "organisation", "action", "actor_label", "target_label", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_label", "target_label", "details")
    list_select_related = ("organisation",)
    date_hierarchy = "created_at"
