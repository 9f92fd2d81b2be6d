"""Reads for goals: a pair's goals with everything their section shows."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from mentora.goals.models import Goal, GoalComment, GoalStatus, ProgressUpdate
from mentora.relationships.models import Relationship, RelationshipStatus
from mentora.workspace.access import Pair


def goal_list_for_relationship(*, relationship: Relationship) -> QuerySet:
    return (
        Goal.objects.filter(relationship=relationship)
        .prefetch_related(
            "skills",
            "milestones",
            Prefetch("comments", queryset=GoalComment.objects.select_related("author")),
            Prefetch("updates", queryset=ProgressUpdate.objects.select_related("author")),
        )
        .order_by("status", "target_date", "id")
    )


def goal_cards_for_relationship(*, relationship: Relationship) -> QuerySet:
    """The pair space's goal cards: counts of milestones and comments instead of every comment, so
    that a goal discussed at length costs the space no more than a quiet one."""
    return (
        Goal.objects.filter(relationship=relationship)
        .prefetch_related("skills")
        .annotate(
            milestone_count=Count("milestones", distinct=True), comment_count=Count("comments", distinct=True)
        )
        .order_by("status", "target_date", "id")
    )


def goal_get_for_pair(*, pair: Pair, goal_id: int) -> Goal:
    """One of this pair's goals; 404 for a goal of any other relationship."""
    return get_object_or_404(goal_list_for_relationship(relationship=pair.relationship), pk=goal_id)


def goal_list_open_for_person(*, person) -> QuerySet:
    """Open goals of the person's active relationships, nearest target first (goal fields only:
    no comments or updates)."""
    return (
        Goal.objects.filter(
            Q(relationship__mentor=person) | Q(relationship__mentee=person),
            relationship__status=RelationshipStatus.ACTIVE,
            status=GoalStatus.OPEN,
        )
        .select_related("relationship__program", "relationship__mentor", "relationship__mentee")
        .order_by("target_date", "id")
    )


def skill_choices_for_relationship(*, relationship: Relationship) -> list[tuple[int, str]]:
    """The mentee's wanted skills: the ones a goal can be linked to."""
    return [
        (wanted.skill_id, wanted.skill.name)
        for wanted in relationship.mentee.wanted_skills.select_related("skill").order_by("skill__name")
    ]
