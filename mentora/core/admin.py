"""Admin pages for rows that only services write: the services check rules, lock rows, keep
history and tell people; a raw admin save would do none of that, so these pages only show."""

from django.contrib import admin


class ViewOnlyAdminMixin:
    """No add, change or delete for anyone, superusers included; whoever may view still views."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ViewOnlyInline(ViewOnlyAdminMixin, admin.TabularInline):
    extra = 0
