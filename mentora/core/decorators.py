from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from mentora.core.roles import request_viewer


def person_required(view):
    """Signed in and linked to a person of an organisation: what every people page needs."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request_viewer(request).person is None:
            raise PermissionDenied(_("Your account is not linked to a person in any organisation."))
        return view(request, *args, **kwargs)

    return wrapped
