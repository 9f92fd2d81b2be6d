"""Closing (goals met with the partner's confirmation, cycle ended), extending, reflections:
services, pages, API, bad input."""

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
from tests.markup import duplicate_ids, unlabelled_fields


def api(client, person, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json", headers=api_headers(person))


NEAR_THE_END = datetime.date(2031, 12, 28)  # the fixture program ends on 31 December 2031


def test_goals_met_waits_for_the_partner_who_confirms_then_it_closes_and_asks_the_end_survey(
    relationship, alice, bob, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = closure.relationship_close_with_reason(
            relationship=relationship, person=alice, reason="goals_met", learned="Asking for help is a skill."
        )
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ACTIVE and record.is_pending
    assert not Checkin.objects.filter(kind=CheckinKind.END).exists()
    assert [m.to for m in mail.outbox] == [[bob.email]]
    assert "would like to close your relationship because your goals are met" in mail.outbox[0].body
    with pytest.raises(ValidationError) as error:
        closure.closure_confirm(relationship=relationship, person=alice)
    assert error.value.code == "own_proposal"
    with pytest.raises(ValidationError) as error:
        closure.relationship_close_with_reason(relationship=relationship, person=bob, reason="goals_met")
    assert error.value.code == "closure_pending"
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        record = closure.closure_confirm(relationship=relationship, person=bob)
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ENDED and not record.is_pending
    assert record.closed_by == alice and relationship.ended_by == bob
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
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "closed your relationship" in mail.outbox[0].body


def test_a_disputed_closure_goes_and_the_relationship_continues(
    relationship, alice, bob, immediate_tasks, django_capture_on_commit_callbacks
):
    closure.relationship_close_with_reason(relationship=relationship, person=alice, reason="goals_met")
    with pytest.raises(ValidationError) as error:
        closure.closure_dispute(relationship=relationship, person=alice)
    assert error.value.code == "own_proposal"
    with django_capture_on_commit_callbacks(execute=True):
        closure.closure_dispute(relationship=relationship, person=bob)
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ACTIVE and not Closure.objects.exists()
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "does not agree that your goals are met" in mail.outbox[0].body
    with pytest.raises(ValidationError) as error:
        closure.closure_confirm(relationship=relationship, person=bob)
    assert error.value.code == "no_pending_closure"
    # Alice may ask again later.
    assert closure.relationship_close_with_reason(relationship=relationship, person=alice, reason="goals_met")


def test_the_cycle_has_ended_closes_at_once_but_only_in_its_last_week(relationship, alice):
    with pytest.raises(ValidationError) as error:
        closure.relationship_close_with_reason(
            relationship=relationship, person=alice, reason="cycle_ended", today=datetime.date(2031, 6, 1)
        )
    assert error.value.error_dict["reason"][0].code == "cycle_not_over"
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ACTIVE and not Closure.objects.exists()
    record = closure.relationship_close_with_reason(
        relationship=relationship, person=alice, reason="cycle_ended", today=NEAR_THE_END
    )
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ENDED and not record.is_pending


def test_closing_twice_is_refused(relationship, alice, bob):
    closure.relationship_close_with_reason(
        relationship=relationship, person=alice, reason="cycle_ended", today=NEAR_THE_END
    )
    relationship.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        closure.relationship_close_with_reason(relationship=relationship, person=bob, reason="goals_met")
    assert error.value.code == "not_active"
    assert Closure.objects.count() == 1


def test_closing_a_stale_copy_is_refused_under_the_lock(relationship, alice, bob):
    stale_copy = type(relationship).objects.get(pk=relationship.pk)
    closure.relationship_close_with_reason(
        relationship=relationship, person=alice, reason="cycle_ended", today=NEAR_THE_END
    )
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
    relationship.refresh_from_db()
    assert relationship.ends_on == datetime.date(2032, 3, 31)


def test_reflections_both_sides_after_closing_but_not_after_a_no_fault_exit(relationship, alice, bob):
    closure.relationship_close_with_reason(relationship=relationship, person=alice, reason="goals_met")
    closure.closure_confirm(relationship=relationship, person=bob)
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


def test_the_closure_page_proposes_the_partner_confirms_and_then_it_shows_history(
    client, relationship, alice, bob
):
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
    assert "Your partner is asked to confirm that your goals are met." in text
    assert "<bdi>Bob Baker</bdi> is asked to confirm" in text and "Yes, our goals are met" not in text
    # Closing again while the proposal waits.
    response = client.post(reverse("agreements:close", args=[relationship.pk]), {"reason": "goals_met"})
    assert response.status_code == 400
    assert "already waiting for confirmation" in response.content.decode()

    client.force_login(bob.user)
    text = client.get(url).content.decode()
    assert "<bdi>Alice Archer</bdi> would like to close the relationship" in text
    response = client.post(reverse("agreements:closure_confirm", args=[relationship.pk]), follow=True)
    text = response.content.decode()
    assert "kept as read-only history" in text and "ALICE-LEARNED" in text
    assert "Close the relationship" not in text
    # Confirming twice from a stale page.
    response = client.post(reverse("agreements:closure_confirm", args=[relationship.pk]), follow=True)
    assert "No closure is waiting for confirmation." in response.content.decode()
    # The partner reads the reflection and adds theirs.
    client.post(
        reverse("agreements:reflection", args=[relationship.pk]), {"reflection-learned": "BOB-LEARNED"}
    )
    text = client.get(url).content.decode()
    assert "ALICE-LEARNED" in text and "BOB-LEARNED" in text


def test_the_closure_page_keeps_the_closing_and_reflection_boxes_apart(client, relationship, alice):
    # Both forms have a `learned` box: without a prefix they shared one id and the reflection had no label.
    client.force_login(alice.user)
    text = client.get(reverse("agreements:closure", args=[relationship.pk])).content.decode()
    assert "Close the relationship" in text and "Save my reflection" in text
    assert duplicate_ids(text) == []
    assert unlabelled_fields(text) == []
    assert '<label for="id_reflection-learned">' in text


def test_the_closure_page_lets_the_partner_dispute(client, relationship, alice, bob):
    closure.relationship_close_with_reason(relationship=relationship, person=alice, reason="goals_met")
    client.force_login(alice.user)
    response = client.post(reverse("agreements:closure_dispute", args=[relationship.pk]), follow=True)
    assert "you proposed this closure" in response.content.decode().lower()
    client.force_login(bob.user)
    response = client.post(reverse("agreements:closure_dispute", args=[relationship.pk]), follow=True)
    assert "The relationship continues." in response.content.decode()
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ACTIVE and not Closure.objects.exists()


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
    closure.relationship_close_with_reason(relationship=relationship, person=alice, reason="goals_met")
    for name in ("closure_confirm", "closure_dispute", "end"):
        assert client.post(reverse(f"agreements:{name}", args=[relationship.pk])).status_code == 404
    for path in ("closure/confirm", "closure/dispute", "end"):
        response = api(client, person, "post", f"/api/agreements/{relationship.pk}/{path}", {})
        assert response.status_code == 404
    assert Closure.objects.get().is_pending
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
    early = api(client, alice, "post", f"{url}/close", {"reason": "cycle_ended"})
    assert early.status_code == 409 and early.json()["error"]["details"][0]["field"] == "reason"
    body = api(client, alice, "post", f"{url}/close", {"reason": "goals_met", "learned": "A lot"}).json()
    assert body["pending"] and not body["closed"] and body["status"] == "active"
    assert body["proposed_by_id"] == alice.pk and body["reason"] == "goals_met"
    again = api(client, bob, "post", f"{url}/close", {"reason": "goals_met"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "closure_pending"
    own = api(client, alice, "post", f"{url}/closure/confirm", {})
    assert own.status_code == 409 and own.json()["error"]["code"] == "own_proposal"
    body = api(client, bob, "post", f"{url}/closure/confirm", {}).json()
    assert body["closed"] and not body["pending"] and body["status"] == "ended"
    again = api(client, bob, "post", f"{url}/close", {"reason": "goals_met"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_active"
    gone = api(client, bob, "post", f"{url}/closure/dispute", {})
    assert gone.status_code == 409 and gone.json()["error"]["code"] == "no_pending_closure"
    body = api(client, bob, "put", f"{url}/reflection", {"learned": "Me too"}).json()
    assert sorted(r["learned"] for r in body["reflections"]) == ["A lot", "Me too"]
    assert api(client, bob, "post", f"{url}/extend", {"ends_on": "2032-06-01"}).status_code == 409
