"""Account pages: the lock-out explanation, the org admin's unlock page, sign-in e-mail changes."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentora.accounts import selectors, services
from mentora.core.decorators import person_required
from mentora.core.roles import request_viewer
from mentora.people.selectors import person_get


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers (429) to a sign-in of a locked-out account, on /accounts/login/ and
    /admin/login/ alike: why, and what to do."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


def _org_admin(request):
    viewer = request_viewer(request)
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may see and unlock locked accounts."))
    return viewer


@person_required
def lockout_list(request):
    viewer = _org_admin(request)
    rows = selectors.locked_accounts(organisation_id=viewer.organisation_id)
    return render(request, "registration/lockouts.html", {"rows": rows})


@require_POST
@person_required
def lockout_release(request, person_id: int):
    viewer = _org_admin(request)
    person = person_get(viewer=viewer, person_id=person_id)
    services.lockout_release(actor=viewer, person=person)
    messages.success(request, _("%(name)s can sign in again.") % {"name": person.full_name})
    return redirect("accounts:lockouts")
