from django.contrib import admin

from mentora.core.admin import ViewOnlyAdminMixin
from mentora.scim.models import ScimToken


@admin.register(ScimToken)
class ScimTokenAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Made, rotated and revoked by org admins on their SCIM page; shown here only."""

    list_display = ["name", "organisation", "prefix", "created_by", "created_at", "last_used_at"]
    exclude = ["digest"]
