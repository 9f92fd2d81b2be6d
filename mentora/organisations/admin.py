from django.contrib import admin

from mentora.organisations.models import Department, Organisation


class OrganisationScopedAdmin(admin.ModelAdmin):
    """Staff who belong to an organisation see and pick only their organisation's rows.

    `organisation_path` is the lookup from the model to its organisation id.
    """

    organisation_path = "organisation_id"

    @staticmethod
    def staff_organisation_id(request) -> int | None:
        if request.user.is_superuser:
            return None
        person = getattr(request.user, "person", None)
        return person.organisation_id if person else -1

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        org_id = self.staff_organisation_id(request)
        if org_id is None:
            return queryset
        return queryset.filter(**{self.organisation_path: org_id})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        org_id = self.staff_organisation_id(request)
        related = db_field.related_model
        if org_id is not None:
            if related is Organisation:
                kwargs["queryset"] = Organisation.objects.filter(pk=org_id)
            elif any(f.name == "organisation" for f in related._meta.fields):
                kwargs["queryset"] = related._default_manager.filter(organisation_id=org_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    list_display = ["name", "slug", "default_time_zone", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    organisation_path = "pk"


@admin.register(Department)
class DepartmentAdmin(OrganisationScopedAdmin):
    list_display = ["name", "organisation", "parent"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    list_select_related = ["organisation", "parent"]
