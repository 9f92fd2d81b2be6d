"""Goal endpoints in a pair's space: the mentee's goals, milestones, progress; comments by both.
Same services as the pages."""

import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StrictBool

from mentora.api.pagination import Pages
from mentora.api.schemas import Id
from mentora.goals import selectors, services
from mentora.goals.models import GoalStatus
from mentora.workspace.api import api_pair

router = Router(tags=["goals"])


class MilestoneOut(Schema):
    id: int
    title: str
    position: int
    done_at: datetime.datetime | None


class ProgressOut(Schema):
    id: int
    author_id: int
    percent: int
    text: str
    created_at: datetime.datetime


class CommentOut(Schema):
    id: int
    author_id: int
    text: str
    created_at: datetime.datetime


class GoalOut(Schema):
    id: int
    relationship_id: int
    title: str
    measure: str
    plan: str
    relevance: str
    target_date: datetime.date
    status: GoalStatus
    progress: int
    skill_ids: list[int]
    milestones: list[MilestoneOut]
    updates: list[ProgressOut]
    comments: list[CommentOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_skill_ids(goal) -> list[int]:
        return [skill.pk for skill in goal.skills.all()]

    @staticmethod
    def resolve_milestones(goal):
        return list(goal.milestones.all())

    @staticmethod
    def resolve_updates(goal):
        return list(goal.updates.all())

    @staticmethod
    def resolve_comments(goal):
        return list(goal.comments.all())


class GoalIn(Schema):
    title: str
    measure: str
    plan: str
    relevance: str
    target_date: datetime.date
    skill_ids: list[Id] = []


class GoalUpdateIn(GoalIn):
    status: GoalStatus = GoalStatus.OPEN


class MilestoneIn(Schema):
    title: str


class MilestoneChangeIn(Schema):
    done: StrictBool | None = None
    move: Literal["up", "down"] | None = None


class ProgressIn(Schema):
    percent: int = Field(..., ge=0, le=100)
    text: str = ""


class CommentIn(Schema):
    text: str


def _goal(request, relationship_id: int, goal_id: int):
    pair = api_pair(request, relationship_id)
    return pair, selectors.goal_get_for_pair(pair=pair, goal_id=goal_id)


@router.get("/{int:relationship_id}/goals", response=list[GoalOut], summary="The pair's goals")
@paginate(Pages)
def goal_list(request, relationship_id: Id):
    pair = api_pair(request, relationship_id)
    return selectors.goal_list_for_relationship(relationship=pair.relationship)


@router.post("/{int:relationship_id}/goals", response={201: GoalOut}, summary="Set a goal (the mentee)")
def goal_create(request, relationship_id: Id, payload: GoalIn):
    pair = api_pair(request, relationship_id)
    goal = services.goal_create(relationship=pair.relationship, person=pair.person, **payload.dict())
    return Status(201, selectors.goal_get_for_pair(pair=pair, goal_id=goal.pk))


@router.get("/{int:relationship_id}/goals/{int:goal_id}", response=GoalOut, summary="One goal")
def goal_get(request, relationship_id: Id, goal_id: Id):
    return _goal(request, relationship_id, goal_id)[1]


@router.put(
    "/{int:relationship_id}/goals/{int:goal_id}",
    response={200: GoalOut},
    summary="Edit a goal (the mentee)",
)
def goal_update(request, relationship_id: Id, goal_id: Id, payload: GoalUpdateIn):
    pair, goal = _goal(request, relationship_id, goal_id)
    services.goal_update(goal=goal, person=pair.person, **payload.dict())
    return selectors.goal_get_for_pair(pair=pair, goal_id=goal.pk)


@router.post(
    "/{int:relationship_id}/goals/{int:goal_id}/milestones",
    response={201: MilestoneOut},
    summary="Add a milestone (the mentee)",
)
def milestone_add(request, relationship_id: Id, goal_id: Id, payload: MilestoneIn):
    pair, goal = _goal(request, relationship_id, goal_id)
    return Status(201, services.milestone_add(goal=goal, person=pair.person, title=payload.title))


@router.patch(
    "/{int:relationship_id}/goals/{int:goal_id}/milestones/{int:milestone_id}",
    response={200: MilestoneOut},
    summary="Tick, untick or move a milestone (the mentee)",
)
def milestone_change(request, relationship_id: Id, goal_id: Id, milestone_id: Id, payload: MilestoneChangeIn):
    pair, goal = _goal(request, relationship_id, goal_id)
    milestone = get_object_or_404(goal.milestones.all(), pk=milestone_id)
    if payload.done is not None:
        milestone = services.milestone_set_done(milestone=milestone, person=pair.person, done=payload.done)
    if payload.move is not None:
        milestone = services.milestone_move(milestone=milestone, person=pair.person, up=payload.move == "up")
    return milestone


@router.post(
    "/{int:relationship_id}/goals/{int:goal_id}/progress",
    response={201: ProgressOut},
    summary="Record progress (the mentee)",
)
def progress_add(request, relationship_id: Id, goal_id: Id, payload: ProgressIn):
    pair, goal = _goal(request, relationship_id, goal_id)
    return Status(201, services.progress_add(goal=goal, person=pair.person, **payload.dict()))


@router.post(
    "/{int:relationship_id}/goals/{int:goal_id}/comments",
    response={201: CommentOut},
    summary="Comment on a goal (either side)",
)
def comment_add(request, relationship_id: Id, goal_id: Id, payload: CommentIn):
    pair, goal = _goal(request, relationship_id, goal_id)
    return Status(201, services.comment_add(goal=goal, person=pair.person, text=payload.text))
