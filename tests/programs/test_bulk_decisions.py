"""Issue 9 §3.14: a program's managers approve or decline many applications at once (page and API),
in one transaction that reports what happened to each application; bad ids write nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.organisations.models import Role
from mentora.programs import services
from mentora.programs.models import EnrolmentRole, EnrolmentStatus
from tests.factories import PersonFactory, api_headers
from tests.programs.factories import EnrolmentFactory, ProgramFactory


@pytest.fixture
def program(org, pam):
    return ProgramFactory(organisation=org, managers=[pam], name="Program P")


@pytest.fixture
def applications(program, alice, bob):
    return [
        EnrolmentFactory(program=program, person=alice, status=EnrolmentStatus.APPLIED),
        EnrolmentFactory(
            program=program, person=bob, role=EnrolmentRole.MENTOR, status=EnrolmentStatus.APPLIED
        ),
    ]


def statuses(enrolments):
    for enrolment in enrolments:
        enrolment.refresh_from_db()
    return [enrolment.status for enrolment in enrolments]


def post_api(client, person, program, body):
    return client.post(
        f"/api/programs/{program.pk}/enrolments/decisions",
        body,
        content_type="application/json",
        headers=api_headers(person),
    )


def test_the_service_decides_each_waiting_application_and_reports_the_decided_ones(
    program, applications, pam, org
):
    decided = EnrolmentFactory(program=program, status=EnrolmentStatus.DECLINED)
    ids = [applications[0].pk, decided.pk, applications[1].pk, applications[0].pk]
    outcomes = services.enrolments_decide(program=program, actor=pam, enrolment_ids=ids, approve=True)
    assert [(outcome.enrolment.pk, outcome.outcome) for outcome in outcomes] == [
        (applications[0].pk, "approved"),
        (decided.pk, "already_decided"),
        (applications[1].pk, "approved"),
    ]
    assert statuses(applications) == [EnrolmentStatus.APPROVED, EnrolmentStatus.APPROVED]
    assert statuses([decided]) == [EnrolmentStatus.DECLINED]
    applications[0].refresh_from_db()
    assert applications[0].decided_by == pam and applications[0].decided_at is not None


def test_an_id_of_another_program_writes_nothing(program, applications, pam, org):
    elsewhere = EnrolmentFactory(program=ProgramFactory(organisation=org), status=EnrolmentStatus.APPLIED)
    with pytest.raises(ValidationError) as refused:
        services.enrolments_decide(
            program=program, actor=pam, enrolment_ids=[applications[0].pk, elsewhere.pk], approve=False
        )
    assert refused.value.code == "unknown_enrolments"
    assert str(elsewhere.pk) in refused.value.messages[0]
    assert statuses([*applications, elsewhere]) == [EnrolmentStatus.APPLIED] * 3


def test_an_empty_or_oversized_selection_is_refused(program, pam, monkeypatch):
    with pytest.raises(ValidationError, match="Pick at least one application"):
        services.enrolments_decide(program=program, actor=pam, enrolment_ids=[], approve=True)
    monkeypatch.setattr(services, "MAX_BULK_DECISIONS", 2)
    with pytest.raises(ValidationError, match="Decide at most 2 applications at once"):
        services.enrolments_decide(program=program, actor=pam, enrolment_ids=[1, 2, 3], approve=True)


def test_the_manager_ticks_applications_and_declines_them_on_the_page(client, program, applications, pam):
    client.force_login(pam.user)
    page = client.get(reverse("programs:enrolments", args=[program.pk])).content.decode()
    assert f'form="bulk-decide" name="enrolment_ids" value="{applications[0].pk}"' in page
    assert 'aria-label="Select Alice Archer"' in page
    response = client.post(
        reverse("programs:decide_many", args=[program.pk]),
        {
            "enrolment_ids": [applications[0].pk, applications[1].pk],
            "decision": "decline",
            "back": "enrolments",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("programs:enrolments", args=[program.pk])
    assert "Declined: Alice Archer, Bob Baker." in response.content.decode()
    assert statuses(applications) == [EnrolmentStatus.DECLINED] * 2
    response = client.post(
        reverse("programs:decide_many", args=[program.pk]),
        {"enrolment_ids": [applications[0].pk], "decision": "approve"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("programs:manage", args=[program.pk])
    assert "Already decided, left as they were: Alice Archer." in response.content.decode()


def test_the_program_page_offers_the_bulk_decision_on_its_waiting_applications(
    client, program, applications, pam
):
    client.force_login(pam.user)
    page = client.get(reverse("programs:manage", args=[program.pk])).content.decode()
    assert f'action="{reverse("programs:decide_many", args=[program.pk])}"' in page
    assert page.count('name="enrolment_ids"') == 2


def test_the_page_refuses_bad_ids_without_writing(client, program, applications, pam, org):
    client.force_login(pam.user)
    url = reverse("programs:decide_many", args=[program.pk])
    for bad in ("x", "0", "-3", str(2**63), "9" * 40):
        assert client.post(url, {"enrolment_ids": [bad], "decision": "approve"}).status_code == 400
    elsewhere = EnrolmentFactory(program=ProgramFactory(organisation=org), status=EnrolmentStatus.APPLIED)
    response = client.post(url, {"enrolment_ids": [applications[0].pk, elsewhere.pk], "decision": "approve"})
    assert response.status_code == 404
    response = client.post(url, {"decision": "approve"}, follow=True)
    assert "Pick at least one application." in response.content.decode()
    assert statuses([*applications, elsewhere]) == [EnrolmentStatus.APPLIED] * 3


def test_the_api_decides_in_bulk_and_reports_each(client, program, applications, pam):
    response = post_api(
        client, pam, program, {"enrolment_ids": [a.pk for a in applications], "approve": True}
    )
    assert response.status_code == 200
    assert [
        (item["enrolment"]["id"], item["outcome"], item["enrolment"]["status"]) for item in response.json()
    ] == [
        (applications[0].pk, "approved", "approved"),
        (applications[1].pk, "approved", "approved"),
    ]
    again = post_api(client, pam, program, {"enrolment_ids": [applications[0].pk], "approve": False})
    assert again.json()[0]["outcome"] == "already_decided"
    assert statuses(applications) == [EnrolmentStatus.APPROVED] * 2


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"enrolment_ids": [], "approve": True}, 422),
        ({"enrolment_ids": ["one"], "approve": True}, 422),
        ({"enrolment_ids": [0], "approve": True}, 422),
        ({"enrolment_ids": [2**63], "approve": True}, 422),
        ({"enrolment_ids": [1], "approve": "yes"}, 422),
        ({"approve": True}, 422),
    ],
)
def test_the_api_refuses_malformed_bodies(client, program, applications, pam, body, status):
    assert post_api(client, pam, program, body).status_code == status
    assert statuses(applications) == [EnrolmentStatus.APPLIED] * 2


def test_the_api_answers_404_for_an_unknown_id_and_decides_nothing(client, program, applications, pam):
    response = post_api(
        client, pam, program, {"enrolment_ids": [applications[0].pk, 987654], "approve": True}
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "987654" in response.json()["error"]["message"]
    assert statuses(applications) == [EnrolmentStatus.APPLIED] * 2


@pytest.fixture
def outsiders(org, other_org, program, lou, leo, bob):
    """Everyone but the program's managers and org admins: a mentee and a mentor of the program, a
    line manager, a leader, another program's manager, another organisation's admin and manager."""
    mentee = PersonFactory(organisation=org, full_name="Mia Mentee", roles=[Role.PARTICIPANT])
    EnrolmentFactory(program=program, person=mentee)
    mentor = PersonFactory(organisation=org, full_name="Max Mentor", roles=[Role.PARTICIPANT])
    EnrolmentFactory(program=program, person=mentor, role=EnrolmentRole.MENTOR)
    quinn = PersonFactory(organisation=org, full_name="Quinn Quartermaster", roles=[Role.PROGRAM_MANAGER])
    ProgramFactory(organisation=org, managers=[quinn])
    return [
        mentee,
        mentor,
        lou,
        leo,
        quinn,
        PersonFactory(organisation=other_org, roles=[Role.ORG_ADMIN]),
        PersonFactory(organisation=other_org, roles=[Role.PROGRAM_MANAGER]),
    ]


def test_only_the_programs_managers_decide_in_bulk(client, program, applications, outsiders, olga):
    ids = [application.pk for application in applications]
    for person in outsiders:
        client.force_login(person.user)
        response = client.post(
            reverse("programs:decide_many", args=[program.pk]), {"enrolment_ids": ids, "decision": "approve"}
        )
        assert response.status_code == 404, person
        assert post_api(client, person, program, {"enrolment_ids": ids, "approve": True}).status_code == 404
    assert statuses(applications) == [EnrolmentStatus.APPLIED] * 2
    assert post_api(client, olga, program, {"enrolment_ids": ids, "approve": True}).status_code == 200


def test_the_bulk_decision_takes_the_same_queries_for_more_applications(client, org, program, pam):
    def apply(count):
        return [
            EnrolmentFactory(
                program=program, person=PersonFactory(organisation=org), status=EnrolmentStatus.APPLIED
            ).pk
            for _ in range(count)
        ]

    client.force_login(pam.user)
    url = reverse("programs:decide_many", args=[program.pk])
    few_ids, many_ids = apply(2), apply(20)
    with CaptureQueriesContext(connection) as few:
        client.post(url, {"enrolment_ids": few_ids, "decision": "approve"})
    with CaptureQueriesContext(connection) as many:
        client.post(url, {"enrolment_ids": many_ids, "decision": "approve"})
    assert len(many) == len(few)


def test_the_enrolments_page_sorts_by_a_whitelisted_column(client, program, pam, org):
    for name, seniority in (("Cleo", 2), ("Abe", 9), ("Bea", 5)):
        EnrolmentFactory(
            program=program, person=PersonFactory(organisation=org, full_name=name, seniority=seniority)
        )
    client.force_login(pam.user)
    url = reverse("programs:enrolments", args=[program.pk])

    text = client.get(url, {"sort": "-seniority"}).content.decode()
    assert (
        text.index("><bdi>Abe</bdi></a>")
        < text.index("><bdi>Bea</bdi></a>")
        < text.index("><bdi>Cleo</bdi></a>")
    )
    assert 'aria-sort="descending"><a href="?sort=seniority">Seniority</a>' in text
    assert '<th scope="col"><a href="?sort=person">Person</a></th>' in text
    text = client.get(url, {"sort": "person", "status": "approved", "page": "1"}).content.decode()
    assert (
        text.index("><bdi>Abe</bdi></a>")
        < text.index("><bdi>Bea</bdi></a>")
        < text.index("><bdi>Cleo</bdi></a>")
    )
    assert 'aria-sort="ascending"><a href="?sort=-person&amp;status=approved">Person</a>' in text
    for bad in ("password", "-person__user__password", "", "--seniority"):
        assert client.get(url, {"sort": bad}).status_code == 200


def test_the_status_filter_keeps_the_sort_and_the_sort_links_keep_the_status(client, program, pam, org):
    for name, status in (("Cleo", "approved"), ("Abe", "approved"), ("Bea", "applied")):
        EnrolmentFactory(
            program=program, status=status, person=PersonFactory(organisation=org, full_name=name)
        )
    client.force_login(pam.user)
    url = reverse("programs:enrolments", args=[program.pk])
    text = client.get(url, {"sort": "-person"}).content.decode()
    status_form = text[text.index('class="filters"') :].split("</form>")[0]
    assert '<input type="hidden" name="sort" value="-person">' in status_form
    # What the status filter sends when it changes: the status and the sort it holds.
    fragment = client.get(url, {"status": "approved", "sort": "-person"}, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert (
        text.index("><bdi>Cleo</bdi></a>") < text.index("><bdi>Abe</bdi></a>")
        and "><bdi>Bea</bdi></a>" not in text
    )
    assert 'aria-sort="descending"><a href="?status=approved&amp;sort=person">Person</a>' in text
