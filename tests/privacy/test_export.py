"""A person's data export: what is in it, what is not, and who may download it."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentora.audit.models import Action, AuditEvent
from mentora.pairing.models import MatchRun, Proposal
from mentora.privacy.selectors import personal_data_export
from tests.factories import PersonFactory, api_headers
from tests.markup import duplicate_ids, tables_outside_scroll_box, unlabelled_fields
from tests.privacy.conftest import pair_history
from tests.programs.factories import ProgramFactory
from tests.workspace.fixtures import active_relationship


def _texts(document) -> str:
    return json.dumps(document, ensure_ascii=False)


def test_the_export_holds_everything_about_the_person(history, alice, bob, relationship):
    document = personal_data_export(person=alice)
    assert document["format"] == "mentora.personal-data/1"
    assert document["person"]["full_name"] == "Alice Archer"
    assert document["person"]["email"] == alice.email
    assert document["roles"] == ["participant"]
    assert document["self_assessment"]["reflection"] == "I find public speaking hard"
    assert document["demographics"]["ethnicity"] == "prefer to self-describe: Martian"
    assert len(document["skills"]["offered"]) == 1
    (mentee_enrolment,) = [e for e in document["enrolments"] if e["role"] == "mentee"]
    assert mentee_enrolment["intake_answers"] == [
        {"question": "What do you hope for?", "answer": "mentee hope"}
    ]
    (pair,) = document["relationships"]
    assert pair["partner"] == "Bob Baker"
    assert pair["role"] == "mentee"
    assert pair["agreement"]["expectations"] == "agreed expectations"
    assert pair["goals"][0]["plan"] == "goal plan"
    assert pair["goals"][0]["milestones"][0]["title"] == "milestone"
    assert pair["goals"][0]["progress_updates"][0]["text"] == "progress text"
    assert pair["meetings"][0]["topics"] == "meeting topics"
    assert pair["meetings"][0]["agenda"] == "agenda"
    assert {n["body"] for n in pair["my_notes"]} == {"mentee private", "mentee shared"}
    assert pair["my_checkins"][0]["answer"]["blockers"] == "mentee blockers"
    assert pair["advocacy"][0]["description"] == "introduced"
    assert document["notifications"]["preferences"]["meeting_reminder"] is False
    assert len(document["notifications"]["sent"]) == 1
    assert document["calendar_feed"] is True


def test_the_export_leaves_out_the_partners_private_content(history, alice, bob):
    texts = _texts(personal_data_export(person=alice))
    assert "mentor private" not in texts  # Bob's private note
    assert "mentor learned" not in texts  # Bob's reflection
    assert "mentor helped" not in texts  # Bob's end-of-cycle answer
    assert "Martian" not in _texts(personal_data_export(person=bob))  # Alice's demographics
    assert "mentee private" not in _texts(personal_data_export(person=bob))


def test_an_unpublished_runs_proposal_does_not_name_the_partner(alice, bob, program):
    run = MatchRun.objects.create(
        program=program, status="succeeded", settings={}, finished_at=timezone.now()
    )
    Proposal.objects.create(run=run, mentor=bob, mentee=alice, score=0.8, components={}, reasons=[])
    (proposal,) = personal_data_export(person=alice)["matching_proposals"]
    assert proposal["partner"] is None and proposal["score"] == 0.8
    MatchRun.objects.filter(pk=run.pk).update(published_at=run.created_at)
    (proposal,) = personal_data_export(person=alice)["matching_proposals"]
    assert proposal["partner"] == "Bob Baker"


def test_the_export_lists_audit_events_about_the_person(history, alice, client):
    client.force_login(alice.user)
    client.get(reverse("privacy:my_data_json"))
    events = personal_data_export(person=alice)["audit_events"]
    assert Action.DATA_EXPORTED in [e["action"] for e in events]


def test_the_export_reads_a_fixed_number_of_queries(history, alice, relationship, program, org, dora):
    with CaptureQueriesContext(connection) as one_pair:
        personal_data_export(person=alice)
    for _ in range(3):
        mentor = PersonFactory(organisation=org)
        pair_history(active_relationship(program_copy(program), mentor, alice), tag="+")
    with CaptureQueriesContext(connection) as four_pairs:
        personal_data_export(person=alice)
    assert len(four_pairs) == len(one_pair)


def program_copy(program):
    return ProgramFactory(organisation=program.organisation, status=program.status)


def test_the_person_downloads_their_json(history, alice, client):
    client.force_login(alice.user)
    response = client.get(reverse("privacy:my_data_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mentora-my-data-')
    assert response["Cache-Control"] == "no-store"
    document = json.loads(response.content)
    assert document["person"]["full_name"] == "Alice Archer"
    assert AuditEvent.objects.filter(action=Action.DATA_EXPORTED, actor_person_id=alice.pk).count() == 1


def test_the_readable_page_shows_the_same_data(history, alice, client):
    client.force_login(alice.user)
    response = client.get(reverse("privacy:my_data"))
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Alice Archer", "agreed expectations", "goal plan", "mentee private", "mentee blockers"):
        assert text in page
    assert "mentor private" not in page
    assert not duplicate_ids(page)
    assert not unlabelled_fields(page)
    assert not tables_outside_scroll_box(page)


def test_the_account_menu_links_to_my_data(alice, client):
    client.force_login(alice.user)
    assert reverse("privacy:my_data") in client.get(reverse("home")).content.decode()


def test_the_api_gives_the_caller_their_own_data(history, alice, bob, client):
    response = client.get("/api/privacy/me", headers=api_headers(alice))
    assert response.status_code == 200
    assert response.json()["person"]["full_name"] == "Alice Archer"
    response = client.get("/api/privacy/me", headers=api_headers(bob))
    assert response.json()["person"]["full_name"] == "Bob Baker"


@pytest.mark.parametrize("url", ["/privacy/my-data/", "/privacy/my-data.json"])
def test_pages_need_a_signed_in_person(client, url, db):
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_api_refuses_without_a_token(client, db):
    assert client.get("/api/privacy/me").status_code == 401


def test_the_download_is_only_by_get(alice, client):
    client.force_login(alice.user)
    assert client.post(reverse("privacy:my_data_json")).status_code == 405
