"""Mentee choice pages: a mentee's shortlist, a mentor's public profile and the request; a mentor's
incoming requests, with accept/decline and their capacity and pause.

Views parse input, call one service and answer; anything out of the viewer's reach is a 404.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mentora.core.decorators import person_required
from mentora.core.forms import apply_service_errors, flash_refusal
from mentora.core.roles import request_viewer
from mentora.pairing import choose_selectors as selectors
from mentora.pairing import choose_services as services
from mentora.people.models import Person
from mentora.programs.forms import AvailabilityForm
from mentora.programs.models import EnrolmentRole, Program
from mentora.programs.services import mentor_availability_set
from mentora.relationships.selectors import mentor_rooms


class RequestForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("A short note for the mentor (optional)"),
        required=False,
        max_length=services.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What you hope to learn, in a few sentences. At most 500 characters."),
    )


def _mentee_program(request, pk: int) -> tuple[Program, Person]:
    """A choose program in which the viewer is an approved mentee; 404 otherwise."""
    viewer = request_viewer(request)
    program = selectors.program_get_for_participant(viewer=viewer, program_id=pk)
    if selectors.approved_enrolment(program=program, person=viewer.person, role=EnrolmentRole.MENTEE) is None:
        raise Http404
    return program, viewer.person


def _mentor_program(request, pk: int):
    viewer = request_viewer(request)
    program = selectors.program_get_for_participant(viewer=viewer, program_id=pk)
    enrolment = selectors.approved_enrolment(program=program, person=viewer.person, role=EnrolmentRole.MENTOR)
    if enrolment is None:
        raise Http404
    return program, enrolment


@person_required
def choose_home(request):
    viewer = request_viewer(request)
    return render(request, "pairing/choose_home.html", selectors.choose_programs_for(person=viewer.person))


@person_required
def choose_shortlist(request, pk: int):
    program, mentee = _mentee_program(request, pk)
    context = {"program": program, "is_choose": selectors.is_choose_program(program)}
    if context["is_choose"]:
        context["open_request"] = selectors.open_request_of(program=program, mentee=mentee)
        if context["open_request"] is None and selectors.matched_by_manager(program=program, mentee=mentee):
            context["matched_by_manager"] = services.MATCHED_BY_MANAGER
        elif context["open_request"] is None:
            shortlist = selectors.shortlist_for(program=program, mentee=mentee)
            services.shortlist_exposure_record(
                program=program, mentee=mentee, mentor_ids=[item.mentor.person_id for item in shortlist.items]
            )
            context["shortlist"] = shortlist
    return render(request, "pairing/choose_shortlist.html", context)


def _mentor_page(request, program: Program, mentor_id: int, form: RequestForm, status: int = 200):
    viewer = request_viewer(request)
    mentor = selectors.mentor_profile_get(program=program, mentor_id=mentor_id)
    is_mentee = (
        selectors.approved_enrolment(program=program, person=viewer.person, role=EnrolmentRole.MENTEE)
        is not None
    )
    open_request = selectors.open_request_of(program=program, mentee=viewer.person) if is_mentee else None
    matched = (
        is_mentee
        and open_request is None
        and selectors.matched_by_manager(program=program, mentee=viewer.person)
    )
    return render(
        request,
        "pairing/choose_mentor.html",
        {
            "program": program,
            "mentor": mentor,
            "form": form,
            "may_request": is_mentee
            and selectors.is_choose_program(program)
            and open_request is None
            and not matched
            and mentor.person_id != viewer.person.pk,
            "open_request": open_request,
            "matched_by_manager": services.MATCHED_BY_MANAGER if matched else "",
        },
        status=status,
    )


@person_required
def choose_mentor(request, pk: int, mentor_id: int):
    program = selectors.program_get_for_profiles(viewer=request_viewer(request), program_id=pk)
    return _mentor_page(request, program, mentor_id, RequestForm())


@person_required
@require_POST
def choose_request(request, pk: int, mentor_id: int):
    program, mentee = _mentee_program(request, pk)
    selectors.mentor_profile_get(program=program, mentor_id=mentor_id)
    form = RequestForm(request.POST)
    if form.is_valid():
        mentor = get_object_or_404(Person, pk=mentor_id, organisation_id=program.organisation_id)
        try:
            services.mentor_request_create(
                program=program, mentee=mentee, mentor=mentor, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your request was sent to %(name)s. We will let you know their answer.")
                % {"name": mentor.full_name},
            )
            return redirect("pairing:choose_shortlist", pk=program.pk)
    return _mentor_page(request, program, mentor_id, form, status=400)


@person_required
def choose_request_mentee(request, request_id: int):
    """For the mentor a mentee asked: what the mentee wants to grow (their goals and wanted skills)."""
    mentee = selectors.requesting_mentee_get(viewer=request_viewer(request), request_id=request_id)
    return render(request, "pairing/choose_request_mentee.html", {"mentee": mentee})


@person_required
@require_POST
def choose_withdraw(request, request_id: int):
    viewer = request_viewer(request)
    mentor_request = selectors.request_get_for_mentee(viewer=viewer, request_id=request_id)
    try:
        services.mentor_request_withdraw(request=mentor_request, mentee=viewer.person)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("Your request is withdrawn. You can choose another mentor."))
    return redirect("pairing:choose_shortlist", pk=mentor_request.program_id)


def _requests_page(request, program: Program, enrolment, availability_form=None, status: int = 200):
    return render(
        request,
        "pairing/choose_requests.html",
        {
            "program": program,
            "enrolment": enrolment,
            "requests": selectors.requests_for_mentor(mentor=enrolment.person, program=program),
            "room": mentor_rooms(program=program).get(enrolment.person_id),
            "availability_form": availability_form
            or AvailabilityForm(
                initial={"capacity": enrolment.capacity, "paused_until": enrolment.paused_until}
            ),
        },
        status=status,
    )


@person_required
def choose_requests(request, pk: int):
    program, enrolment = _mentor_program(request, pk)
    return _requests_page(request, program, enrolment)


@person_required
@require_POST
def choose_availability(request, pk: int):
    program, enrolment = _mentor_program(request, pk)
    form = AvailabilityForm(request.POST)
    if form.is_valid():
        try:
            mentor_availability_set(
                enrolment=enrolment,
                capacity=form.cleaned_data["capacity"],
                paused_until=form.cleaned_data["paused_until"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your availability is saved."))
            return redirect("pairing:choose_requests", pk=program.pk)
    return _requests_page(request, program, enrolment, availability_form=form, status=400)


def _answer(request, request_id: int, *, accept: bool):
    viewer = request_viewer(request)
    mentor_request = selectors.request_get_for_mentor(viewer=viewer, request_id=request_id)
    try:
        services.mentor_request_answer(request=mentor_request, mentor=viewer.person, accept=accept)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        name = mentor_request.mentee.full_name
        if accept:
            messages.success(
                request, _("You accepted %(name)s: your relationship has started.") % {"name": name}
            )
        else:
            messages.success(
                request,
                _("You declined %(name)s's request. Nobody is at fault; they can choose another mentor.")
                % {"name": name},
            )
    return redirect("pairing:choose_requests", pk=mentor_request.program_id)


@person_required
@require_POST
def choose_accept(request, request_id: int):
    return _answer(request, request_id, accept=True)


@person_required
@require_POST
def choose_decline(request, request_id: int):
    return _answer(request, request_id, accept=False)
