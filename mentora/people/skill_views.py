"""The skills page: an organisation's admins review new skills from imports (approve, merge,
retire), restore retired ones and give skills aliases. Everyone else gets 403; another
organisation's skills are 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentora.core.decorators import person_required
from mentora.core.forms import flash_refusal
from mentora.core.refusals import Refusal
from mentora.core.roles import request_viewer
from mentora.people import selectors, skill_review
from mentora.people.models import SkillStatus


def _admin_organisation(request) -> tuple:
    viewer = request_viewer(request)
    skill_review.require_skill_admin(viewer)
    return viewer, viewer.organisation_id


@person_required
def skill_list(request):
    _viewer, organisation_id = _admin_organisation(request)
    listed = list(selectors.skill_list_for_review(organisation_id=organisation_id))
    context = {
        "groups": [
            (status, [skill for skill in listed if skill.status == status])
            for status in (SkillStatus.PENDING, SkillStatus.ACTIVE, SkillStatus.RETIRED)
        ],
        # One merge form for the page (a select per row repeated every skill for every skill).
        "merge_sources": [skill for skill in listed if skill.status != SkillStatus.RETIRED],
        "merge_targets": [skill for skill in listed if skill.status == SkillStatus.ACTIVE],
    }
    return render(request, "people/skill_list.html", context)


def _act(request, skill_id: int, action) -> object:
    viewer, organisation_id = _admin_organisation(request)
    skill = selectors.skill_get_for_admin(organisation_id=organisation_id, skill_id=skill_id)
    try:
        action(viewer, skill)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("Saved: %(skill)s.") % {"skill": skill.name})
    return redirect("people:skills")


@person_required
@require_POST
def skill_approve(request, pk: int):
    return _act(request, pk, lambda viewer, skill: skill_review.skill_approve(viewer=viewer, skill=skill))


@person_required
@require_POST
def skill_retire(request, pk: int):
    return _act(request, pk, lambda viewer, skill: skill_review.skill_retire(viewer=viewer, skill=skill))


@person_required
@require_POST
def skill_restore(request, pk: int):
    return _act(request, pk, lambda viewer, skill: skill_review.skill_restore(viewer=viewer, skill=skill))


def _chosen_skill(request, organisation_id: int, field: str, message: str):
    try:
        skill_id = int(request.POST.get(field, ""))
    except ValueError:
        raise Refusal(message, code="required", field=field) from None
    return selectors.skill_get_for_admin(organisation_id=organisation_id, skill_id=skill_id)


@person_required
@require_POST
def skill_merge(request):
    viewer, organisation_id = _admin_organisation(request)
    try:
        skill = _chosen_skill(request, organisation_id, "skill", _("Choose the skill to merge."))
        into = _chosen_skill(request, organisation_id, "into", _("Choose the skill to merge into."))
        skill_review.skill_merge(viewer=viewer, skill=skill, into=into)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("Saved: %(skill)s.") % {"skill": skill.name})
    return redirect("people:skills")


@person_required
@require_POST
def skill_alias_add(request, pk: int):
    return _act(
        request,
        pk,
        lambda viewer, skill: skill_review.skill_alias_add(
            viewer=viewer, skill=skill, alias=request.POST.get("alias", "")
        ),
    )


@person_required
@require_POST
def skill_alias_delete(request, pk: int, alias_id: int):
    viewer, organisation_id = _admin_organisation(request)
    alias = selectors.skill_alias_get_for_admin(
        organisation_id=organisation_id, skill_id=pk, alias_id=alias_id
    )
    skill_review.skill_alias_delete(viewer=viewer, alias=alias)
    messages.success(request, _("Alias “%(alias)s” removed.") % {"alias": alias.alias})
    return redirect("people:skills")
