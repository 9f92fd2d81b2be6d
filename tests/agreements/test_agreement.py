"""The mentoring agreement and first-meeting agenda: services, pages, API, permissions, two tabs."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mentora.agreements import services
from mentora.agreements.closure import relationship_end_no_fault
from mentora.agreements.models import AgendaStep, Agreement
from tests.factories import api_headers

FULL = {
    "expectations": "Alice brings questions; Bob shares how he got there.",
    "confidentiality": "What we say stays between us.",
    "cadence": "Every two weeks, one hour",
    "channel": "Video call",
    "ending": "Either of us can end it by saying so, no blame.",
}


def api(client, person, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json", headers=api_headers(person))


def write(relationship, person, version=0, **fields):
    return services.agreement_update(
        relationship=relationship, person=person, expected_version=version, fields=fields or FULL
    )


def test_both_confirm_and_an_edit_clears_the_other_sides_confirmation(relationship, alice, bob):
    agreement = write(relationship, alice)
    assert agreement.version == 1
    services.agreement_confirm(relationship=relationship, person=alice, expected_version=1)
    agreement = services.agreement_confirm(relationship=relationship, person=bob, expected_version=1)
    assert agreement.is_confirmed

    agreement = write(relationship, bob, version=1, **{**FULL, "cadence": "Weekly"})
    assert agreement.version == 2
    assert agreement.mentor_confirmed_at is not None  # Bob (the editor) keeps his
    assert agreement.mentee_confirmed_at is None  # Alice agreed to something else
    assert not agreement.is_confirmed


def test_two_tabs_cannot_silently_overwrite_each_other(relationship, alice, bob):
    write(relationship, alice)
    # Both opened version 1; Bob saves first.
    write(relationship, bob, version=1, **{**FULL, "channel": "In person"})
    with pytest.raises(ValidationError) as error:
        write(relationship, alice, version=1, **{**FULL, "channel": "Phone"})
    assert error.value.code == "stale"
    assert Agreement.objects.get(relationship=relationship).channel == "In person"


def test_confirming_a_version_that_changed_since_is_refused(relationship, alice, bob):
    write(relationship, alice)
    write(relationship, alice, version=1, **{**FULL, "cadence": "Monthly"})
    with pytest.raises(ValidationError) as error:
        services.agreement_confirm(relationship=relationship, person=bob, expected_version=1)
    assert error.value.code == "stale"


def test_an_incomplete_or_empty_agreement_cannot_be_confirmed(relationship, alice):
    with pytest.raises(ValidationError) as error:
        services.agreement_confirm(relationship=relationship, person=alice, expected_version=0)
    assert error.value.code == "nothing_agreed"
    write(relationship, alice, expectations="Only this")
    with pytest.raises(ValidationError) as error:
        services.agreement_confirm(relationship=relationship, person=alice, expected_version=1)
    assert error.value.code == "incomplete"


def test_huge_text_is_refused_with_the_limit_and_nothing_is_saved(relationship, alice):
    with pytest.raises(ValidationError) as error:
        write(relationship, alice, **{**FULL, "expectations": "x" * 4001})
    assert "under 4000 characters (it has 4001)" in error.value.message_dict["expectations"][0]
    assert not Agreement.objects.filter(relationship=relationship).exists()


def test_nobody_outside_the_pair_writes_and_nothing_after_the_end(relationship, alice, bob, pam):
    with pytest.raises(PermissionDenied):
        write(relationship, pam)
    relationship_end_no_fault(relationship=relationship, person=alice)
    with pytest.raises(ValidationError) as error:
        write(relationship, bob)
    assert error.value.code == "read_only"


def test_the_partner_is_emailed_when_the_agreement_changes(
    relationship, alice, bob, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        write(relationship, alice)
    assert [m.to for m in mail.outbox] == [[bob.email]]
    assert "changed your mentoring agreement" in mail.outbox[0].body


# ---- agenda ------------------------------------------------------------------------------------


def test_agenda_steps_tick_and_untick_idempotently(client, relationship, alice, bob):
    client.force_login(alice.user)
    url = reverse("agreements:agenda_step", args=[relationship.pk, AgendaStep.GOALS])
    for _ in range(2):
        response = client.post(url, {"done": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="first-meeting-agenda"' in text and "<html" not in text
    assert 'aria-pressed="true"' in text
    assert Agreement.objects.get(relationship=relationship).agenda_checks.count() == 1
    client.force_login(bob.user)
    client.post(url, {"done": "0"})
    assert Agreement.objects.get(relationship=relationship).agenda_checks.count() == 0
    assert (
        client.post(reverse("agreements:agenda_step", args=[relationship.pk, "nonsense"])).status_code == 302
    )


# ---- pages -------------------------------------------------------------------------------------


def test_the_pair_writes_and_confirms_on_the_page(client, relationship, alice, bob):
    client.force_login(alice.user)
    url = reverse("agreements:agreement", args=[relationship.pk])
    assert "Our mentoring agreement" in client.get(url).content.decode()
    response = client.post(url, {**FULL, "version": 0}, follow=True)
    assert "Agreement saved" in response.content.decode()
    client.post(reverse("agreements:confirm", args=[relationship.pk]), {"version": 1})
    client.force_login(bob.user)
    text = client.get(url).content.decode()
    assert "<bdi>Alice Archer</bdi> confirmed on" in text
    response = client.post(reverse("agreements:confirm", args=[relationship.pk]), {"version": 1}, follow=True)
    assert "You have both confirmed" in response.content.decode()


def test_a_stale_page_keeps_what_was_typed_and_shows_the_saved_version(client, relationship, alice, bob):
    write(relationship, bob)
    write(relationship, bob, version=1, **{**FULL, "cadence": "BOB-SAVED-CADENCE"})
    client.force_login(alice.user)
    url = reverse("agreements:agreement", args=[relationship.pk])
    response = client.post(url, {**FULL, "cadence": "ALICE-TYPED-CADENCE", "version": 1})
    assert response.status_code == 409
    text = response.content.decode()
    assert "ALICE-TYPED-CADENCE" in text and "BOB-SAVED-CADENCE" in text
    assert "changed (by your partner or in another tab)" in text
    # Saving again, on purpose, applies Alice's text over the current version.
    assert 'name="version" value="2"' in text
    client.post(url, {**FULL, "cadence": "ALICE-TYPED-CADENCE", "version": 2})
    assert Agreement.objects.get(relationship=relationship).cadence == "ALICE-TYPED-CADENCE"


def test_the_panel_appears_in_the_pair_space(client, relationship, alice):
    client.force_login(alice.user)
    text = client.get(reverse("workspace:pair", args=[relationship.pk])).content.decode()
    assert 'id="agreement"' in text and "You have not written your agreement yet" in text
    assert 'id="closure"' in text


@pytest.mark.parametrize(
    "role", ["program manager", "org admin", "line manager", "another pair's mentee", "other organisation"]
)
def test_nobody_else_reads_or_writes_the_agreement(client, relationship, outsiders, role, alice):
    write(relationship, alice)
    person = outsiders[role]
    client.force_login(person.user)
    assert client.get(reverse("agreements:agreement", args=[relationship.pk])).status_code == 404
    assert (
        client.post(
            reverse("agreements:agreement", args=[relationship.pk]), {**FULL, "version": 1}
        ).status_code
        == 404
    )
    assert api(client, person, "get", f"/api/agreements/{relationship.pk}").status_code == 404
    response = api(client, person, "put", f"/api/agreements/{relationship.pk}", {**FULL, "version": 1})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# ---- API ---------------------------------------------------------------------------------------


def test_api_edit_confirm_and_two_tab_conflict(client, relationship, alice, bob):
    url = f"/api/agreements/{relationship.pk}"
    assert api(client, alice, "get", url).json()["version"] == 0
    body = api(client, alice, "put", url, {**FULL, "version": 0}).json()
    assert body["version"] == 1 and body["cadence"] == FULL["cadence"]
    stale = api(client, bob, "put", url, {**FULL, "version": 0})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale"
    assert stale.json()["error"]["details"] == [{"field": "version", "code": "stale", "message": "1"}]
    api(client, alice, "post", f"{url}/confirm", {"version": 1})
    body = api(client, bob, "post", f"{url}/confirm", {"version": 1}).json()
    assert body["is_confirmed"] is True
    body = api(client, bob, "put", f"{url}/agenda/goals", {"done": True}).json()
    assert [item["done"] for item in body["agenda"] if item["step"] == "goals"] == [True]


def test_api_bad_input(client, relationship, alice):
    url = f"/api/agreements/{relationship.pk}"
    response = api(client, alice, "put", url, {**FULL, "version": 0, "ending": "y" * 5000})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "ending"
    assert api(client, alice, "put", url, {**FULL, "version": "abc"}).status_code == 422
    assert api(client, alice, "put", f"{url}/agenda/nonsense", {"done": True}).status_code == 422
    response = api(client, alice, "post", f"{url}/confirm", {"version": 0})
    assert response.status_code == 409 and response.json()["error"]["code"] == "nothing_agreed"
