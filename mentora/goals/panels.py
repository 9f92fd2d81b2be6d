from django.utils.translation import gettext_lazy as _

from mentora.goals.selectors import goal_cards_for_relationship
from mentora.workspace.panels import register

register(
    "goals",
    order=20,
    title=_("Goals"),
    template="goals/_panel.html",
    context=lambda pair: {"goals": goal_cards_for_relationship(relationship=pair.relationship)},
)
