from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "mentora.outcomes"
    verbose_name = _("Evidence: HR outcomes")
