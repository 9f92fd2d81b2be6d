from django.utils.translation import gettext_lazy as _

from mentora.surveys.selectors import pending_for_pair
from mentora.workspace.panels import register

register(
    "surveys",
    order=55,
    title=_("Surveys"),
    template="surveys/_panel.html",
    context=lambda pair: {
        "pending_surveys": pending_for_pair(relationship=pair.relationship, person=pair.person)
    },
)
