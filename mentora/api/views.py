"""The "API tokens" page: create a personal token (shown once) and revoke tokens."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mentora.api.models import ApiToken
from mentora.api.selectors import api_token_list
from mentora.api.services import api_token_create, api_token_revoke


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Token name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=gettext_lazy("What will use it, e.g. “HR sync script”."),
    )


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _token, raw = api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    return render(
        request, "api/tokens.html", {"form": form, "raw": raw, "tokens": api_token_list(user=request.user)}
    )


@require_POST
@login_required
def api_token_delete(request, token_id: int):
    try:
        api_token_revoke(user=request.user, token_id=token_id)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Token revoked."))
    return redirect("api_tokens")
