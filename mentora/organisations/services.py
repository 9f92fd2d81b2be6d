from django.db.models import F

from mentora.organisations.models import Organisation


def organisation_figures_changed(*, organisation_id: int) -> None:
    """Call after (and in the same transaction as) a write that changes the organisation-wide figures
    of the home pages: their cached copy is then no longer read by any process."""
    Organisation.objects.filter(pk=organisation_id).update(figures_version=F("figures_version") + 1)
