from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentora.core.decorators import person_required
from mentora.core.forms import flash_refusal
from mentora.core.htmx import render_page_or_fragment
from mentora.core.roles import request_viewer
from mentora.notifications.forms import PreferencesForm
from mentora.notifications.nudges import pair_nudge_create
from mentora.notifications.selectors import preferences_for
from mentora.notifications.services import preferences_update
from mentora.programs.selectors import program_get_managed
from mentora.relationships.models import Relationship


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


@person_required
@require_POST
def pair_nudge(request, relationship_id: int):
    """A program manager nudges both sides of a pair of their program; back to the at-risk list."""
    viewer = request_viewer(request)
    relationship = get_object_or_404(
        Relationship.objects.select_related("mentor", "mentee"),
        pk=relationship_id,
        program__organisation_id=viewer.organisation_id,
    )
    program = program_get_managed(viewer=viewer, program_id=relationship.program_id)
    try:
        pair_nudge_create(relationship=relationship, actor=viewer.person)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(
            request,
            _("%(mentee)s and %(mentor)s are asked by e-mail how it is going.")
            % {"mentee": relationship.mentee.full_name, "mentor": relationship.mentor.full_name},
        )
    return redirect("checkins:at_risk", program_id=program.pk)
