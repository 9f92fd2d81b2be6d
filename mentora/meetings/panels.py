from django.utils.translation import gettext_lazy as _

from mentora.meetings.selectors import MEETINGS_IN_PANEL, meetings_for_pair
from mentora.workspace.panels import register

register(
    "meetings",
    order=30,
    title=_("Meetings"),
    template="meetings/_panel.html",
    context=lambda pair: {
        "meetings": meetings_for_pair(relationship=pair.relationship),
        "meetings_in_panel": MEETINGS_IN_PANEL,
    },
)
