"""The pair space's goal cards count milestones and comments; they never load a goal's discussion."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.goals.models import GoalComment, Milestone
from tests.goals.test_goals import goal  # noqa: F401


def test_a_long_discussion_is_counted_not_loaded(client, relationship, alice, bob, goal):  # noqa: F811
    GoalComment.objects.bulk_create(
        GoalComment(goal=goal, author=bob, text=f"Comment {n}") for n in range(150)
    )
    Milestone.objects.bulk_create(Milestone(goal=goal, title=f"Step {n}", position=n + 10) for n in range(3))
    client.force_login(alice.user)
    with CaptureQueriesContext(connection) as queries:
        text = client.get(reverse("workspace:pair", args=[relationship.pk])).content.decode()
    assert "150 comments" in text and f"{goal.milestones.count()} milestones" in text
    assert not any("goalcomment" in query["sql"] and '"text"' in query["sql"] for query in queries)
