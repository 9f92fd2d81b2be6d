"""Goals: the mentee owns them, the mentor comments, program KPIs read their progress."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.agreements.closure import relationship_end_no_fault
from mentora.goals import services
from mentora.goals.models import GoalStatus
from tests.factories import api_headers
from tests.markup import duplicate_ids, unlabelled_fields

NEXT_YEAR = datetime.date.today() + datetime.timedelta(days=365)


def smart(**overrides):
    fields = {
        "title": "Give a talk at the engineering all-hands",
        "measure": "Talk given, and five questions from the audience",
        "plan": "Outline, two rehearsals with Bob, one dry run with my team",
        "relevance": "I want to lead a team, and leads explain decisions",
        "target_date": NEXT_YEAR,
    }
    return fields | overrides


def api(client, person, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json", headers=api_headers(person))


@pytest.fixture
def goal(relationship, alice, python_skill):
    return services.goal_create(
        relationship=relationship, person=alice, skill_ids=[python_skill.pk], **smart()
    )


# ---- services --------------------------------------------------------------------------------


def test_the_mentee_sets_a_smart_goal_linked_to_a_wanted_skill(goal, python_skill):
    assert goal.title == "Give a talk at the engineering all-hands"
    assert list(goal.skills.all()) == [python_skill]
    assert goal.status == GoalStatus.OPEN and goal.progress == 0


def test_a_goal_links_only_to_skills_the_mentee_wants(relationship, alice, public_speaking):
    with pytest.raises(ValidationError) as error:
        services.goal_create(
            relationship=relationship, person=alice, skill_ids=[public_speaking.pk], **smart()
        )
    assert "skills" in error.value.message_dict


def test_a_goal_needs_a_target_date_from_today_on_and_a_title(relationship, alice):
    with pytest.raises(ValidationError) as error:
        services.goal_create(
            relationship=relationship, person=alice, **smart(target_date=datetime.date(2020, 1, 1))
        )
    assert "target_date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.goal_create(relationship=relationship, person=alice, **smart(title="  "))
    assert "title" in error.value.message_dict


def test_the_mentor_cannot_set_or_edit_goals_but_can_comment(relationship, goal, bob):
    with pytest.raises(PermissionDenied):
        services.goal_create(relationship=relationship, person=bob, **smart())
    with pytest.raises(PermissionDenied):
        services.goal_update(goal=goal, person=bob, status=GoalStatus.ACHIEVED, **smart())
    with pytest.raises(PermissionDenied):
        services.progress_add(goal=goal, person=bob, percent=50)
    with pytest.raises(PermissionDenied):
        services.milestone_add(goal=goal, person=bob, title="Mine now")
    comment = services.comment_add(goal=goal, person=bob, text="Start with a five-minute lightning talk.")
    assert comment.author == bob


def test_milestones_keep_their_order_and_are_ticked_and_moved(goal, alice):
    first = services.milestone_add(goal=goal, person=alice, title="Outline")
    second = services.milestone_add(goal=goal, person=alice, title="Rehearse")
    third = services.milestone_add(goal=goal, person=alice, title="Give the talk")
    assert [m.title for m in goal.milestones.all()] == ["Outline", "Rehearse", "Give the talk"]
    services.milestone_set_done(milestone=first, person=alice, done=True)
    services.milestone_move(milestone=third, person=alice, up=True)
    assert [(m.title, m.is_done) for m in goal.milestones.all()] == [
        ("Outline", True),
        ("Give the talk", False),
        ("Rehearse", False),
    ]
    services.milestone_set_done(milestone=first, person=alice, done=False)
    services.milestone_move(milestone=first, person=alice, up=True)  # already first: nothing moves
    assert [m.pk for m in goal.milestones.all()] == [first.pk, third.pk, second.pk]
    assert not goal.milestones.get(pk=first.pk).is_done


def test_progress_is_a_percentage_and_100_means_achieved(goal, alice):
    with pytest.raises(ValidationError):
        services.progress_add(goal=goal, person=alice, percent=101)
    services.progress_add(goal=goal, person=alice, percent=40, text="Outline done")
    goal.refresh_from_db()
    assert goal.progress == 40 and goal.status == GoalStatus.OPEN
    services.progress_add(goal=goal, person=alice, percent=100)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED


def test_nothing_is_written_once_the_relationship_ended(relationship, goal, alice, bob):
    relationship_end_no_fault(relationship=relationship, person=alice)
    goal.refresh_from_db()
    for call in (
        lambda: services.goal_create(relationship=goal.relationship, person=alice, **smart()),
        lambda: services.progress_add(goal=goal, person=alice, percent=10),
        lambda: services.comment_add(goal=goal, person=bob, text="Too late"),
    ):
        with pytest.raises(ValidationError) as error:
            call()
        assert error.value.code == "read_only"
        assert "read-only history" in error.value.messages[0]


# ---- pages -----------------------------------------------------------------------------------


def test_the_mentee_sets_a_goal_from_the_page(client, relationship, alice, python_skill):
    client.force_login(alice.user)
    url = reverse("goals:new", args=[relationship.pk])
    assert "Specific: what exactly" in client.get(url).content.decode()
    data = smart(target_date=NEXT_YEAR.isoformat()) | {"skills": [python_skill.pk]}
    response = client.post(url, data, follow=True)
    assert "Goal saved." in response.content.decode()
    text = client.get(reverse("workspace:pair", args=[relationship.pk])).content.decode()
    assert "Give a talk at the engineering all-hands" in text


def test_a_past_target_date_is_refused_and_the_text_kept(client, relationship, alice):
    client.force_login(alice.user)
    response = client.post(reverse("goals:new", args=[relationship.pk]), smart(target_date="2020-01-01"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Choose a target date from today onwards." in text and "engineering all-hands" in text


def test_the_mentor_sees_no_edit_form_but_comments(client, relationship, goal, bob):
    client.force_login(bob.user)
    detail = reverse("goals:detail", args=[relationship.pk, goal.pk])
    text = client.get(detail).content.decode()
    assert "Edit the goal" not in text and "Record progress" not in text and "Add the comment" in text
    assert client.get(reverse("goals:edit", args=[relationship.pk, goal.pk])).status_code == 403
    assert client.get(reverse("goals:new", args=[relationship.pk])).status_code == 403
    response = client.post(reverse("goals:progress", args=[relationship.pk, goal.pk]), {"percent": 90})
    assert response.status_code == 403
    client.post(
        reverse("goals:comment", args=[relationship.pk, goal.pk]), {"comment-text": "Try a lightning talk"}
    )
    assert "Try a lightning talk" in client.get(detail).content.decode()


def test_the_goal_page_keeps_the_progress_and_comment_boxes_apart(client, relationship, goal, alice):
    # Both forms have a `text` box: without a prefix they shared one id and the comment had no label.
    client.force_login(alice.user)
    text = client.get(reverse("goals:detail", args=[relationship.pk, goal.pk])).content.decode()
    assert "Record progress" in text and "Add the comment" in text
    assert duplicate_ids(text) == []
    assert unlabelled_fields(text) == []
    assert '<label for="id_comment-text">' in text


def test_milestones_are_added_and_ticked_with_htmx(client, relationship, goal, alice):
    client.force_login(alice.user)
    htmx = {"HX-Request": "true"}
    response = client.post(
        reverse("goals:milestone_add", args=[relationship.pk, goal.pk]), {"title": "Outline"}, headers=htmx
    )
    assert 'id="milestones"' in response.content.decode() and "<html" not in response.content.decode()
    milestone = goal.milestones.get()
    response = client.post(
        reverse("goals:milestone_update", args=[relationship.pk, goal.pk, milestone.pk]),
        {"action": "done"},
        headers=htmx,
    )
    assert "<s><bdi>Outline</bdi></s>" in response.content.decode()


@pytest.mark.parametrize(
    "role", ["program manager", "org admin", "line manager", "another pair's mentee", "other organisation"]
)
def test_nobody_else_reads_the_goals(client, relationship, goal, outsiders, role):
    person = outsiders[role]
    client.force_login(person.user)
    assert client.get(reverse("goals:detail", args=[relationship.pk, goal.pk])).status_code == 404
    assert api(client, person, "get", f"/api/pairs/{relationship.pk}/goals").status_code == 404
    assert api(client, person, "get", f"/api/pairs/{relationship.pk}/goals/{goal.pk}").status_code == 404


def test_a_goal_of_another_pair_is_not_found_through_this_pair(
    client, relationship, other_relationship, dora
):
    theirs = services.goal_create(relationship=other_relationship, person=dora, **smart())
    client.force_login(dora.user)
    assert client.get(reverse("goals:detail", args=[relationship.pk, theirs.pk])).status_code == 404


def test_the_goals_section_costs_the_same_queries_for_many_goals(client, relationship, alice, bob):
    def count():
        client.force_login(bob.user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("workspace:pair", args=[relationship.pk])).status_code == 200
        return len(queries)

    goal = services.goal_create(relationship=relationship, person=alice, **smart())
    services.milestone_add(goal=goal, person=alice, title="One")
    services.comment_add(goal=goal, person=bob, text="Hi")
    one = count()
    for n in range(4):
        more = services.goal_create(relationship=relationship, person=alice, **smart(title=f"Goal {n}"))
        services.milestone_add(goal=more, person=alice, title="One")
        services.comment_add(goal=more, person=bob, text="Hi")
        services.progress_add(goal=more, person=alice, percent=10)
    assert count() == one


# ---- API -------------------------------------------------------------------------------------


def test_the_api_runs_the_same_goal_services(client, relationship, alice, bob, python_skill):
    base = f"/api/pairs/{relationship.pk}/goals"
    body = smart(target_date=NEXT_YEAR.isoformat()) | {"skill_ids": [python_skill.pk]}
    response = api(client, alice, "post", base, body)
    assert response.status_code == 201, response.content
    goal = response.json()
    assert goal["skill_ids"] == [python_skill.pk] and goal["progress"] == 0

    milestone = api(client, alice, "post", f"{base}/{goal['id']}/milestones", {"title": "Outline"}).json()
    response = api(
        client, alice, "patch", f"{base}/{goal['id']}/milestones/{milestone['id']}", {"done": True}
    )
    assert response.json()["done_at"] is not None
    assert api(client, alice, "post", f"{base}/{goal['id']}/progress", {"percent": 30}).status_code == 201
    assert api(client, alice, "post", f"{base}/{goal['id']}/progress", {"percent": 130}).status_code == 422

    # The mentor comments but cannot edit.
    assert api(client, bob, "post", f"{base}/{goal['id']}/comments", {"text": "Nice"}).status_code == 201
    response = api(client, bob, "put", f"{base}/{goal['id']}", body | {"status": "achieved"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert api(client, bob, "post", base, body).status_code == 403

    listed = api(client, bob, "get", base).json()["results"]
    assert listed[0]["progress"] == 30 and listed[0]["comments"][0]["text"] == "Nice"


def test_the_api_answers_an_ended_relationship_with_a_conflict(client, relationship, goal, alice):
    relationship_end_no_fault(relationship=relationship, person=alice)
    response = api(
        client, alice, "post", f"/api/pairs/{relationship.pk}/goals/{goal.pk}/progress", {"percent": 5}
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "read_only"
