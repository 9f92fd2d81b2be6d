from django.utils.translation import gettext_lazy as _

from mentora.checkins.selectors import answered_count_for_pair, pending_checkin_for_pair
from mentora.workspace.panels import register


def _context(pair) -> dict:
    return {
        "pending_checkins": pending_checkin_for_pair(relationship=pair.relationship, person=pair.person),
        "answered_checkins": answered_count_for_pair(relationship=pair.relationship, person=pair.person),
    }


register("checkins", order=50, title=_("Check-ins"), template="checkins/_panel.html", context=_context)
