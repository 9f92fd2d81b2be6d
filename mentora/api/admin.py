from django.contrib import admin

from mentora.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be looked at and revoked here; they are created on the "API tokens" page."""

    list_display = ["name", "user", "prefix", "scope", "created_at", "expires_at", "last_used_at"]
    list_filter = ["scope"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["user", "name", "prefix", "scope", "created_at", "expires_at", "last_used_at"]
    exclude = ["digest"]

    def has_add_permission(self, request):
        return False
