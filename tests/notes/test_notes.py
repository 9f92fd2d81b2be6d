"""Notes: private to their author from every other role, on pages and the API; shared notes
edited by both with two-tab protection; the size limit says so and loses nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.agreements.closure import relationship_end_no_fault
from mentora.notes import selectors, services
from mentora.notes.models import NOTE_MAX_CHARS, Note
from tests.factories import api_headers

PRIVATE = "PRIVATE-NOTE: I worry Bob finds my questions basic"
SHARED = "SHARED-NOTE: next time, rehearse the opening"
ROLES = ["program manager", "org admin", "line manager", "another pair's mentee", "other organisation"]


def api(client, person, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json", headers=api_headers(person))


@pytest.fixture
def private_note(relationship, alice):
    return services.note_create(relationship=relationship, person=alice, visibility="private", body=PRIVATE)


@pytest.fixture
def shared_note(relationship, alice):
    return services.note_create(relationship=relationship, person=alice, visibility="shared", body=SHARED)


# ---- who reads what --------------------------------------------------------------------------


def test_the_author_reads_their_private_note_and_both_read_shared_ones(
    client, relationship, private_note, shared_note, alice, bob
):
    client.force_login(alice.user)
    text = client.get(reverse("workspace:pair", args=[relationship.pk])).content.decode()
    assert PRIVATE in text and SHARED in text
    client.force_login(bob.user)
    text = client.get(reverse("workspace:pair", args=[relationship.pk])).content.decode()
    assert SHARED in text and PRIVATE not in text


def test_the_partner_never_gets_a_private_note(client, relationship, private_note, shared_note, bob):
    client.force_login(bob.user)
    assert client.get(reverse("notes:edit", args=[relationship.pk, private_note.pk])).status_code == 404
    assert client.post(reverse("notes:delete", args=[relationship.pk, private_note.pk])).status_code == 404
    base = f"/api/pairs/{relationship.pk}/notes"
    listed = api(client, bob, "get", base)
    assert [n["id"] for n in listed.json()["results"]] == [
        shared_note.pk
    ] and PRIVATE not in listed.content.decode()
    assert api(client, bob, "get", f"{base}/{private_note.pk}").status_code == 404
    body = {"version": 1, "body": "overwritten"}
    assert api(client, bob, "put", f"{base}/{private_note.pk}", body).status_code == 404
    assert api(client, bob, "delete", f"{base}/{private_note.pk}").status_code == 404
    assert (
        selectors.note_list_visible_to(relationship=relationship, person=bob)
        .filter(pk=private_note.pk)
        .count()
        == 0
    )
    with pytest.raises(PermissionDenied):
        services.note_update(note=private_note, person=bob, version=1, body="overwritten")
    private_note.refresh_from_db()
    assert private_note.body == PRIVATE


@pytest.mark.parametrize("role", ROLES)
def test_no_other_role_reads_any_note_on_pages_or_the_api(
    client, relationship, private_note, shared_note, outsiders, role
):
    person = outsiders[role]
    client.force_login(person.user)
    for note in (private_note, shared_note):
        assert client.get(reverse("notes:edit", args=[relationship.pk, note.pk])).status_code == 404
        assert api(client, person, "get", f"/api/pairs/{relationship.pk}/notes/{note.pk}").status_code == 404
    assert client.get(reverse("workspace:pair", args=[relationship.pk])).status_code == 404
    assert client.get(reverse("notes:list", args=[relationship.pk])).status_code == 404
    assert api(client, person, "get", f"/api/pairs/{relationship.pk}/notes").status_code == 404
    # Nor through anything they can reach: their home, their mentoring, the program's pages and API.
    pages = [reverse("home"), reverse("relationships:mine"), reverse("programs:list")]
    apis = ["/api/relationships/", f"/api/relationships/program/{relationship.program_id}"]
    for url in pages:
        assert PRIVATE not in client.get(url).content.decode()
    for url in apis:
        assert PRIVATE not in api(client, person, "get", url).content.decode()


def test_a_note_of_another_pair_is_not_reachable_through_this_pair(
    client, relationship, other_relationship, dora
):
    theirs = services.note_create(
        relationship=other_relationship, person=dora, visibility="shared", body="Dora's"
    )
    client.force_login(dora.user)
    assert client.get(reverse("notes:edit", args=[relationship.pk, theirs.pk])).status_code == 404


# ---- size limit ------------------------------------------------------------------------------


def test_a_huge_note_is_refused_with_a_clear_message_and_kept_in_the_form(client, relationship, alice):
    huge = "word " * (NOTE_MAX_CHARS // 5) + "THE-END"
    client.force_login(alice.user)
    response = client.post(
        reverse("notes:new", args=[relationship.pk]), {"body": huge, "visibility": "private"}
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "at most 20,000 characters" in text and "your text is still here" in text
    assert "THE-END" in text and '<textarea name="body" dir="auto" cols="40" rows="6" required' in text
    assert not Note.objects.exists()


def test_a_huge_note_with_htmx_comes_back_in_the_section(client, relationship, alice):
    client.force_login(alice.user)
    response = client.post(
        reverse("notes:new", args=[relationship.pk]),
        {"body": "x" * (NOTE_MAX_CHARS + 1) + "THE-END", "visibility": "shared"},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 400 and 'id="notes"' in text and "<html" not in text
    assert "THE-END" in text and "at most 20,000 characters" in text


def test_the_service_and_the_api_refuse_a_huge_note(client, relationship, alice):
    with pytest.raises(ValidationError) as error:
        services.note_create(relationship=relationship, person=alice, visibility="private", body="x" * 20_001)
    assert "at most 20,000" in error.value.message_dict["body"][0]
    response = api(client, alice, "post", f"/api/pairs/{relationship.pk}/notes", {"body": "x" * 20_001})
    assert response.status_code == 422 and "20,000" in response.json()["error"]["details"][0]["message"]
    exactly = api(
        client, alice, "post", f"/api/pairs/{relationship.pk}/notes", {"body": "x" * NOTE_MAX_CHARS}
    )
    assert exactly.status_code == 201


# ---- shared notes, two tabs ------------------------------------------------------------------


def test_both_sides_edit_a_shared_note_and_the_second_tab_keeps_its_text(
    client, relationship, shared_note, alice, bob
):
    url = reverse("notes:edit", args=[relationship.pk, shared_note.pk])
    client.force_login(bob.user)
    assert client.post(url, {"body": "Bob's edit", "version": 1}).status_code == 302
    client.force_login(alice.user)
    response = client.post(url, {"body": "Alice's edit", "version": 1, "visibility": "shared"})
    text = response.content.decode()
    assert response.status_code == 409
    assert "changed by someone else" in text and "Alice&#x27;s edit" in text and "Bob&#x27;s edit" in text
    shared_note.refresh_from_db()
    assert shared_note.body == "Bob's edit" and shared_note.updated_by == bob
    # Saving again from the conflict page is a knowing overwrite.
    response = client.post(url, {"body": "Alice's edit", "version": 2, "visibility": "shared"})
    assert response.status_code == 302


def test_the_api_answers_a_stale_note_with_a_conflict(client, relationship, shared_note, alice, bob):
    url = f"/api/pairs/{relationship.pk}/notes/{shared_note.pk}"
    assert api(client, bob, "put", url, {"version": 1, "body": "Bob"}).json()["version"] == 2
    response = api(client, alice, "put", url, {"version": 1, "body": "Alice"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "stale"


def test_only_the_author_changes_who_reads_or_deletes_a_note(relationship, shared_note, bob):
    with pytest.raises(PermissionDenied):
        services.note_update(note=shared_note, person=bob, version=1, body=SHARED, visibility="private")
    with pytest.raises(PermissionDenied):
        services.note_delete(note=shared_note, person=bob)


def test_notes_are_history_once_the_relationship_ended(client, relationship, private_note, alice):
    relationship_end_no_fault(relationship=relationship, person=alice)
    private_note.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.note_update(note=private_note, person=alice, version=1, body="late")
    assert error.value.code == "read_only"
    response = api(client, alice, "post", f"/api/pairs/{relationship.pk}/notes", {"body": "late"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "read_only"
    client.force_login(alice.user)
    text = client.get(reverse("workspace:pair", args=[relationship.pk])).content.decode()
    assert PRIVATE in text and "Write a note" not in text


def test_the_notes_section_costs_the_same_queries_for_many_notes(client, relationship, alice, bob):
    def count():
        client.force_login(alice.user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("workspace:pair", args=[relationship.pk])).status_code == 200
        return len(queries)

    services.note_create(relationship=relationship, person=alice, visibility="private", body="one")
    one = count()
    for n in range(5):
        services.note_create(relationship=relationship, person=bob, visibility="shared", body=f"shared {n}")
        services.note_create(relationship=relationship, person=alice, visibility="private", body=f"mine {n}")
    assert count() == one


def test_the_notes_section_reads_the_writers_names_not_their_profiles(client, relationship, alice, bob):
    note = services.note_create(relationship=relationship, person=alice, visibility="shared", body=SHARED)
    services.note_update(note=note, person=bob, body=SHARED + " (edited)", version=note.version)
    client.force_login(alice.user)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("workspace:pair", args=[relationship.pk])).content.decode()

    assert "Last changed by" in page and bob.full_name in page
    notes_queries = [q["sql"] for q in queries.captured_queries if 'FROM "notes_note"' in q["sql"]]
    assert notes_queries
    assert [sql for sql in notes_queries if '"job_title"' in sql or '"purpose"' in sql] == []
