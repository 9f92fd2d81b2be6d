"""The agreement, the first-meeting agenda, and the endings (close, confirm or dispute a
closure, the no-fault exit) or extending: pages inside the pair's space. Views parse input, call
one service, answer (full page, or the fragment for htmx)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentora.agreements import closure, selectors, services
from mentora.agreements.forms import (
    AgreementForm,
    CloseForm,
    EndForm,
    ExtendForm,
    ReflectionForm,
    VersionForm,
)
from mentora.agreements.models import AgendaStep
from mentora.core.forms import apply_service_errors, flash_refusal, refusal_text
from mentora.core.htmx import wants_fragment
from mentora.workspace.access import request_pair


def _agreement_context(pair, form=None, stale=None) -> dict:
    agreement = selectors.agreement_for(relationship=pair.relationship)
    return {
        "pair": pair,
        "relationship": pair.relationship,
        "agreement": agreement,
        "agenda": selectors.agenda_for(agreement=agreement),
        "form": form or AgreementForm(instance=agreement, initial={"version": agreement.version}),
        "stale": stale,
        "my_confirmation": agreement.confirmed_at(pair.side),
        "partner_confirmation": agreement.confirmed_at("mentee" if pair.side == "mentor" else "mentor"),
    }


@login_required
def agreement(request, relationship_id: int):
    pair = request_pair(request, relationship_id)
    if request.method != "POST":
        return render(request, "agreements/agreement.html", _agreement_context(pair))
    form = AgreementForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_update(
                relationship=pair.relationship,
                person=pair.person,
                expected_version=data.pop("version"),
                fields=data,
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "stale":
                # Keep what they typed; show the saved version beside it. Saving again (on purpose,
                # after reading it) applies their text over the current version.
                data = request.POST.copy()
                data["version"] = selectors.agreement_for(relationship=pair.relationship).version
                form = AgreementForm(data)
                form.is_valid()
                return render(
                    request,
                    "agreements/agreement.html",
                    _agreement_context(pair, form=form, stale=refusal_text(error)),
                    status=409,
                )
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Agreement saved. Your partner is asked to read and confirm it."))
            return redirect("agreements:agreement", relationship_id)
    return render(request, "agreements/agreement.html", _agreement_context(pair, form=form), status=400)


@login_required
@require_POST
def agreement_confirm(request, relationship_id: int):
    pair = request_pair(request, relationship_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("agreements:agreement", relationship_id)
    try:
        agreement = services.agreement_confirm(
            relationship=pair.relationship, person=pair.person, expected_version=form.cleaned_data["version"]
        )
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        if agreement.is_confirmed:
            messages.success(request, _("You have both confirmed the agreement. Enjoy your first meeting!"))
        else:
            messages.success(request, _("Confirmed. Your partner is asked to confirm too."))
    return redirect("agreements:agreement", relationship_id)


@login_required
@require_POST
def agenda_step(request, relationship_id: int, step: str):
    pair = request_pair(request, relationship_id)
    error = None
    if step not in AgendaStep.values:
        error = _("Unknown agenda step.")
    else:
        try:
            services.agenda_step_set(
                relationship=pair.relationship,
                person=pair.person,
                step=step,
                done=request.POST.get("done") == "1",
            )
        except ValidationError as exc:
            error = refusal_text(exc)
    if wants_fragment(request):
        agreement = selectors.agreement_for(relationship=pair.relationship)
        return render(
            request,
            "agreements/_agenda.html",
            {"pair": pair, "agenda": selectors.agenda_for(agreement=agreement), "agenda_error": error},
        )
    if error:
        messages.error(request, error)
    return redirect("agreements:agreement", relationship_id)


# ---------------------------------------------------------------------------------- closure


def _closure_context(pair, **forms) -> dict:
    relationship = pair.relationship
    reflections = selectors.reflections_for(relationship=relationship)
    mine = next((r for r in reflections if r.author_id == pair.person.pk), None)
    return {
        "pair": pair,
        "relationship": relationship,
        "closure": selectors.closure_for(relationship=relationship),
        "ends_on": relationship.ends_on,
        "reflections": reflections,
        "close_form": forms.get("close_form") or CloseForm(),
        "extend_form": forms.get("extend_form") or ExtendForm(),
        "reflection_form": forms.get("reflection_form")
        or ReflectionForm(initial={"learned": mine.learned if mine else ""}),
    }


@login_required
def closure_page(request, relationship_id: int):
    pair = request_pair(request, relationship_id)
    return render(request, "agreements/closure.html", _closure_context(pair))


@login_required
@require_POST
def closure_close(request, relationship_id: int):
    pair = request_pair(request, relationship_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            record = closure.relationship_close_with_reason(
                relationship=pair.relationship,
                person=pair.person,
                reason=form.cleaned_data["reason"],
                learned=form.cleaned_data["learned"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if record.is_pending:
                messages.success(request, _("Your partner is asked to confirm that your goals are met."))
            else:
                messages.success(
                    request, _("The relationship is closed and kept as history. Thank you both.")
                )
            return redirect("agreements:closure", relationship_id)
    return render(request, "agreements/closure.html", _closure_context(pair, close_form=form), status=400)


@login_required
@require_POST
def closure_extend(request, relationship_id: int):
    pair = request_pair(request, relationship_id)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            extension = closure.relationship_extend(
                relationship=pair.relationship, person=pair.person, ends_on=form.cleaned_data["ends_on"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Extended until %(date)s.") % {"date": extension.ends_on.strftime("%d %B %Y")}
            )
            return redirect("agreements:closure", relationship_id)
    return render(request, "agreements/closure.html", _closure_context(pair, extend_form=form), status=400)


@login_required
@require_POST
def closure_reflection(request, relationship_id: int):
    pair = request_pair(request, relationship_id)
    form = ReflectionForm(request.POST)
    if form.is_valid():
        try:
            closure.reflection_save(
                relationship=pair.relationship, person=pair.person, learned=form.cleaned_data["learned"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your reflection is saved."))
            return redirect("agreements:closure", relationship_id)
    return render(
        request, "agreements/closure.html", _closure_context(pair, reflection_form=form), status=400
    )


@login_required
@require_POST
def closure_confirm(request, relationship_id: int):
    pair = request_pair(request, relationship_id)
    try:
        closure.closure_confirm(relationship=pair.relationship, person=pair.person)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("The relationship is closed and kept as history. Thank you both."))
    return redirect("agreements:closure", relationship_id)


@login_required
@require_POST
def closure_dispute(request, relationship_id: int):
    pair = request_pair(request, relationship_id)
    try:
        closure.closure_dispute(relationship=pair.relationship, person=pair.person)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("The relationship continues. Your partner is told."))
    return redirect("agreements:closure", relationship_id)


@login_required
def relationship_end(request, relationship_id: int):
    pair = request_pair(request, relationship_id)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closure.relationship_end_no_fault(
                relationship=pair.relationship, person=pair.person, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The relationship has ended. Thank you for the time you gave it; nobody is at fault."),
            )
            return redirect("relationships:mine")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "agreements/end.html",
        {"pair": pair, "relationship": pair.relationship, "form": form},
        status=status,
    )
