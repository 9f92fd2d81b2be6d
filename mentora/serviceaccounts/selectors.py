from django.db.models import QuerySet

from mentora.serviceaccounts.models import ServiceAccount


def service_account_list(*, organisation_id: int) -> QuerySet[ServiceAccount]:
    """The organisation's service accounts, newest first, revoked ones included (for the record)."""
    return ServiceAccount.objects.filter(organisation_id=organisation_id).select_related("created_by")
