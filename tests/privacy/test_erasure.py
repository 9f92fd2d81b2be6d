"""An org admin erases a person: what goes, what stays (the programs' figures), who may, and what
is refused."""

from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Count
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentora.advocacy.models import AdvocacyAction
from mentora.advocacy.selectors import sponsorship_kpis
from mentora.agreements.models import Agreement, Reflection
from mentora.api.models import ApiToken
from mentora.audit.models import Action, AuditEvent
from mentora.checkins.models import Checkin, CheckinAnswer
from mentora.core.roles import viewer_for
from mentora.goals.models import Goal, GoalComment, ProgressUpdate
from mentora.meetings.models import Meeting, MeetingPrep
from mentora.notes.models import Note
from mentora.organisations.models import Role
from mentora.people.models import (
    DemographicProfile,
    HrChangeSource,
    HrField,
    Person,
    PersonHrChange,
    SelfAssessment,
)
from mentora.privacy import services
from mentora.privacy.models import Erasure, RetentionRun
from mentora.privacy.selectors import personal_data_export
from mentora.programs.models import Enrolment, IntakeAnswer
from mentora.relationships.models import Relationship, RelationshipStatus
from tests.factories import PersonFactory, api_headers
from tests.markup import duplicate_ids, tables_outside_scroll_box, unlabelled_fields


def erase(olga, person, reason="She asked for erasure", confirmed=True):
    return services.person_erase(
        actor=viewer_for(olga.user), person_id=person.pk, reason=reason, confirmed=confirmed
    )


def figures(program) -> dict:
    """What the programs' KPIs count: pairs, meetings held and their minutes and ratings, check-ins
    answered and their usefulness, goals and progress, enrolments, advocacy."""
    meetings = Meeting.objects.filter(relationship__program=program)
    return {
        "relationships": Relationship.objects.filter(program=program).count(),
        "enrolments": Enrolment.objects.filter(program=program).count(),
        "meetings": list(
            meetings.values_list("status", "actual_duration_minutes", "mentor_rating", "mentee_rating")
        ),
        "checkins": list(
            Checkin.objects.filter(relationship__program=program).values_list("kind", "status", "answered_at")
        ),
        "usefulness": list(
            CheckinAnswer.objects.filter(checkin__relationship__program=program).values_list("usefulness")
        ),
        "goals": list(Goal.objects.filter(relationship__program=program).values_list("status", "progress")),
        "progress_updates": list(ProgressUpdate.objects.values_list("percent")),
        "advocacy": Relationship.objects.filter(program=program).aggregate(n=Count("advocacy_actions"))["n"],
        "sponsorship": sponsorship_kpis(program=program),
    }


def test_erasure_removes_private_content_and_keeps_the_figures(history, olga, alice, bob, program):
    relationship = Relationship.objects.get(mentee=alice)
    before = figures(program)
    erasure = erase(olga, alice)
    assert figures(program) == before
    assert erasure.removed["notes"] == 2
    assert not Note.objects.filter(author=alice).exists()
    assert Note.objects.filter(author=bob).count() == 1  # Bob's own note is his
    assert not IntakeAnswer.objects.filter(enrolment__person=alice).exists()
    assert not SelfAssessment.objects.filter(person=alice).exists()
    assert not DemographicProfile.objects.filter(person=alice).exists()
    assert not alice.offered_skills.exists()
    assert CheckinAnswer.objects.get(checkin=history["pulse"]).blockers == ""
    goal = Goal.objects.get(pk=history["goal"].pk)
    assert (goal.plan, goal.measure, goal.relevance) == ("", "", "")
    assert ProgressUpdate.objects.get(goal=goal).text == ""
    assert GoalComment.objects.filter(goal=goal).count() == 1  # Bob's comment stays, his
    meeting = Meeting.objects.get(pk=history["meeting"].pk)
    assert meeting.topics == "" and meeting.actual_duration_minutes == 55 and meeting.mentee_rating == 5
    assert MeetingPrep.objects.get(meeting=meeting).agenda == ""
    assert Agreement.objects.get(relationship=relationship).expectations == ""
    assert AdvocacyAction.objects.get(relationship=relationship).description == ""
    assert Reflection.objects.filter(author=bob).exists()


def test_the_record_is_anonymised_and_the_partner_sees_a_former_participant(history, olga, alice, bob):
    relationship = Relationship.objects.get(mentee=alice)
    erase(olga, alice)
    alice = Person.objects.get(pk=alice.pk)
    assert alice.full_name == "Former participant"
    assert alice.email == f"erased-{alice.pk}@erased.invalid"
    assert (alice.employee_id, alice.job_title, alice.location, alice.goals) == ("", "", "", "")
    assert alice.manager is None
    assert not alice.is_active
    assert not alice.role_memberships.exists()
    relationship.refresh_from_db()
    assert relationship.partner_of(bob).full_name == "Former participant"
    assert Erasure.objects.get(person=alice).erased_by == olga


def test_sign_in_and_tokens_end(history, olga, alice, client):
    headers = api_headers(alice)
    EmailAddress.objects.create(user=alice.user, email=alice.email, verified=True, primary=True)
    SocialAccount.objects.create(user=alice.user, provider="oidc-acme", uid="alice-at-idp")
    client.force_login(alice.user)
    erase(olga, alice)
    user = get_user_model().objects.get(pk=alice.user_id)
    assert not user.is_active and not user.has_usable_password()
    assert user.username == f"erased-{user.pk}" and user.email == ""
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not SocialAccount.objects.filter(user=user).exists()
    assert not ApiToken.objects.filter(user=user).exists()
    assert client.get("/api/privacy/me", headers=headers).status_code == 401
    assert client.get(reverse("home")).status_code == 302


def test_live_relationships_end_without_fault(olga, alice, bob, relationship):
    erase(olga, alice)
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ENDED


def test_erasure_is_in_the_audit_log_without_the_name(history, olga, alice, client):
    client.force_login(alice.user)
    client.get(reverse("privacy:my_data"))
    erase(olga, alice)
    event = AuditEvent.objects.get(action=Action.PERSON_ERASED)
    assert event.actor_person_id == olga.pk
    assert event.target_id == str(alice.pk)
    assert "Alice" not in event.target_label
    for label in AuditEvent.objects.values_list("actor_label", "target_label"):
        assert "Alice Archer" not in label


def test_a_failure_half_way_changes_nothing(history, olga, alice, program):
    before = figures(program)
    failing = mock.patch("mentora.privacy.services._end_sign_in", side_effect=RuntimeError("disk full"))
    with failing, pytest.raises(RuntimeError):
        erase(olga, alice)
    alice.refresh_from_db()
    assert alice.full_name == "Alice Archer" and alice.is_active
    assert Note.objects.filter(author=alice).count() == 2
    assert SelfAssessment.objects.filter(person=alice).exists()
    assert not Erasure.objects.exists()
    assert figures(program) == before


def test_erasure_cannot_be_repeated(olga, alice):
    erase(olga, alice)
    with pytest.raises(Http404):
        erase(olga, alice)


def test_it_refuses_erasing_oneself(olga, olga2):
    with pytest.raises(ValidationError) as refused:
        erase(olga, olga)
    assert refused.value.code == "self"


def test_it_refuses_erasing_the_last_org_admin(olga, alice):
    # An actor holding the role without being one of the organisation's active admins (its
    # membership went a moment ago): Olga is then the last one.
    viewer = viewer_for(alice.user)
    viewer = type(viewer)(user=viewer.user, person=alice, roles=frozenset({Role.ORG_ADMIN}))
    with pytest.raises(ValidationError) as refused:
        services.person_erase(actor=viewer, person_id=olga.pk, reason="r", confirmed=True)
    assert refused.value.code == "last_admin"
    olga.refresh_from_db()
    assert olga.full_name == "Olga Owner"


def test_another_org_admin_may_be_erased(olga, olga2):
    erase(olga, olga2)
    assert Person.objects.get(pk=olga2.pk).full_name == "Former participant"


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001, "bad\x00text"])
def test_it_refuses_a_bad_reason(olga, alice, reason):
    with pytest.raises(ValidationError):
        erase(olga, alice, reason=reason)
    assert not Erasure.objects.exists()


def test_it_refuses_without_confirmation(olga, alice):
    with pytest.raises(ValidationError) as refused:
        erase(olga, alice, confirmed=False)
    assert refused.value.code == "not_confirmed"


def test_another_organisations_person_does_not_exist(olga, charlie):
    with pytest.raises(Http404):
        erase(olga, charlie)


@pytest.mark.parametrize("role", ["pam", "alice", "lou", "leo"])
def test_only_org_admins_may_erase(request, role, bob):
    actor = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        services.person_erase(actor=viewer_for(actor.user), person_id=bob.pk, reason="r", confirmed=True)


# ---- the pages -------------------------------------------------------------------------------


def test_the_org_admin_finds_confirms_and_erases(olga, alice, client):
    client.force_login(olga.user)
    response = client.get(reverse("privacy:erase_find"), {"person": alice.email})
    assert response.status_code == 302
    confirm_url = reverse("privacy:erase", args=[alice.pk])
    assert response["Location"] == confirm_url
    page = client.get(confirm_url)
    assert page.status_code == 200 and "Alice Archer" in page.content.decode()
    refused = client.post(confirm_url, {"reason": "asked"})
    assert refused.status_code == 400
    assert Person.objects.get(pk=alice.pk).full_name == "Alice Archer"
    done = client.post(confirm_url, {"reason": "asked", "confirm": "on"}, follow=True)
    assert done.status_code == 200
    assert Person.objects.get(pk=alice.pk).full_name == "Former participant"
    assert "The person was erased" in done.content.decode()


def test_the_find_form_says_when_nobody_matches(olga, charlie, client):
    client.force_login(olga.user)
    response = client.get(reverse("privacy:erase_find"), {"person": charlie.email})
    assert response.status_code == 400
    assert "Nobody of your organisation" in response.content.decode()


def test_the_confirmation_page_refuses_oneself(olga, olga2, client):
    client.force_login(olga.user)
    page = client.get(reverse("privacy:erase", args=[olga.pk]))
    assert "You cannot erase yourself" in page.content.decode()
    response = client.post(reverse("privacy:erase", args=[olga.pk]), {"reason": "r", "confirm": "on"})
    assert response.status_code == 400
    assert Person.objects.get(pk=olga.pk).full_name == "Olga Owner"


def test_other_organisations_people_are_not_found_on_the_page(olga, charlie, client):
    client.force_login(olga.user)
    assert client.get(reverse("privacy:erase", args=[charlie.pk])).status_code == 404
    assert client.get(reverse("privacy:erase", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", ["alice", "bob", "pam", "lou", "leo", "charlie"])
def test_nobody_else_may_open_the_erasure_pages(request, role, client, olga, dora):
    client.force_login(request.getfixturevalue(role).user)
    assert client.get(reverse("privacy:erase", args=[dora.pk])).status_code in (403, 404)
    response = client.post(reverse("privacy:erase", args=[dora.pk]), {"reason": "r", "confirm": "on"})
    assert response.status_code in (403, 404)
    assert client.get(reverse("privacy:erase_find"), {"person": dora.email}).status_code == 403
    assert Person.objects.get(pk=dora.pk).full_name == "Dora Dean"


# ---- the API ---------------------------------------------------------------------------------


def test_the_api_erases(olga, alice, client):
    response = client.post(
        f"/api/privacy/people/{alice.pk}/erase",
        {"reason": "asked", "confirm": True},
        content_type="application/json",
        headers=api_headers(olga),
    )
    assert response.status_code == 200
    assert response.json()["person_id"] == alice.pk
    assert Person.objects.get(pk=alice.pk).full_name == "Former participant"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"reason": "asked", "confirm": False}, 422, "not_confirmed"),
        ({"reason": "", "confirm": True}, 422, "invalid_input"),
        ({"reason": "asked"}, 422, "invalid_input"),
        ({"reason": "asked", "confirm": "yes"}, 422, "invalid_input"),
    ],
)
def test_the_api_refuses_bad_input(olga, alice, client, body, status, code):
    response = client.post(
        f"/api/privacy/people/{alice.pk}/erase",
        body,
        content_type="application/json",
        headers=api_headers(olga),
    )
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert Person.objects.get(pk=alice.pk).full_name == "Alice Archer"


def test_the_api_refuses_oneself_and_unknown_people(olga, olga2, charlie, client):
    headers = api_headers(olga)
    body = {"reason": "asked", "confirm": True}
    response = client.post(
        f"/api/privacy/people/{olga.pk}/erase", body, content_type="application/json", headers=headers
    )
    assert (response.status_code, response.json()["error"]["code"]) == (422, "self")
    for person_id in (charlie.pk, 999999):
        response = client.post(
            f"/api/privacy/people/{person_id}/erase", body, content_type="application/json", headers=headers
        )
        assert response.status_code == 404


@pytest.mark.parametrize("role", ["alice", "bob", "pam", "lou", "leo", "charlie"])
def test_the_api_refuses_everyone_but_org_admins(request, role, client, olga, dora):
    response = client.post(
        f"/api/privacy/people/{dora.pk}/erase",
        {"reason": "asked", "confirm": True},
        content_type="application/json",
        headers=api_headers(request.getfixturevalue(role)),
    )
    assert response.status_code in (403, 404)
    headers = api_headers(request.getfixturevalue(role))
    assert client.get("/api/privacy/erasures", headers=headers).status_code == 403
    assert Person.objects.get(pk=dora.pk).full_name == "Dora Dean"


def test_the_privacy_page_reads_a_fixed_number_of_queries(olga, org, client):
    def add_erasures(count):
        for _ in range(count):
            person = PersonFactory(organisation=org)
            Erasure.objects.create(
                organisation=org,
                person=person,
                erased_by=olga,
                reason="asked",
                removed={},
                erased_at=timezone.now(),
            )
            RetentionRun.objects.create(organisation=org, ran_at=timezone.now(), removed={"private_notes": 1})

    client.force_login(olga.user)
    add_erasures(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("privacy:admin")).status_code == 200
    add_erasures(5)
    with CaptureQueriesContext(connection) as six:
        page = client.get(reverse("privacy:admin")).content.decode()
    assert len(six) == len(one)
    assert page.count("Olga Owner") >= 6
    assert not tables_outside_scroll_box(page) and not duplicate_ids(page) and not unlabelled_fields(page)


def test_hr_history_keeps_the_evidence_and_loses_the_name(olga, alice, lou):
    today = timezone.now()
    PersonHrChange.objects.create(
        organisation=alice.organisation,
        person=alice,
        field=HrField.MANAGER,
        old_value="",
        new_value="Lou Lead",
        new_ref=lou.pk,
        effective_date=today.date(),
        recorded_at=today,
        source=HrChangeSource.EDIT,
    )
    for field, old, new in ((HrField.SENIORITY, "3", "4"), (HrField.JOB_TITLE, "Analyst", "Lead analyst")):
        PersonHrChange.objects.create(
            organisation=lou.organisation,
            person=lou,
            field=field,
            old_value=old,
            new_value=new,
            effective_date=today.date(),
            recorded_at=today,
            source=HrChangeSource.IMPORT,
        )
    assert [row["field"] for row in personal_data_export(person=lou)["hr_history"]] == [
        "seniority",
        "job_title",
    ]
    erase(olga, lou)
    assert PersonHrChange.objects.get(person=alice).new_value == "Former participant"
    assert list(PersonHrChange.objects.filter(person=lou).values_list("field", "new_value")) == [
        ("seniority", "4")
    ]
