"""The privacy pages: a person's own data (readable and as JSON), and the org admin's privacy page
(retention periods, erasure with a confirmation step)."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mentora.core.decorators import person_required
from mentora.core.forms import apply_service_errors
from mentora.core.roles import Viewer, request_viewer
from mentora.privacy import selectors, services
from mentora.privacy.forms import ErasureFindForm, ErasureForm, RetentionForm
from mentora.privacy.permissions import require_org_admin
from mentora.privacy.readable import readable


def _org_admin(request) -> Viewer:
    return require_org_admin(request_viewer(request))


@require_GET
@person_required
def my_data(request):
    """Everything Mentora holds about the signed-in person, readable and printable."""
    person = request_viewer(request).person
    document = selectors.personal_data_export(person=person)
    services.data_export_record(person=person, request=request, fmt="html")
    return render(request, "privacy/my_data.html", {"sections": readable(document), "document": document})


@require_GET
@person_required
def my_data_json(request):
    """The same as a JSON file to download."""
    person = request_viewer(request).person
    document = selectors.personal_data_export(person=person)
    services.data_export_record(person=person, request=request, fmt="json")
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"mentora-my-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _admin_page(request, viewer: Viewer, *, retention_form=None, find_form=None, status: int = 200):
    policy = selectors.retention_policy_for(organisation_id=viewer.organisation_id)
    context = {
        "retention_form": retention_form or RetentionForm(policy=policy),
        "find_form": find_form or ErasureFindForm(),
        "policy": policy,
        "runs": selectors.retention_runs_recent(organisation_id=viewer.organisation_id),
        "erasures": selectors.erasures_recent(organisation_id=viewer.organisation_id),
    }
    return render(request, "privacy/admin.html", context, status=status)


@require_GET
@person_required
def admin(request):
    return _admin_page(request, _org_admin(request))


@require_http_methods(["POST"])
@person_required
def retention_update(request):
    viewer = _org_admin(request)
    policy = selectors.retention_policy_for(organisation_id=viewer.organisation_id)
    form = RetentionForm(request.POST, policy=policy)
    if form.is_valid():
        try:
            services.retention_policy_set(actor=viewer, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Retention periods saved. They are applied every night."))
            return redirect("privacy:admin")
    return _admin_page(request, viewer, retention_form=form, status=400)


@require_GET
@person_required
def erase_find(request):
    viewer = _org_admin(request)
    form = ErasureFindForm(request.GET)
    if form.is_valid():
        person = selectors.erasure_find(viewer=viewer, query=form.cleaned_data["person"])
        if person is not None:
            return redirect("privacy:erase", person_id=person.pk)
        form.add_error("person", _("Nobody of your organisation has this e-mail or employee id."))
    return _admin_page(request, viewer, find_form=form, status=400)


@require_http_methods(["GET", "POST"])
@person_required
def erase(request, person_id: int):
    """The confirmation step: what erasure removes and keeps, a reason, and an explicit yes."""
    viewer = _org_admin(request)
    candidate = selectors.erasure_candidate_get(viewer=viewer, person_id=person_id)
    form = ErasureForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.person_erase(
                    actor=viewer,
                    person_id=candidate.person.pk,
                    reason=form.cleaned_data["reason"],
                    confirmed=form.cleaned_data["confirm"],
                    request=request,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The person was erased. The audit log records it."))
                return redirect("privacy:admin")
        status = 400
    is_self = candidate.person.pk == viewer.person.pk
    return render(
        request,
        "privacy/erase.html",
        {"candidate": candidate, "form": form, "is_self": is_self},
        status=status,
    )
