"""Who reads what: an answer only by its author (page and API), a program's setup and results only
by its managers (and the org admin, who manages every program), and the results never hold an
answer (from every other role's side)."""

import datetime

import pytest
from django.urls import reverse

from mentora.organisations.models import Role
from mentora.surveys import selectors, services
from tests.factories import PersonFactory, api_headers
from tests.programs.factories import ProgramFactory
from tests.surveys.fixtures import answers_for

JAN_16 = datetime.date(2031, 1, 16)
SECRET = "SECRET-ANSWER: my mentor never listens"


@pytest.fixture
def answered(pairs, fit):
    """Alice (the first pair's mentee) answered her fit survey, with a private text."""
    services.surveys_issue_due(today=JAN_16)
    alice = pairs[0].mentee
    instance = selectors.surveys_pending_for(person=alice)[0]
    text = instance.template.questions.get(kind="long_text")
    services.survey_answer(
        instance=instance, person=alice, answers={**answers_for(instance, fit=2), text.pk: SECRET}
    )
    return instance


@pytest.fixture
def everyone_else(outsiders, lou, leo, org, program, pairs):
    """Everyone but the author, by role: the partner, the program's manager, another program's
    manager, a line manager, a leader, the org admin, another pair's mentee, another organisation."""
    other_manager = PersonFactory(organisation=org, full_name="Oscar Other", roles=[Role.PROGRAM_MANAGER])
    ProgramFactory(organisation=org, managers=[other_manager], name="Program Q")
    return {
        **outsiders,
        "partner (mentor)": pairs[0].mentor,
        "leader": leo,
        "other program's manager": other_manager,
    }


def test_the_author_reads_their_answers_on_the_page_and_by_api(client, answered):
    alice = answered.respondent
    client.force_login(alice.user)
    page = client.get(reverse("surveys:answer", args=[answered.pk])).content.decode()
    assert SECRET in page
    assert "without fault" in page  # the rematch offer, to her alone
    body = client.get(f"/api/surveys/{answered.pk}", headers=api_headers(alice)).json()
    assert SECRET in body["answers"].values()
    assert body["rematch_offered"] is True


@pytest.mark.parametrize(
    "role",
    [
        "partner (mentor)",
        "program manager",
        "other program's manager",
        "org admin",
        "line manager",
        "leader",
        "another pair's mentee",
        "other organisation",
    ],
)
def test_nobody_else_reads_an_answer(client, answered, everyone_else, role):
    person = everyone_else[role]
    client.force_login(person.user)
    assert client.get(reverse("surveys:answer", args=[answered.pk])).status_code == 404
    response = client.post(reverse("surveys:answer", args=[answered.pk]), {})
    assert response.status_code == 404
    headers = api_headers(person)
    assert client.get(f"/api/surveys/{answered.pk}", headers=headers).status_code == 404
    assert (
        client.post(
            f"/api/surveys/{answered.pk}/answer",
            {"answers": {}},
            content_type="application/json",
            headers=headers,
        ).status_code
        == 404
    )
    mine = client.get("/api/surveys/mine", headers=headers).json()["results"]
    assert answered.pk not in [survey["id"] for survey in mine]
    assert SECRET not in client.get(reverse("surveys:mine")).content.decode()


@pytest.mark.parametrize(
    "role",
    [
        "other program's manager",
        "line manager",
        "leader",
        "another pair's mentee",
        "other organisation",
    ],
)
def test_only_the_programs_managers_see_its_setup_and_results(client, answered, everyone_else, program, role):
    person = everyone_else[role]
    client.force_login(person.user)
    for name in ("surveys:setup", "surveys:results"):
        assert client.get(reverse(name, args=[program.pk])).status_code in (403, 404)
    headers = api_headers(person)
    for path in ("settings", "templates", "results"):
        assert client.get(f"/api/surveys/programs/{program.pk}/{path}", headers=headers).status_code in (
            403,
            404,
        )
    assert client.put(
        f"/api/surveys/programs/{program.pk}/templates/end",
        {"enabled": True},
        content_type="application/json",
        headers=headers,
    ).status_code in (403, 404)


def test_participants_do_not_see_the_setup_either(client, answered, pairs, program):
    for person in (pairs[0].mentee, pairs[0].mentor):
        client.force_login(person.user)
        assert client.get(reverse("surveys:results", args=[program.pk])).status_code in (403, 404)
        headers = api_headers(person)
        assert client.get(f"/api/surveys/programs/{program.pk}/results", headers=headers).status_code in (
            403,
            404,
        )


@pytest.mark.parametrize("manager", ["pam", "olga"])
def test_the_manager_sees_no_answer_on_the_results_page_or_api(client, answered, program, manager, request):
    """The program's manager, and the org admin (who manages every program, as for check-ins)."""
    pam = request.getfixturevalue(manager)
    client.force_login(pam.user)
    page = client.get(reverse("surveys:results", args=[program.pk]))
    assert page.status_code == 200
    assert SECRET not in page.content.decode()
    body = client.get(
        f"/api/surveys/programs/{program.pk}/results", headers=api_headers(pam)
    ).content.decode()
    assert SECRET not in body
    assert "Nothing published yet" in page.content.decode()  # one answer: no figure


def test_a_manager_sets_up_surveys_on_the_page_and_by_api(client, pam, program):
    client.force_login(pam.user)
    assert client.get(reverse("surveys:setup", args=[program.pk])).status_code == 200
    client.post(reverse("surveys:template", args=[program.pk]), {"kind": "custom", "enabled": "on"})
    response = client.post(
        reverse("surveys:question_add", args=[program.pk, "custom"]),
        {"prompt": "Which format?", "kind": "single_choice", "choices": "Online\nOffice", "required": "on"},
    )
    assert response.status_code == 302
    headers = api_headers(pam)
    templates = client.get(f"/api/surveys/programs/{program.pk}/templates", headers=headers).json()
    assert [question["prompt"] for question in templates[0]["questions"]] == ["Which format?"]
    created = client.post(
        f"/api/surveys/programs/{program.pk}/templates/custom/questions",
        {"prompt": "How many hours?", "kind": "score_0_10"},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201
    question_id = created.json()["id"]
    patched = client.patch(
        f"/api/surveys/programs/{program.pk}/questions/{question_id}",
        {"prompt": "How many hours a month?"},
        content_type="application/json",
        headers=headers,
    )
    assert patched.json()["prompt"] == "How many hours a month?"
    assert (
        client.delete(
            f"/api/surveys/programs/{program.pk}/questions/{question_id}", headers=headers
        ).status_code
        == 204
    )
    bad = client.put(
        f"/api/surveys/programs/{program.pk}/settings",
        {"fit_day": 0, "first_day": 30, "every_days": 60, "at_closure": True, "fit_threshold": 2},
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "bad_number"


def test_api_answer_bad_input_and_twice(client, pairs, fit):
    services.surveys_issue_due(today=JAN_16)
    alice = pairs[0].mentee
    instance = selectors.surveys_pending_for(person=alice)[0]
    fit_question = instance.template.questions.get(measure="fit")
    headers = api_headers(alice)
    url = f"/api/surveys/{instance.pk}/answer"
    bad = client.post(
        url, {"answers": {str(fit_question.pk): 9}}, content_type="application/json", headers=headers
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["code"] == "bad_number"
    wrong = client.post(url, {"answers": {"999999": 3}}, content_type="application/json", headers=headers)
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (422, "wrong_survey")
    not_keyed = client.post(url, {"answers": {"x": 3}}, content_type="application/json", headers=headers)
    assert (not_keyed.status_code, not_keyed.json()["error"]["code"]) == (422, "bad_type")
    good = client.post(
        url, {"answers": {str(fit_question.pk): 4}}, content_type="application/json", headers=headers
    )
    assert good.status_code == 200
    assert good.json()["status"] == "answered"
    again = client.post(
        url, {"answers": {str(fit_question.pk): 4}}, content_type="application/json", headers=headers
    )
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_answered")


def test_answering_on_the_page(client, pairs, fit):
    services.surveys_issue_due(today=JAN_16)
    alice = pairs[0].mentee
    instance = selectors.surveys_pending_for(person=alice)[0]
    fit_question = instance.template.questions.get(measure="fit")
    client.force_login(alice.user)
    assert client.get(reverse("surveys:mine")).status_code == 200
    refused = client.post(reverse("surveys:answer", args=[instance.pk]), {})
    assert refused.status_code == 400
    done = client.post(reverse("surveys:answer", args=[instance.pk]), {f"q_{fit_question.pk}": "5"})
    assert done.status_code == 302
    instance.refresh_from_db()
    assert instance.status == "answered"
