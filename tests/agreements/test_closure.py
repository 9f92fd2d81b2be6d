"""Closing (goals met, cycle ended), extending, reflections: services, pages, API, bad input."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mentora.agreements import closure, selectors
from mentora.agreements.models import Closure
from mentora.checkins.models import Checkin, CheckinKind
from mentora.relationships.models import RelationshipStatus
from tests.factories import api_headers


def api(client, person, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json", headers=api_headers(person))


def test_closing_ends_the_relationship_as_history_with_a_reason_and_asks_the_end_survey(
    relationship, alice, bob, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = closure.relationship_close_with_reason(
            relationship=relationship, person=alice, reason="goals_met", learned="Asking for help is a skill."
        )
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ENDED
    assert relationship.end_reason == ""  # not a no-fault exit
    assert record.reason == "goals_met"
    assert [r.learned for r in selectors.reflections_for(relationship=relationship)] == [
        "Asking for help is a skill."
    ]
    assert set(
        Checkin.objects.filter(relationship=relationship, kind=CheckinKind.END).values_list(
            "respondent", flat=True
        )
    ) == {alice.pk, bob.pk}
    assert [m.to for m in mail.outbox] == [[bob.email]]
    assert "closed your relationship" in mail.outbox[0].body


def test_closing_twice_is_refused(relationship, alice, bob):
    closure.relationship_close_with_reason(relationship=relationship, person=alice, reason="cycle_ended")
    relationship.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        closure.relationship_close_with_reason(relationship=relationship, person=bob, reason="goals_met")
    assert error.value.code == "not_active"
    assert Closure.objects.count() == 1


def test_closing_a_stale_copy_is_refused_under_the_lock(relationship, alice, bob):
    stale_copy = type(relationship).objects.get(pk=relationship.pk)
    closure.relationship_close_with_reason(relationship=relationship, person=alice, reason="cycle_ended")
    with pytest.raises(ValidationError) as error:
        closure.relationship_close_with_reason(relationship=stale_copy, person=bob, reason="goals_met")
    assert error.value.code == "not_active"


def test_only_the_pair_closes(relationship, pam):
    with pytest.raises(PermissionDenied):
        closure.relationship_close_with_reason(relationship=relationship, person=pam, reason="goals_met")


def test_extending_moves_the_end_date_and_refuses_the_past(relationship, alice, program):
    today = datetime.date(2031, 6, 1)
    with pytest.raises(ValidationError) as error:
        closure.relationship_extend(
            relationship=relationship, person=alice, ends_on=datetime.date(2031, 5, 1), today=today
        )
    assert error.value.error_dict["ends_on"][0].code == "in_past"
    with pytest.raises(ValidationError) as error:
        closure.relationship_extend(
            relationship=relationship, person=alice, ends_on=program.ends_on, today=today
        )
    assert error.value.error_dict["ends_on"][0].code == "not_later"
    with pytest.raises(ValidationError) as error:
        closure.relationship_extend(
            relationship=relationship, person=alice, ends_on=datetime.date(2033, 6, 1), today=today
        )
    assert error.value.error_dict["ends_on"][0].code == "too_far"
    closure.relationship_extend(
        relationship=relationship, person=alice, ends_on=datetime.date(2032, 3, 31), today=today
    )
    assert selectors.relationship_ends_on(relationship=relationship) == datetime.date(2032, 3, 31)


def test_reflections_both_sides_after_closing_but_not_after_a_no_fault_exit(relationship, alice, bob):
    closure.relationship_close_with_reason(relationship=relationship, person=alice, reason="goals_met")
    relationship.refresh_from_db()
    closure.reflection_save(relationship=relationship, person=bob, learned="Mentors learn too: patience.")
    closure.reflection_save(relationship=relationship, person=bob, learned="Patience, and listening.")
    assert [r.learned for r in selectors.reflections_for(relationship=relationship)] == [
        "Patience, and listening."
    ]
    with pytest.raises(ValidationError):
        closure.reflection_save(relationship=relationship, person=alice, learned="x" * 4001)
    with pytest.raises(ValidationError):
        closure.reflection_save(relationship=relationship, person=alice, learned="   ")


def test_the_closure_page_closes_and_then_shows_history(client, relationship, alice, bob):
    client.force_login(alice.user)
    url = reverse("agreements:closure", args=[relationship.pk])
    text = client.get(url).content.decode()
    assert "Close the relationship" in text and "Extend" in text
    response = client.post(
        reverse("agreements:close", args=[relationship.pk]),
        {"reason": "goals_met", "learned": "ALICE-LEARNED"},
        follow=True,
    )
    text = response.content.decode()
    assert "kept as read-only history" in text and "ALICE-LEARNED" in text
    assert "Close the relationship" not in text
    # Closing twice from a stale page.
    response = client.post(reverse("agreements:close", args=[relationship.pk]), {"reason": "goals_met"})
    assert response.status_code == 400
    assert "Only an active relationship can be closed" in response.content.decode()
    # The partner reads the reflection and adds theirs.
    client.force_login(bob.user)
    client.post(reverse("agreements:reflection", args=[relationship.pk]), {"learned": "BOB-LEARNED"})
    text = client.get(url).content.decode()
    assert "ALICE-LEARNED" in text and "BOB-LEARNED" in text


def test_the_extend_form_rejects_malformed_and_past_dates(client, relationship, alice):
    client.force_login(alice.user)
    url = reverse("agreements:extend", args=[relationship.pk])
    response = client.post(url, {"ends_on": "31/02/2031"})
    assert response.status_code == 400 and "Enter a valid date" in response.content.decode()
    response = client.post(url, {"ends_on": "2001-01-01"})
    assert response.status_code == 400 and "must be in the future" in response.content.decode()


@pytest.mark.parametrize(
    "role", ["program manager", "org admin", "line manager", "another pair's mentee", "other organisation"]
)
def test_nobody_else_closes_or_reads_reflections(client, relationship, outsiders, role, alice):
    closure.reflection_save(relationship=relationship, person=alice, learned="PRIVATE-TO-THE-PAIR")
    person = outsiders[role]
    client.force_login(person.user)
    assert client.get(reverse("agreements:closure", args=[relationship.pk])).status_code == 404
    assert (
        client.post(reverse("agreements:close", args=[relationship.pk]), {"reason": "goals_met"}).status_code
        == 404
    )
    response = api(client, person, "get", f"/api/agreements/{relationship.pk}/closure")
    assert response.status_code == 404 and "PRIVATE-TO-THE-PAIR" not in response.content.decode()
    assert (
        api(
            client, person, "post", f"/api/agreements/{relationship.pk}/close", {"reason": "goals_met"}
        ).status_code
        == 404
    )
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ACTIVE


def test_api_close_extend_reflect(client, relationship, alice, bob):
    url = f"/api/agreements/{relationship.pk}"
    assert api(client, alice, "post", f"{url}/extend", {"ends_on": "not-a-date"}).status_code == 422
    response = api(client, alice, "post", f"{url}/extend", {"ends_on": "2000-01-01"})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "ends_on"
    body = api(client, alice, "post", f"{url}/extend", {"ends_on": "2032-02-01"}).json()
    assert body["ends_on"] == "2032-02-01"
    assert api(client, alice, "post", f"{url}/close", {"reason": "bored"}).status_code == 422
    body = api(client, alice, "post", f"{url}/close", {"reason": "goals_met", "learned": "A lot"}).json()
    assert body["closed"] and body["status"] == "ended" and body["reason"] == "goals_met"
    again = api(client, bob, "post", f"{url}/close", {"reason": "goals_met"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_active"
    body = api(client, bob, "put", f"{url}/reflection", {"learned": "Me too"}).json()
    assert sorted(r["learned"] for r in body["reflections"]) == ["A lot", "Me too"]
    assert api(client, bob, "post", f"{url}/extend", {"ends_on": "2032-06-01"}).status_code == 409
