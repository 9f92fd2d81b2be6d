"""The "API tokens" page: create a personal token (shown once) and revoke tokens."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mentora.api.models import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, ApiToken, TokenScope
from mentora.api.selectors import api_token_list
from mentora.api.services import api_token_create, api_token_revoke

LIFETIME_CHOICES = [(7, gettext_lazy("7 days")), (30, gettext_lazy("30 days")), (90, gettext_lazy("90 days"))]
LIFETIME_CHOICES += [(180, gettext_lazy("180 days")), (MAX_TOKEN_DAYS, gettext_lazy("1 year"))]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Token name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=gettext_lazy("What will use it, e.g. “HR sync script”."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Access"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("A read-only token can read what you can read, and change nothing."),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Expires after"), choices=LIFETIME_CHOICES, coerce=int, initial=DEFAULT_TOKEN_DAYS
    )


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = api_token_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            form = ApiTokenForm()
    context = {"form": form, "raw": raw, "tokens": api_token_list(user=request.user), "now": timezone.now()}
    return render(request, "api/tokens.html", context)


@require_POST
@login_required
def api_token_delete(request, token_id: int):
    try:
        api_token_revoke(user=request.user, token_id=token_id)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Token revoked."))
    return redirect("api_tokens")
