"""Who is calling the API: the viewer behind a token. (A service's refusal needs no helper: the API's
error handler answers it by the one conflict policy, mentora.core.refusals.STATE_CONFLICTS.)"""

from django.utils.translation import gettext as _

from mentora.api.errors import ApiError
from mentora.core.roles import Viewer, request_viewer


def api_viewer(request) -> Viewer:
    viewer = request_viewer(request)
    if viewer.person is None:
        raise ApiError(403, "no_person", _("Your account is not linked to a person in any organisation."))
    return viewer
