"""People pages: parse input, call a selector or a service, render. Rules live in permissions.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentora.core.decorators import person_required
from mentora.core.forms import apply_service_errors
from mentora.core.htmx import render_page_or_fragment
from mentora.core.roles import request_viewer
from mentora.core.sorting import sorting_for
from mentora.people import selectors, services
from mentora.people.forms import (
    DemographicsForm,
    OfferedSkillForm,
    PersonFilterForm,
    PersonForm,
    ProfileForm,
    SelfAssessedSkillForm,
    SelfAssessmentForm,
    WantedSkillForm,
    skill_formset,
)
from mentora.people.models import Person
from mentora.people.permissions import Access, can_edit_person, person_access


@person_required
def person_list(request):
    """Full page, or only the table for htmx requests (search as you type, filters, paging)."""
    viewer = request_viewer(request)
    form = PersonFilterForm(request.GET, viewer=viewer)
    sorting = sorting_for(request, columns=selectors.person_sorts(viewer), default="name")
    result = selectors.person_page(
        viewer=viewer,
        filters=form.filters(),
        page_number=request.GET.get("page"),
        order_by=sorting.order_by,
        # The table shows no wanted skill, language or manager.
        full_profiles=False,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "result": result,
        "query": query.urlencode(),
        "Access": Access,
        "sorting": sorting,
    }
    return render_page_or_fragment(
        request, page="people/person_list.html", fragment="people/_person_table.html", context=context
    )


def _render_person(request, person: Person):
    viewer = request_viewer(request)
    access = person_access(viewer, person)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "access": access,
            "Access": Access,
            "can_edit": can_edit_person(viewer, person),
            "completeness": selectors.profile_completeness(person=person) if access == Access.SELF else None,
            "hr_history": (
                selectors.person_hr_history(viewer=viewer, person=person, limit=selectors.HR_HISTORY_ON_PAGE)
                if access >= Access.TEAM
                else None
            ),
        },
    )


@person_required
def person_detail(request, pk: int):
    return _render_person(request, selectors.person_get(viewer=request_viewer(request), person_id=pk))


@person_required
def my_profile(request):
    viewer = request_viewer(request)
    return _render_person(request, selectors.person_get(viewer=viewer, person_id=viewer.person.pk))


@person_required
def person_edit(request, pk: int):
    viewer = request_viewer(request)
    person = selectors.person_get(viewer=viewer, person_id=pk)
    if not can_edit_person(viewer, person):
        raise PermissionDenied(_("Only program managers and org admins may edit people."))
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=viewer, person=person, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@person_required
def profile_edit(request):
    viewer = request_viewer(request)
    person = selectors.person_get(viewer=viewer, person_id=viewer.person.pk)
    org_id = person.organisation_id
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, instance=person)
    offered = skill_formset(
        OfferedSkillForm,
        prefix="offered",
        organisation_id=org_id,
        data=data,
        initial=[{"skill": row.skill, "level": row.level} for row in person.offered_skills.all()],
    )
    wanted = skill_formset(
        WantedSkillForm,
        prefix="wanted",
        organisation_id=org_id,
        data=data,
        initial=[{"skill": row.skill, "priority": row.priority} for row in person.wanted_skills.all()],
    )
    if data is not None and all([form.is_valid(), offered.is_valid(), wanted.is_valid()]):
        try:
            services.profile_update(
                person=person,
                **form.service_kwargs(),
                offered_skills=offered.rows(),
                wanted_skills=wanted.rows(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, formsets={"offered_skills": offered, "wanted_skills": wanted})
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("people:me")
    return render(request, "people/profile_form.html", {"form": form, "offered": offered, "wanted": wanted})


@person_required
def self_assessment_edit(request):
    """Private: only the signed-in person reaches their own self-assessment; there is no other URL."""
    person = request_viewer(request).person
    assessment = selectors.self_assessment_get(person=person)
    data = request.POST if request.method == "POST" else None
    form = SelfAssessmentForm(data, instance=assessment)
    ratings = skill_formset(
        SelfAssessedSkillForm,
        prefix="ratings",
        organisation_id=person.organisation_id,
        data=data,
        initial=[{"skill": r.skill, "level": r.level} for r in assessment.ratings.all()]
        if assessment
        else [],
    )
    if data is not None and form.is_valid() and ratings.is_valid():
        try:
            services.self_assessment_update(
                person=person, reflection=form.cleaned_data["reflection"], ratings=ratings.rows()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, formsets={"ratings": ratings})
        else:
            messages.success(request, _("Your self-assessment is saved."))
            return redirect("people:self_assessment")
    return render(
        request,
        "people/self_assessment_form.html",
        {"form": form, "ratings": ratings, "assessment": assessment},
    )


@person_required
def demographics_edit(request):
    """Private and optional: nothing is stored without consent; withdrawing deletes it."""
    person = request_viewer(request).person
    profile = selectors.demographics_get(person=person)
    form = DemographicsForm(
        request.POST if request.method == "POST" else None,
        instance=profile,
        initial={"consent": profile is not None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.demographics_set(person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your answers are saved."))
            return redirect("people:demographics")
    return render(request, "people/demographics_form.html", {"form": form, "profile": profile})


@require_POST
@person_required
def demographics_withdraw(request):
    services.demographics_withdraw(person=request_viewer(request).person)
    messages.success(request, _("Consent withdrawn: your answers are deleted."))
    return redirect("people:demographics")
