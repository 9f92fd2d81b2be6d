"""Stored texts: the control characters a single-line and a multi-line field refuse, and the one
message for a text that is too long."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentora.agreements.closure import reflection_save, relationship_end_no_fault
from mentora.agreements.services import agreement_update
from mentora.api.models import ApiToken
from mentora.core.text import check_texts, has_control_character, one_line, too_long_error
from mentora.notes.services import note_create


@pytest.mark.parametrize(
    "value", ["Line\nbreak", "Carriage\rreturn", "Tab\tbed", "N\x00UL", "Sep\u2028arator", "\x85"]
)
def test_a_single_line_refuses_line_breaks_tabs_and_other_controls(value):
    assert has_control_character(value)


@pytest.mark.parametrize("value", ["Zoë Ødegård", "محمد‌رضا", "👩‍💻 Dev", "Jean-Luc Picard"])
def test_names_in_any_script_pass(value):
    assert not has_control_character(value)


def test_a_multi_line_text_keeps_line_breaks_and_tabs_but_not_nul():
    assert not has_control_character("First line\r\n\tsecond line", multi_line=True)
    assert has_control_character("before\x00after", multi_line=True)
    assert has_control_character("bell\x07", multi_line=True)


def test_each_bad_field_gets_its_own_error_with_a_code():
    with pytest.raises(ValidationError) as caught:
        check_texts(
            single_line={"name": "A\nB", "place": "Lisbon", "unset": None}, multi_line={"body": "x\x00"}
        )
    assert set(caught.value.error_dict) == {"name", "body"}
    assert caught.value.error_dict["name"][0].code == "control_character"


def test_one_line_folds_any_break_into_a_single_space():
    assert one_line("Future\r\n leads\u2028 2031\t") == "Future leads 2031"


def test_a_token_name_on_two_lines_is_refused_on_the_page(client, alice):
    client.force_login(alice.user)
    response = client.post(reverse("api_tokens"), {"name": "sync\r\nBcc: x", "scope": "read", "days": "30"})
    assert "Use a single line" in response.content.decode()
    assert not ApiToken.objects.exists()


SERVICE_CALLS = {
    "a note's body": lambda r, p: note_create(relationship=r, person=p, visibility="shared", body="a\x00b"),
    "a note's title": lambda r, p: note_create(
        relationship=r, person=p, visibility="shared", title="a\nb", body="fine"
    ),
    "an agreement's cadence": lambda r, p: agreement_update(
        relationship=r, person=p, expected_version=0, fields={"cadence": "weekly\r\nor so"}
    ),
    "a reason for ending": lambda r, p: relationship_end_no_fault(relationship=r, person=p, reason="\x00"),
    "a reflection": lambda r, p: reflection_save(relationship=r, person=p, learned="bell\x07"),
}


@pytest.mark.parametrize("what", SERVICE_CALLS)
def test_services_of_every_app_refuse_control_characters(relationship, alice, what):
    with pytest.raises(ValidationError) as caught:
        SERVICE_CALLS[what](relationship, alice)
    assert "control characters" in " ".join(caught.value.messages)


def test_a_text_over_its_limit_is_refused_with_its_length_and_one_at_the_limit_is_not():
    assert too_long_error("x" * 200, limit=200) is None
    assert too_long_error("x" * 201, limit=200) == "Keep this under 200 characters (it has 201)."
    assert too_long_error("xy", limit=1) == "Keep this under 1 character (it has 2)."


def test_a_note_title_too_long_gets_the_one_message(relationship, alice):
    """Notes, meetings, answers and skill aliases each had their own wording ("Keep the title under 200
    characters."); they say how long the text is now, as check-ins and agreements did."""
    with pytest.raises(ValidationError) as refused:
        note_create(
            relationship=relationship, person=alice, visibility="shared", title="x" * 201, body="fine"
        )
    assert refused.value.message_dict["title"] == ["Keep this under 200 characters (it has 201)."]
