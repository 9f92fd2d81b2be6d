from django.utils.translation import gettext_lazy as _

from mentora.agreements.models import AgendaStep
from mentora.agreements.selectors import (
    agenda_for,
    agreement_for,
    closure_for,
    reflections_for,
)
from mentora.workspace.panels import register


def _agreement_context(pair) -> dict:
    agreement = agreement_for(relationship=pair.relationship)
    return {
        "agreement": agreement,
        "agenda_done": sum(item.done for item in agenda_for(agreement=agreement)),
        "agenda_total": len(AgendaStep),
    }


def _closure_context(pair) -> dict:
    return {
        "closure": closure_for(relationship=pair.relationship),
        "ends_on": pair.relationship.ends_on,
        "reflection_count": len(reflections_for(relationship=pair.relationship)),
    }


register(
    "agreement", order=10, title=_("Agreement"), template="agreements/_panel.html", context=_agreement_context
)
register(
    "closure",
    order=70,
    title=_("Closing"),
    template="agreements/_closure_panel.html",
    context=_closure_context,
)
