"""Check-in pages: my pending check-ins and answering them; a program's settings, aggregates and
at-risk pairs for its managers (never an individual answer)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mentora.checkins import selectors, services
from mentora.checkins.forms import CheckinAnswerForm, CheckinScheduleForm, EndSurveyForm
from mentora.checkins.models import CheckinKind
from mentora.checkins.pair_health import at_risk_rows, pair_summary
from mentora.core.decorators import person_required
from mentora.core.forms import apply_service_errors
from mentora.core.htmx import render_page_or_fragment
from mentora.core.privacy import MIN_AGGREGATE_GROUP
from mentora.core.roles import request_viewer
from mentora.programs.sections import HEALTH, render_sections
from mentora.programs.selectors import program_get_managed


@person_required
def my_checkins(request):
    viewer = request_viewer(request)
    return render(
        request,
        "checkins/my_checkins.html",
        {
            "checkins": selectors.checkins_pending_for(person=viewer.person),
            "min_group_size": MIN_AGGREGATE_GROUP,
        },
    )


@person_required
def checkin_answer(request, checkin_id: int):
    viewer = request_viewer(request)
    checkin = selectors.checkin_get_for_respondent(person=viewer.person, checkin_id=checkin_id)
    end = checkin.kind == CheckinKind.END
    form = (EndSurveyForm if end else CheckinAnswerForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answer = services.checkin_answer_end if end else services.checkin_answer
        try:
            answer(checkin=checkin, person=viewer.person, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. Only you can see your answer."))
            return redirect("checkins:answer", checkin.pk)
    relationship = checkin.relationship
    partner = relationship.partner_of(viewer.person)
    return render(
        request,
        "checkins/answer.html",
        {
            "checkin": checkin,
            "partner": partner,
            "form": form,
            "answer": selectors.my_answer(checkin=checkin),
        },
        status=400 if request.method == "POST" else 200,
    )


@person_required
def program_checkins(request, program_id: int):
    program = program_get_managed(viewer=request_viewer(request), program_id=program_id)
    schedule = selectors.schedule_for(program=program)
    form = CheckinScheduleForm(request.POST or None, instance=schedule)
    if request.method == "POST" and form.is_valid():
        try:
            services.checkin_schedule_update(program=program, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Check-in settings saved."))
            return redirect("checkins:program", program.pk)
    services.checkin_periods_publish(program=program)
    return render(
        request,
        "checkins/program.html",
        {
            "program": program,
            "form": form,
            "aggregates": selectors.program_checkin_aggregates(program=program),
            "at_risk_count": selectors.at_risk_count(program=program),
            "sections": render_sections(page=HEALTH, program=program, request=request),
        },
        status=400 if request.method == "POST" else 200,
    )


@person_required
def program_at_risk(request, program_id: int):
    program = program_get_managed(viewer=request_viewer(request), program_id=program_id)
    return render_page_or_fragment(
        request,
        page="checkins/at_risk.html",
        fragment="checkins/_at_risk.html",
        context={
            "program": program,
            "pairs": Paginator(at_risk_rows(program=program), selectors.AT_RISK_PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "schedule": selectors.schedule_for(program=program),
        },
    )


@person_required
def program_pair(request, program_id: int, relationship_id: int):
    """One pair as its program's managers may see it: dates, counts and at-risk signs only."""
    program = program_get_managed(viewer=request_viewer(request), program_id=program_id)
    return render(
        request,
        "checkins/pair_summary.html",
        {
            "program": program,
            "summary": pair_summary(program=program, relationship_id=relationship_id),
        },
    )
