from django.contrib import admin

from mentora.notifications.models import SentNotification


@admin.register(SentNotification)
class SentNotificationAdmin(admin.ModelAdmin):
    """The delivery ledger, read-only: operators look for claims stuck in "claimed"."""

    list_display = ["kind", "object_id", "recipient", "period", "status", "attempts", "claimed_at", "sent_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [field.name for field in SentNotification._meta.fields]

    def has_add_permission(self, request):
        return False
