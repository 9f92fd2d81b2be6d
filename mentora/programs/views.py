"""Program pages: design and fill a program (managers), find and join one (participants).

Views parse input, call one service, and answer; anything out of the viewer's reach is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from mentora.api.schemas import ID_MAX
from mentora.core.forms import apply_service_errors, flash_refusal, refusal_text
from mentora.core.htmx import render_page_or_fragment, wants_fragment
from mentora.core.roles import request_viewer
from mentora.core.sorting import sorting_for
from mentora.organisations.models import Role
from mentora.people.models import Person
from mentora.programs import invitations, selectors, services
from mentora.programs.forms import (
    AvailabilityForm,
    CurriculumForm,
    EnrolForm,
    ManagerAddForm,
    ProgramForm,
    QuestionForm,
    StatusForm,
)
from mentora.programs.models import Enrolment, EnrolmentRole, EnrolmentStatus, Program, ProgramStatus
from mentora.programs.permissions import can_create_program, can_manage_program
from mentora.programs.sections import ENROLMENTS_CHANGED, MANAGE, render_sections


def _managed(request, pk: int) -> Program:
    return selectors.program_get_managed(viewer=request_viewer(request), program_id=pk)


@login_required
def program_list(request):
    viewer = request_viewer(request)
    return render(
        request,
        "programs/program_list.html",
        {
            "managed": selectors.program_list_managed(viewer=viewer),
            "open_to_me": selectors.program_list_open_to(person=viewer.person),
            "can_create": can_create_program(viewer),
        },
    )


@login_required
def program_create(request):
    viewer = request_viewer(request)
    if not can_create_program(viewer):
        raise Http404
    form = ProgramForm(request.POST or None, organisation=viewer.person.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(actor=viewer.person, values=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Program created as a draft. Add its intake questions next."))
            return redirect("programs:questionnaire", pk=program.pk)
    return render(request, "programs/program_form.html", {"form": form, "program": None})


@login_required
def program_edit(request, pk: int):
    program = _managed(request, pk)
    form = ProgramForm(request.POST or None, instance=program, organisation=program.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update(program=Program.objects.get(pk=program.pk), values=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Program saved."))
            return redirect("programs:manage", pk=program.pk)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


@login_required
@require_POST
def program_delete(request, pk: int):
    program = _managed(request, pk)
    try:
        services.program_delete(program=program)
    except ValidationError as error:
        flash_refusal(request, error)
        return redirect("programs:manage", pk=program.pk)
    messages.success(request, _("Program deleted."))
    return redirect("programs:list")


@login_required
@require_POST
def program_status(request, pk: int):
    program = _managed(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            program = services.program_set_status(program=program, status=form.cleaned_data["status"])
        except ValidationError as error:
            flash_refusal(request, error)
        else:
            messages.success(
                request, _("The program is now “%(status)s”.") % {"status": program.get_status_display()}
            )
    return redirect("programs:manage", pk=program.pk)


def _manage_context(request, program: Program) -> dict:
    pending = selectors.enrolment_list(program=program, status=EnrolmentStatus.APPLIED)
    return {
        "program": program,
        "pending": pending[: selectors.PENDING_ON_MANAGE_PAGE],
        "pending_count": pending.count(),
        "managers": selectors.program_managers(program=program),
        "manager_form": ManagerAddForm(candidates=_manager_candidates(program)),
        "next_statuses": [ProgramStatus(status) for status in services.TRANSITIONS[program.status]],
        "sections": render_sections(page=MANAGE, program=program, request=request),
    }


def _manager_candidates(program: Program):
    return (
        Person.objects.filter(
            organisation_id=program.organisation_id,
            role_memberships__role__in=[Role.PROGRAM_MANAGER, Role.ORG_ADMIN],
        )
        .exclude(managed_programs__program=program)
        .distinct()
        .order_by("full_name")
    )


@login_required
def program_manage(request, pk: int):
    program = _managed(request, pk)
    return render(request, "programs/program_manage.html", _manage_context(request, program))


@login_required
@require_POST
def program_manager_add(request, pk: int):
    program = _managed(request, pk)
    form = ManagerAddForm(request.POST, candidates=_manager_candidates(program))
    if form.is_valid():
        try:
            services.program_manager_add(program=program, person=form.cleaned_data["person"])
        except ValidationError as error:
            flash_refusal(request, error)
        else:
            messages.success(request, _("Manager added."))
    else:
        messages.error(request, _("Pick a program manager of your organisation."))
    return redirect("programs:manage", pk=program.pk)


@login_required
def program_questionnaire(request, pk: int):
    program = _managed(request, pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.intake_question_add(program=program, values=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Question added."))
            return redirect("programs:questionnaire", pk=program.pk)
    return render(
        request,
        "programs/questionnaire.html",
        {"program": program, "questions": selectors.questions_for(program=program), "form": form},
    )


@login_required
def question_edit(request, pk: int, question_id: int):
    program = _managed(request, pk)
    question = get_object_or_404(program.questions, pk=question_id)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.intake_question_update(
                question=program.questions.get(pk=question_id), values=form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Question saved."))
            return redirect("programs:questionnaire", pk=program.pk)
    return render(
        request, "programs/question_form.html", {"program": program, "form": form, "question": question}
    )


@login_required
@require_POST
def question_delete(request, pk: int, question_id: int):
    program = _managed(request, pk)
    question = get_object_or_404(program.questions, pk=question_id)
    try:
        services.intake_question_delete(question=question)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("Question deleted."))
    return redirect("programs:questionnaire", pk=program.pk)


@login_required
def program_curriculum(request, pk: int):
    program = _managed(request, pk)
    initial = "\n".join(
        f"{item.title}: {item.description}" if item.description else item.title
        for item in program.curriculum_items.all()
    )
    form = CurriculumForm(request.POST or None, initial={"items": initial})
    if request.method == "POST" and form.is_valid():
        try:
            services.program_set_curriculum(program=program, items=form.cleaned_data["items"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Curriculum saved."))
            return redirect("programs:manage", pk=program.pk)
    return render(request, "programs/curriculum.html", {"program": program, "form": form})


# The enrolments page's sortable columns (mentora.core.sorting): key → ordering.
ENROLMENT_SORTS = {
    "person": ("person__full_name", "id"),
    "role": ("role", "person__full_name", "id"),
    "department": ("person__department__name", "person__full_name", "id"),
    "seniority": ("person__seniority", "person__full_name", "id"),
    "status": ("status", "role", "person__full_name", "id"),
}


@login_required
def enrolment_list(request, pk: int):
    program = _managed(request, pk)
    status = request.GET.get("status") or None
    if status not in (None, *EnrolmentStatus.values):
        status = None
    sorting = sorting_for(request, columns=ENROLMENT_SORTS, default="status")
    enrolments = selectors.enrolment_list(program=program, status=status).order_by(*sorting.order_by)
    page = Paginator(enrolments, selectors.ENROLMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "program": program,
        "enrolments": page,
        "page": page,
        "sorting": sorting,
        "status": status,
        "statuses": EnrolmentStatus.choices,
    }
    return render_page_or_fragment(
        request, page="programs/enrolment_list.html", fragment="programs/_enrolments.html", context=context
    )


@login_required
def enrolment_detail(request, pk: int, enrolment_id: int):
    viewer = request_viewer(request)
    program = get_object_or_404(Program, pk=pk, organisation_id=viewer.organisation_id or -1)
    enrolment = selectors.enrolment_get_for_viewer(viewer=viewer, program=program, enrolment_id=enrolment_id)
    return render(
        request,
        "programs/enrolment_detail.html",
        {
            "program": program,
            "enrolment": enrolment,
            "answers": selectors.enrolment_answers(enrolment=enrolment),
            "is_manager": can_manage_program(viewer, program),
        },
    )


@login_required
@require_POST
def enrolment_decide(request, pk: int, enrolment_id: int):
    program = _managed(request, pk)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("person"), pk=enrolment_id, program=program
    )
    approve = request.POST.get("decision") == "approve"
    decided = False
    try:
        enrolment = services.enrolment_decide(
            enrolment=enrolment, actor=request_viewer(request).person, approve=approve
        )
        decided = True
    except ValidationError as error:
        flash_refusal(request, error)
    if wants_fragment(request):
        enrolment = Enrolment.objects.select_related("person__department").get(pk=enrolment.pk)
        response = render(
            request, "programs/_enrolment_row.html", {"program": program, "enrolment": enrolment}
        )
        # The panels counting enrolments (who is missing, who is free) fetch themselves again.
        return trigger_client_event(response, ENROLMENTS_CHANGED) if decided else response
    return redirect("programs:manage", pk=program.pk)


@login_required
@require_POST
def enrolments_decide(request, pk: int):
    """Approve or decline the ticked applications at once; says what happened to each."""
    program = _managed(request, pk)
    try:
        enrolment_ids = [int(value) for value in request.POST.getlist("enrolment_ids")]
    except ValueError:
        enrolment_ids = [0]
    if not all(1 <= enrolment_id <= ID_MAX for enrolment_id in enrolment_ids):
        raise BadRequest(_("Pick applications from the list."))
    try:
        outcomes = services.enrolments_decide(
            program=program,
            actor=request_viewer(request).person,
            enrolment_ids=enrolment_ids,
            approve=request.POST.get("decision") == "approve",
        )
    except ValidationError as error:
        if getattr(error, "code", None) == "unknown_enrolments":
            raise Http404 from None
        flash_refusal(request, error)
    else:
        for outcome, names in _names_by_outcome(outcomes).items():
            messages.success(request, DECISION_REPORTS[outcome] % {"names": ", ".join(names)})
    return redirect(
        "programs:enrolments" if request.POST.get("back") == "enrolments" else "programs:manage", pk=pk
    )


# How a bulk decision reports each group of applications.
DECISION_REPORTS = {
    EnrolmentStatus.APPROVED: _lazy("Approved: %(names)s."),
    EnrolmentStatus.DECLINED: _lazy("Declined: %(names)s."),
    "already_decided": _lazy("Already decided, left as they were: %(names)s."),
}


def _names_by_outcome(outcomes: list[services.DecisionOutcome]) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for outcome in outcomes:
        names.setdefault(outcome.outcome, []).append(outcome.enrolment.person.full_name)
    return names


@login_required
def program_detail(request, pk: int):
    viewer = request_viewer(request)
    program = selectors.program_get_visible(viewer=viewer, program_id=pk)
    mine = selectors.enrolments_of(person=viewer.person, program=program) if viewer.person else []
    availability_forms = [
        (
            enrolment,
            AvailabilityForm(
                initial={"capacity": enrolment.capacity, "paused_until": enrolment.paused_until},
                prefix=f"e{enrolment.pk}",
            ),
        )
        for enrolment in mine
        if enrolment.role == EnrolmentRole.MENTOR
    ]
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "mine": mine,
            "availability_forms": availability_forms,
            "reasons": selectors.ineligibility_reasons(
                program=program, person=viewer.person, role=EnrolmentRole.MENTEE
            )
            if viewer.person
            else [],
            "can_manage": can_manage_program(viewer, program),
        },
    )


def _enrol(request, program: Program, invitation=None):
    viewer = request_viewer(request)
    reasons = selectors.ineligibility_reasons(
        program=program, person=viewer.person, role=EnrolmentRole.MENTEE
    )
    may_mentor = not selectors.ineligibility_reasons(
        program=program, person=viewer.person, role=EnrolmentRole.MENTOR
    )
    questions = selectors.questions_for(program=program)
    form = EnrolForm(request.POST or None, program=program, questions=questions, may_mentor=may_mentor)
    if request.method == "POST" and form.is_valid():
        try:
            services.program_enrol(
                program=program,
                person=viewer.person,
                role=form.cleaned_data["role"],
                capacity=form.cleaned_data.get("capacity"),
                answers=form.answers(),
                invitation=invitation,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if invitation is not None:
                messages.success(request, _("Welcome! You are enrolled in this program."))
            else:
                messages.success(
                    request, _("Thank you! The program's managers will review your application.")
                )
            return redirect("programs:detail", pk=program.pk)
    return render(
        request,
        "programs/enrol.html",
        {
            "program": program,
            "form": form,
            "reasons": reasons,
            "is_open": program.status == ProgramStatus.OPEN,
            "invitation": invitation,
        },
    )


@login_required
def program_enrol(request, pk: int):
    viewer = request_viewer(request)
    program = selectors.program_get_visible(viewer=viewer, program_id=pk)
    return _enrol(request, program)


@login_required
def invitation_accept(request, token: str):
    viewer = request_viewer(request)
    try:
        invitation = invitations.invitation_resolve(token=token, person=viewer.person)
    except ValidationError as error:
        return render(
            request, "programs/invitation_invalid.html", {"message": refusal_text(error)}, status=400
        )
    return _enrol(request, invitation.program, invitation=invitation)


@login_required
@require_POST
def mentor_availability(request, pk: int, enrolment_id: int):
    viewer = request_viewer(request)
    program = selectors.program_get_visible(viewer=viewer, program_id=pk)
    enrolment = get_object_or_404(
        Enrolment, pk=enrolment_id, program=program, person=viewer.person, role=EnrolmentRole.MENTOR
    )
    form = AvailabilityForm(request.POST, prefix=f"e{enrolment.pk}")
    if form.is_valid():
        try:
            services.mentor_availability_set(
                enrolment=enrolment,
                capacity=form.cleaned_data["capacity"],
                paused_until=form.cleaned_data["paused_until"],
            )
        except ValidationError as error:
            flash_refusal(request, error)
        else:
            messages.success(request, _("Your availability is saved."))
    else:
        messages.error(request, _("Please give a capacity between 1 and 20 and a valid date."))
    return redirect("programs:detail", pk=program.pk)
