"""Writes for goals. The mentee owns their goals (create, edit, milestones, progress); the mentor
reads them and comments. Nothing is written once the relationship is not active."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mentora.core.refusals import Refusal
from mentora.core.text import check_model_texts
from mentora.goals.models import Goal, GoalComment, GoalStatus, Milestone, ProgressUpdate
from mentora.people.models import Person
from mentora.relationships.models import Relationship
from mentora.workspace.access import ensure_mentee, ensure_writable


def _ensure_owner(relationship: Relationship, person: Person) -> None:
    ensure_writable(relationship=relationship, person=person)
    ensure_mentee(
        relationship=relationship,
        person=person,
        message=_("Only the mentee edits their goals; the mentor can comment."),
    )


def _wanted_skills(relationship: Relationship, skill_ids: Iterable[int]) -> list[int]:
    wanted = set(relationship.mentee.wanted_skills.values_list("skill_id", flat=True))
    chosen = {int(pk) for pk in skill_ids}
    if not chosen <= wanted:
        raise Refusal(
            _("Choose among the skills the mentee wants to grow."), code="bad_choice", field="skills"
        )
    return sorted(chosen)


def _validate(goal: Goal) -> None:
    check_model_texts(goal)
    goal.full_clean(exclude=["relationship", "skills"])


@transaction.atomic
def goal_create(
    *,
    relationship: Relationship,
    person: Person,
    title: str,
    measure: str,
    plan: str,
    relevance: str,
    target_date: datetime.date,
    skill_ids: Iterable[int] = (),
) -> Goal:
    _ensure_owner(relationship, person)
    if target_date < timezone.localdate():
        raise Refusal(_("Choose a target date from today onwards."), code="in_past", field="target_date")
    skills = _wanted_skills(relationship, skill_ids)
    goal = Goal(
        relationship=relationship,
        title=title.strip(),
        measure=measure.strip(),
        plan=plan.strip(),
        relevance=relevance.strip(),
        target_date=target_date,
    )
    _validate(goal)
    goal.save()
    goal.skills.set(skills)
    return goal


@transaction.atomic
def goal_update(
    *,
    goal: Goal,
    person: Person,
    title: str,
    measure: str,
    plan: str,
    relevance: str,
    target_date: datetime.date,
    status: str,
    skill_ids: Iterable[int] = (),
) -> Goal:
    relationship = goal.relationship
    _ensure_owner(relationship, person)
    if target_date != goal.target_date and target_date < timezone.localdate():
        raise Refusal(_("Choose a target date from today onwards."), code="in_past", field="target_date")
    skills = _wanted_skills(relationship, skill_ids)
    goal.title, goal.measure, goal.plan = title.strip(), measure.strip(), plan.strip()
    goal.relevance, goal.target_date, goal.status = relevance.strip(), target_date, status
    _validate(goal)
    goal.save()
    goal.skills.set(skills)
    return goal


@transaction.atomic
def milestone_add(*, goal: Goal, person: Person, title: str) -> Milestone:
    _ensure_owner(goal.relationship, person)
    # Lock the goal so that two milestones added at once get distinct positions.
    Goal.objects.select_for_update().filter(pk=goal.pk).first()
    last = goal.milestones.aggregate(last=Max("position"))["last"] or 0
    milestone = Milestone(goal=goal, title=title.strip(), position=last + 1)
    check_model_texts(milestone)
    milestone.full_clean(exclude=["goal"])
    milestone.save()
    return milestone


def milestone_set_done(*, milestone: Milestone, person: Person, done: bool) -> Milestone:
    _ensure_owner(milestone.goal.relationship, person)
    milestone.done_at = (milestone.done_at or timezone.now()) if done else None
    milestone.save(update_fields=["done_at"])
    return milestone


@transaction.atomic
def milestone_move(*, milestone: Milestone, person: Person, up: bool) -> Milestone:
    """Swap a milestone with its neighbour above (or below)."""
    _ensure_owner(milestone.goal.relationship, person)
    siblings = list(Milestone.objects.select_for_update().filter(goal_id=milestone.goal_id))
    siblings.sort(key=lambda m: (m.position, m.pk))
    index = next(i for i, m in enumerate(siblings) if m.pk == milestone.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, item in enumerate(siblings, start=1):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])
    return next(m for m in siblings if m.pk == milestone.pk)


@transaction.atomic
def progress_add(*, goal: Goal, person: Person, percent: int, text: str = "") -> ProgressUpdate:
    _ensure_owner(goal.relationship, person)
    if not 0 <= percent <= 100:
        raise Refusal(_("Progress is a percentage from 0 to 100."), code="bad_number", field="percent")
    update = ProgressUpdate(goal=goal, author=person, percent=percent, text=text.strip())
    check_model_texts(update)
    update.full_clean(exclude=["goal", "author"])
    update.save()
    goal.progress = percent
    if percent == 100 and goal.status == GoalStatus.OPEN:
        goal.status = GoalStatus.ACHIEVED
    goal.save(update_fields=["progress", "status", "updated_at"])
    return update


def comment_add(*, goal: Goal, person: Person, text: str) -> GoalComment:
    """Either side comments on a goal: the mentor's way to take part without editing it."""
    ensure_writable(relationship=goal.relationship, person=person)
    comment = GoalComment(goal=goal, author=person, text=text.strip())
    check_model_texts(comment)
    comment.full_clean(exclude=["goal", "author"])
    comment.save()
    return comment
