from django.utils.translation import gettext_lazy as _

from mentora.advocacy.selectors import advocacy_actions_for
from mentora.workspace.panels import register


def _context(pair) -> dict:
    return {"actions": list(advocacy_actions_for(relationship=pair.relationship)[:5])}


register("advocacy", order=60, title=_("Advocacy"), template="advocacy/_panel.html", context=_context)
