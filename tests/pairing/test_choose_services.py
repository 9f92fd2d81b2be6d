"""Mentee choice services and selectors: shortlist, exposure spreading, requests, answers, cache."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from mentora.organisations.models import Role
from mentora.pairing import choose_selectors as selectors
from mentora.pairing import choose_services as services
from mentora.pairing.models import ShortlistExposure
from mentora.programs.models import MatchingMode
from mentora.programs.services import mentor_availability_set
from mentora.relationships.models import RelationshipOrigin, RelationshipStatus
from tests.factories import PersonFactory
from tests.pairing.choose_setup import PRIVATE_WORDS, choose_program, cohort, enrol_mentee, enrol_mentor, lock


@pytest.fixture(autouse=True)
def fresh_cache():
    selectors.shortlister_cache_clear()
    yield
    selectors.shortlister_cache_clear()


@pytest.fixture
def c(org, alice, pam):
    return cohort(org, alice, pam)


def names(shortlist):
    return [item.mentor.full_name for item in shortlist.items]


def refusal(call) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value


# ---- the shortlist ---------------------------------------------------------------------------


def test_the_shortlist_ranks_eligible_mentors_with_room_and_reasons(c):
    shortlist = selectors.shortlist_for(program=c.program, mentee=c.alice)
    assert names(shortlist) == ["Mo Mentor", "Mia Mentor"]
    best = shortlist.items[0]
    assert best.rank == 1 and 0 < best.score <= 1
    assert best.mentor.offered_skills == [("Python", 5)]
    assert best.mentor.free == 2
    assert any("Python" in reason.text for reason in best.reasons)


def test_it_leaves_out_paused_mentors_and_the_mentees_own_manager(c):
    shown = names(selectors.shortlist_for(program=c.program, mentee=c.alice))
    assert "Max Paused" not in shown
    assert "Lou Lead" not in shown


def test_reasons_never_reveal_the_mentees_self_assessment(c):
    shortlist = selectors.shortlist_for(program=c.program, mentee=c.alice)
    text = repr(shortlist)
    for word in PRIVATE_WORDS:
        assert word not in text


def test_a_full_mentor_leaves_the_shortlist(c, bob, django_capture_on_commit_callbacks):
    mentor_availability_set(enrolment=c.program.enrolments.get(person=c.mo), capacity=1, paused_until=None)
    enrol_mentee(c.program, person=bob, skill=c.skill)
    services.mentor_request_create(program=c.program, mentee=bob, mentor=c.mo)
    assert names(selectors.shortlist_for(program=c.program, mentee=c.alice)) == ["Mia Mentor"]


def test_an_empty_shortlist_says_why_without_private_levels(org, alice, pam):
    c = cohort(org, alice, pam)
    for mentor in (c.mo, c.mia):
        c.program.enrolments.filter(person=mentor).update(paused_until="2099-01-01")
    shortlist = selectors.shortlist_for(program=c.program, mentee=c.alice)
    assert shortlist.items == []
    assert shortlist.empty_reasons
    assert "same reporting line" in shortlist.empty_reasons[0].text
    for word in PRIVATE_WORDS:
        assert word not in " ".join(reason.text for reason in shortlist.empty_reasons)


# ---- exposure spreading ----------------------------------------------------------------------


def test_showing_a_shortlist_records_exposure(c):
    services.shortlist_exposure_record(program=c.program, mentee=c.alice, mentor_ids=[c.mo.pk, c.mia.pk])
    services.shortlist_exposure_record(program=c.program, mentee=c.alice, mentor_ids=[c.mo.pk])
    rows = dict(ShortlistExposure.objects.values_list("mentor_id", "times_shown"))
    assert rows == {c.mo.pk: 2, c.mia.pk: 1}


def test_a_mentor_shown_to_many_waiting_mentees_is_offered_less(c, org):
    for mentor in (c.mo, c.mia):
        mentor_availability_set(
            enrolment=c.program.enrolments.get(person=mentor), capacity=1, paused_until=None
        )
    assert names(selectors.shortlist_for(program=c.program, mentee=c.alice))[0] == "Mo Mentor"
    others = [
        enrol_mentee(c.program, name=f"Other {n}", skill=c.skill, manager=None) for n in range(3)
    ]  # spread 2 x 1 free place: a third viewer tips the balance
    for other in others:
        services.shortlist_exposure_record(program=c.program, mentee=other, mentor_ids=[c.mo.pk])
    assert selectors.exposure_counts(program=c.program, mentee=c.alice) == {str(c.mo.pk): 3}
    assert names(selectors.shortlist_for(program=c.program, mentee=c.alice))[0] == "Mia Mentor"


def test_exposure_to_mentees_who_found_a_mentor_no_longer_counts(c):
    other = enrol_mentee(c.program, name="Other", skill=c.skill)
    services.shortlist_exposure_record(program=c.program, mentee=other, mentor_ids=[c.mo.pk])
    assert selectors.exposure_counts(program=c.program, mentee=c.alice) == {str(c.mo.pk): 1}
    services.mentor_request_create(program=c.program, mentee=other, mentor=c.mia)
    assert selectors.exposure_counts(program=c.program, mentee=c.alice) == {}


# ---- requests --------------------------------------------------------------------------------


def test_a_request_is_a_pending_pairing_with_the_mentees_consent(
    c, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = services.mentor_request_create(
            program=c.program, mentee=c.alice, mentor=c.mo, note="  I want to learn Python testing.  "
        )
    assert request.status == RelationshipStatus.PENDING_CONSENT
    assert request.origin == RelationshipOrigin.MENTEE_REQUEST
    assert request.mentee_consented_at is not None and request.mentor_consented_at is None
    assert request.note == "I want to learn Python testing."
    assert request.created_by == c.alice
    assert sorted(message.to[0] for message in mail.outbox) == sorted([c.alice.email, c.mo.email])


def test_a_note_longer_than_500_characters_is_refused(c):
    error = refusal(
        lambda: services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo, note="x" * 501)
    )
    assert "note" in error.message_dict


def test_a_mentee_has_at_most_one_open_request_per_program(c):
    services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo)
    for mentor in (c.mo, c.mia):
        error = refusal(
            lambda m=mentor: services.mentor_request_create(program=c.program, mentee=c.alice, mentor=m)
        )
        assert error.code == "mentee_taken"


def test_a_full_mentor_cannot_be_requested(c, bob):
    mentor_availability_set(enrolment=c.program.enrolments.get(person=c.mo), capacity=1, paused_until=None)
    enrol_mentee(c.program, person=bob, skill=c.skill)
    services.mentor_request_create(program=c.program, mentee=bob, mentor=c.mo)
    error = refusal(lambda: services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo))
    assert error.code == "mentor_full"
    assert "This mentor is full" in error.messages[0]


def test_a_paused_mentor_cannot_be_requested(c):
    error = refusal(lambda: services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.max))
    assert error.code == "mentor_paused"
    assert "not taking new mentees until 2099-01-01" in error.messages[0]


def test_an_ineligible_mentor_cannot_be_requested(c):
    error = refusal(lambda: services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.lou))
    assert error.code == "mentor_ineligible"


def test_someone_who_is_not_a_mentor_of_the_program_cannot_be_requested(c, org, bob):
    error = refusal(lambda: services.mentor_request_create(program=c.program, mentee=c.alice, mentor=bob))
    assert error.code == "not_a_mentor"
    other = choose_program(org, name="Program Q")
    mentor_of_q = enrol_mentor(other, name="Quinn", skill=c.skill)
    error = refusal(
        lambda: services.mentor_request_create(program=c.program, mentee=c.alice, mentor=mentor_of_q)
    )
    assert error.code == "not_a_mentor"


def test_a_mentee_of_another_program_cannot_request(c, org):
    other = choose_program(org, name="Program Q")
    outsider = enrol_mentee(other, name="Quentin", skill=c.skill)
    error = refusal(lambda: services.mentor_request_create(program=c.program, mentee=outsider, mentor=c.mo))
    assert error.code == "not_a_mentee"


def test_programs_without_mentee_choice_refuse_requests(c):
    c.program.matching_mode = MatchingMode.ALGORITHMIC_REVIEW
    c.program.save()
    error = refusal(lambda: services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo))
    assert error.code == "not_choose_mode"


# ---- answers ---------------------------------------------------------------------------------


def test_the_mentor_accepts_and_the_relationship_starts(c):
    request = services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo)
    request = services.mentor_request_answer(request=request, mentor=c.mo, accept=True)
    assert request.status == RelationshipStatus.ACTIVE


def test_after_a_decline_the_mentee_chooses_again_but_not_the_same_mentor(c):
    request = services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo)
    services.mentor_request_answer(request=request, mentor=c.mo, accept=False)
    assert names(selectors.shortlist_for(program=c.program, mentee=c.alice)) == ["Mia Mentor"]
    error = refusal(lambda: services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo))
    assert error.code == "declined_before"
    assert services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mia).mentor == c.mia


def test_a_mentor_cannot_answer_a_request_addressed_to_another_mentor(c):
    request = services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo)
    error = refusal(lambda: services.mentor_request_answer(request=request, mentor=c.mia, accept=True))
    assert error.code == "not_yours"


def test_the_mentee_can_withdraw_a_request_and_ask_someone_else(c):
    request = services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo)
    services.mentor_request_withdraw(request=request, mentee=c.alice)
    # withdrawing is not the mentor declining: Mo may be asked again
    assert "Mo Mentor" in names(selectors.shortlist_for(program=c.program, mentee=c.alice))
    assert services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo).mentor == c.mo


# ---- the cached engine input -----------------------------------------------------------------


def test_the_compiled_shortlister_is_reused_until_the_program_changes(c, org):
    first = selectors.program_shortlister(program=c.program)
    assert selectors.program_shortlister(program=c.program) is first
    request = services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo)
    assert selectors.program_shortlister(program=c.program) is first  # taken places are passed live
    services.mentor_request_answer(request=request, mentor=c.mo, accept=False)
    first = selectors.program_shortlister(program=c.program)  # a freed place: compiled again
    assert selectors.program_shortlister(program=c.program) is first
    enrol_mentee(c.program, name="Newcomer", skill=c.skill)
    second = selectors.program_shortlister(program=c.program)
    assert second is not first
    mentor_availability_set(enrolment=c.program.enrolments.get(person=c.mia), capacity=3, paused_until=None)
    assert selectors.program_shortlister(program=c.program) is second  # places are read live


def test_unpausing_a_mentor_brings_them_back_at_once(c):
    assert "Max Paused" not in names(selectors.shortlist_for(program=c.program, mentee=c.alice))
    mentor_availability_set(enrolment=c.program.enrolments.get(person=c.max), capacity=2, paused_until=None)
    assert "Max Paused" in names(selectors.shortlist_for(program=c.program, mentee=c.alice))


def test_people_outside_any_program_get_nothing(org):
    nobody = PersonFactory(organisation=org, roles=[Role.PARTICIPANT])
    assert selectors.choose_programs_for(person=nobody) == {"as_mentee": [], "as_mentor": []}


# ---- a mentee the program manager matched ----------------------------------------------------


def test_a_mentee_the_manager_matched_cannot_request_a_mentor(c):
    lock(c)
    error = refusal(lambda: services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo))
    assert error.code == "mentee_locked"
    assert "The program manager has matched you with a mentor" in error.messages[0]
    assert selectors.matched_by_manager(program=c.program, mentee=c.alice)
