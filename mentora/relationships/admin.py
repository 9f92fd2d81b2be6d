from django.contrib import admin

from mentora.core.admin import ViewOnlyAdminMixin
from mentora.relationships.models import Relationship


@admin.register(Relationship)
class RelationshipAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["mentor", "mentee", "program", "status", "origin", "created_at"]
    list_filter = ["status", "origin"]
    raw_id_fields = ["program", "mentor", "mentee", "created_by", "declined_by", "ended_by"]
    # The no-fault reason is private to the managers and the person who ended the relationship.
    exclude = ["end_reason"]
