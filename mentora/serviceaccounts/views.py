"""The org admin's "Service accounts" page: make one (its token shown once), see when each was last
used, revoke."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mentora.core.decorators import person_required
from mentora.core.forms import apply_service_errors
from mentora.core.roles import Viewer, request_viewer
from mentora.serviceaccounts import selectors, services
from mentora.serviceaccounts.models import MAX_DAYS, ServiceAccount
from mentora.serviceaccounts.scopes import SCOPES

LIFETIME_CHOICES = [
    (30, gettext_lazy("30 days")),
    (90, gettext_lazy("90 days")),
    (180, gettext_lazy("180 days")),
    (MAX_DAYS, gettext_lazy("1 year")),
]


class ServiceAccountForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=ServiceAccount._meta.get_field("name").max_length,
        help_text=gettext_lazy("What will use it, e.g. “Workday sync”."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("What it may do"),
        choices=[(scope, f"{scope}: {text}") for scope, text in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Expires after"), choices=LIFETIME_CHOICES, coerce=int, initial=90
    )


def _org_admin(request: HttpRequest) -> Viewer:
    viewer = request_viewer(request)
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may manage service accounts."))
    return viewer


@person_required
def accounts(request: HttpRequest) -> HttpResponse:
    viewer = _org_admin(request)
    form = ServiceAccountForm(request.POST if request.method == "POST" else None)
    raw = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _account, raw = services.service_account_create(
                actor=viewer,
                name=data["name"],
                scopes=data["scopes"],
                expires_at=timezone.now() + timedelta(days=data["days"]),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            form = ServiceAccountForm()
    context = {
        "form": form,
        "raw": raw,
        "accounts": selectors.service_account_list(organisation_id=viewer.organisation_id),
        "now": timezone.now(),
    }
    return render(request, "serviceaccounts/accounts.html", context)


@require_POST
@person_required
def account_revoke(request: HttpRequest, account_id: int) -> HttpResponse:
    viewer = _org_admin(request)
    try:
        services.service_account_revoke(actor=viewer, account_id=account_id)
    except ServiceAccount.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Service account revoked: its token no longer works."))
    return redirect("serviceaccounts:accounts")
