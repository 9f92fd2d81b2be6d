"""Survey pages: my surveys and answering them (the respondent alone); a program's survey setup
and its results for its managers (published figures only, never an answer)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentora.core.decorators import person_required
from mentora.core.forms import apply_service_errors, flash_refusal
from mentora.core.privacy import MIN_AGGREGATE_GROUP
from mentora.core.roles import request_viewer
from mentora.programs.selectors import program_get_managed
from mentora.surveys import selectors, services
from mentora.surveys.forms import AnswerForm, QuestionForm, SettingsForm, TemplateForm
from mentora.surveys.models import SurveyKind


@person_required
def my_surveys(request):
    person = request_viewer(request).person
    return render(
        request,
        "surveys/mine.html",
        {
            "surveys": selectors.surveys_pending_for(person=person),
            "offers": selectors.rematch_offers_for(person=person),
            "min_group_size": MIN_AGGREGATE_GROUP,
        },
    )


@person_required
def survey_answer(request, instance_id: int):
    person = request_viewer(request).person
    instance = selectors.instance_get_for_respondent(person=person, instance_id=instance_id)
    questions = selectors.questions_of(instance=instance)
    form = AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(instance=instance, person=person, answers=form.answers())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. Only you can see your answers."))
            return redirect("surveys:answer", instance.pk)
    answers = selectors.my_answers(instance=instance)
    return render(
        request,
        "surveys/answer.html",
        {
            "instance": instance,
            "partner": instance.relationship.partner_of(person),
            "form": form,
            "answered": [(question, answers.get(question.pk)) for question in questions],
        },
        status=400 if request.method == "POST" else 200,
    )


def _setup_context(program, **forms) -> dict:
    templates = {template.kind: template for template in selectors.templates_for(program=program)}
    return {
        "program": program,
        "surveys": [(kind, label, templates.get(kind)) for kind, label in SurveyKind.choices],
        "settings_form": forms.get("settings_form")
        or SettingsForm(instance=selectors.settings_for(program=program)),
        "question_form": forms.get("question_form") or QuestionForm(),
    }


@person_required
def program_setup(request, program_id: int):
    program = program_get_managed(viewer=request_viewer(request), program_id=program_id)
    form = SettingsForm(request.POST or None, instance=selectors.settings_for(program=program))
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_settings_update(program=program, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Survey settings saved."))
            return redirect("surveys:setup", program.pk)
    return render(
        request,
        "surveys/setup.html",
        _setup_context(program, settings_form=form),
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@person_required
def program_template(request, program_id: int):
    program = program_get_managed(viewer=request_viewer(request), program_id=program_id)
    form = TemplateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the surveys offered."))
    else:
        services.survey_template_set(program=program, **form.cleaned_data)
        messages.success(request, _("Survey saved."))
    return redirect("surveys:setup", program.pk)


@require_POST
@person_required
def question_add(request, program_id: int, kind: str):
    program = program_get_managed(viewer=request_viewer(request), program_id=program_id)
    template = selectors.template_get(program=program, kind=kind)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.survey_question_add(template=template, values=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Question added."))
            return redirect("surveys:setup", program.pk)
    return render(request, "surveys/setup.html", _setup_context(program, question_form=form), status=400)


@require_POST
@person_required
def question_delete(request, program_id: int, question_id: int):
    program = program_get_managed(viewer=request_viewer(request), program_id=program_id)
    question = selectors.question_get(program=program, question_id=question_id)
    try:
        services.survey_question_delete(question=question)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("Question deleted."))
    return redirect("surveys:setup", program.pk)


@person_required
def program_results(request, program_id: int):
    program = program_get_managed(viewer=request_viewer(request), program_id=program_id)
    for template in selectors.templates_for(program=program):
        services.survey_results_publish(template=template)
    return render(
        request,
        "surveys/results.html",
        {
            "program": program,
            "surveys": selectors.program_results(program=program),
            "min_group_size": MIN_AGGREGATE_GROUP,
        },
    )
