"""Goal pages inside the pair's space. Views parse input, call one service, answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentora.core.forms import apply_service_errors, flash_refusal
from mentora.core.htmx import wants_fragment
from mentora.goals import selectors, services
from mentora.goals.forms import CommentForm, GoalForm, MilestoneForm, ProgressForm
from mentora.workspace.access import request_pair


def _goal_fields(form: GoalForm) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "measure": data["measure"],
        "plan": data["plan"],
        "relevance": data["relevance"],
        "target_date": data["target_date"],
        "skill_ids": data["skills"],
    }


@login_required
def goal_new(request, relationship_id: int):
    pair = request_pair(request, relationship_id)
    if not pair.is_mentee:
        raise PermissionDenied(_("Only the mentee edits their goals; the mentor can comment."))
    form = GoalForm(
        request.POST or None,
        skill_choices=selectors.skill_choices_for_relationship(relationship=pair.relationship),
    )
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(
                relationship=pair.relationship, person=pair.person, **_goal_fields(form)
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Goal saved. Add milestones to break it down."))
            return redirect("goals:detail", relationship_id, goal.pk)
    return render(request, "goals/goal_form.html", {"pair": pair, "form": form, "goal": None})


@login_required
def goal_edit(request, relationship_id: int, goal_id: int):
    pair = request_pair(request, relationship_id)
    goal = selectors.goal_get_for_pair(pair=pair, goal_id=goal_id)
    if not pair.is_mentee:
        raise PermissionDenied(_("Only the mentee edits their goals; the mentor can comment."))
    form = GoalForm(
        request.POST or None,
        goal=goal,
        skill_choices=selectors.skill_choices_for_relationship(relationship=pair.relationship),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(
                goal=goal, person=pair.person, status=form.cleaned_data["status"], **_goal_fields(form)
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Goal updated."))
            return redirect("goals:detail", relationship_id, goal.pk)
    return render(request, "goals/goal_form.html", {"pair": pair, "form": form, "goal": goal})


def _detail(request, pair, goal, **forms):
    context = {
        "pair": pair,
        "goal": goal,
        "read_only": pair.read_only,
        "milestone_form": MilestoneForm(),
        "progress_form": ProgressForm(initial={"percent": goal.progress}),
        "comment_form": CommentForm(),
    }
    context.update(forms)
    return render(request, "goals/goal.html", context, status=400 if forms else 200)


@login_required
def goal_detail(request, relationship_id: int, goal_id: int):
    pair = request_pair(request, relationship_id)
    return _detail(request, pair, selectors.goal_get_for_pair(pair=pair, goal_id=goal_id))


def _back(relationship_id: int, goal_id: int):
    return redirect(reverse("goals:detail", args=[relationship_id, goal_id]))


@login_required
@require_POST
def progress_add(request, relationship_id: int, goal_id: int):
    pair = request_pair(request, relationship_id)
    goal = selectors.goal_get_for_pair(pair=pair, goal_id=goal_id)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.progress_add(goal=goal, person=pair.person, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Progress recorded."))
            return _back(relationship_id, goal_id)
    return _detail(request, pair, goal, progress_form=form)


@login_required
@require_POST
def comment_add(request, relationship_id: int, goal_id: int):
    pair = request_pair(request, relationship_id)
    goal = selectors.goal_get_for_pair(pair=pair, goal_id=goal_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(goal=goal, person=pair.person, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Comment added."))
            return _back(relationship_id, goal_id)
    return _detail(request, pair, goal, comment_form=form)


def _milestones(request, pair, goal, form=None):
    """The milestones partial for htmx, the goal page otherwise."""
    if wants_fragment(request):
        goal = selectors.goal_get_for_pair(pair=pair, goal_id=goal.pk)
        return render(
            request,
            "goals/_milestones.html",
            {
                "pair": pair,
                "goal": goal,
                "read_only": pair.read_only,
                "milestone_form": form or MilestoneForm(),
            },
        )
    if form is not None:
        return _detail(request, pair, goal, milestone_form=form)
    return _back(pair.relationship.pk, goal.pk)


@login_required
@require_POST
def milestone_add(request, relationship_id: int, goal_id: int):
    pair = request_pair(request, relationship_id)
    goal = selectors.goal_get_for_pair(pair=pair, goal_id=goal_id)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_add(goal=goal, person=pair.person, title=form.cleaned_data["title"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _milestones(request, pair, goal)
    return _milestones(request, pair, goal, form)


@login_required
@require_POST
def milestone_update(request, relationship_id: int, goal_id: int, milestone_id: int):
    """Tick, untick or move one milestone (`action` = done, undone, up or down)."""
    pair = request_pair(request, relationship_id)
    goal = selectors.goal_get_for_pair(pair=pair, goal_id=goal_id)
    milestone = get_object_or_404(goal.milestones.all(), pk=milestone_id)
    action = request.POST.get("action")
    try:
        if action in ("done", "undone"):
            services.milestone_set_done(milestone=milestone, person=pair.person, done=action == "done")
        elif action in ("up", "down"):
            services.milestone_move(milestone=milestone, person=pair.person, up=action == "up")
    except ValidationError as error:
        flash_refusal(request, error)
    return _milestones(request, pair, goal)
