from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from mentora.core.decorators import person_required
from mentora.core.htmx import render_page_or_fragment
from mentora.core.roles import request_viewer
from mentora.notifications.forms import PreferencesForm
from mentora.notifications.selectors import preferences_for
from mentora.notifications.services import preferences_update


@person_required
def preferences(request):
    person = request_viewer(request).person
    form = PreferencesForm(request.POST or None, instance=preferences_for(person=person))
    if request.method == "POST" and form.is_valid():
        preferences_update(person=person, **form.cleaned_data)
        messages.success(request, _("Your email preferences are saved."))
        return redirect("notifications:preferences")
    return render_page_or_fragment(
        request,
        page="notifications/preferences.html",
        fragment="notifications/_preferences_form.html",
        context={"form": form},
    )
