"""Matching reasons are worded in one place, for their reader: the manager reads the third person and
never the mentee's private self-assessed level, the mentee reads "you" and her own level, skills
and languages are named, and nothing is edited with regular expressions."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from mentora.pairing import choose_selectors, services
from mentora.pairing.models import MatchRun, Proposal
from mentora.pairing.reasons import Audience, language_name, render_reasons, without_private
from tests.factories import PersonFactory, api_headers
from tests.pairing.conftest import enrol_mentee
from tests.pairing.test_pages_and_api import login

pytestmark = pytest.mark.django_db

SKILL_LEVEL = {
    "code": "skill_level",
    "params": {
        "skill": "negotiation",
        "level": 5,
        "priority": "high",
        "own_level": 1,
        "teacher": "7",
        "learner": "9",
    },
}
NO_ELIGIBLE = {
    "code": "no_eligible_partner",
    "params": {
        "role": "mentor",
        "considered": 3,
        "excluded": [{"rule": "skill_match", "count": 1}, {"rule": "timezone", "count": 2}],
        "skills": ["negotiation"],
        "at_least": [3],
    },
}
NAMES = {"negotiation": "Negotiation"}


def texts(reasons, audience):
    return [r.text for r in render_reasons(reasons, audience=audience, skill_names=NAMES)]


def test_the_manager_reads_the_third_person_without_the_mentees_level():
    (shown,) = render_reasons([SKILL_LEVEL], audience=Audience.MANAGER, skill_names=NAMES)
    assert shown.text == "The mentor is level 5 in Negotiation, which the mentee ranks high priority."
    assert "own_level" not in shown.params and shown.params["skill"] == "negotiation"


def test_the_mentee_reads_you_and_her_own_level():
    assert texts([SKILL_LEVEL], Audience.MENTEE) == [
        "The mentor is level 5 in Negotiation, which you rank high priority (you rate yourself 1)."
    ]


def test_a_threshold_from_the_mentees_level_is_hers_alone():
    (manager,) = texts([NO_ELIGIBLE], Audience.MANAGER)
    assert manager == (
        "No eligible mentor among the 3 with a free place: 1 is not at the level needed in Negotiation; "
        "2 share too few working hours."
    )
    (mentee,) = texts([NO_ELIGIBLE], Audience.MENTEE)
    assert "1 is below the level you need in Negotiation (level 3 or above)" in mentee


def test_working_hours_are_not_mangled():
    """Regression: the scrubber turned "(≥ 2 h shared working hours)" into
    "( at the level needed h shared working hours)"."""
    reason = {
        **NO_ELIGIBLE,
        "params": {**NO_ELIGIBLE["params"], "excluded": [{"rule": "timezone", "count": 1}]},
    }
    (text,) = texts([reason], Audience.MANAGER)
    assert text == "No eligible mentor among the 3 with a free place: 1 shares too few working hours."


def test_a_shared_language_is_named_in_the_readers_language():
    reason = {"code": "shared_language", "params": {"languages": ["en", "pt-BR", "xx-klingon"]}}
    assert texts([reason], Audience.MENTEE) == [
        "Shared languages: English, Brazilian Portuguese, xx-klingon."
    ]
    with translation.override("de"):
        assert language_name("en") == "Englisch"


def test_numbers_take_the_right_plural():
    one = {"code": "all_eligible_full", "params": {"role": "mentor", "eligible": 1, "best_score": None}}
    many = {"code": "all_eligible_full", "params": {"role": "mentor", "eligible": 4, "best_score": 0.71}}
    assert texts([one, many], Audience.MANAGER) == [
        "The one eligible mentor is full with pairs that score higher.",
        "All 4 eligible mentors are full with pairs that score higher. Best candidate score: 0.71.",
    ]
    uncounted = {
        "code": "all_eligible_full",
        "params": {"role": "mentor", "eligible": None, "best_score": None},
    }
    assert texts([uncounted], Audience.MANAGER) == [
        "Every eligible mentor is full with pairs that score higher."
    ]
    hour = {"code": "shared_hours", "params": {"hours": 1.0}}
    assert texts([hour], Audience.MANAGER) == ["Working hours overlap by 1 hour a day."]


def test_stored_reasons_keep_no_private_param():
    assert without_private([SKILL_LEVEL, NO_ELIGIBLE]) == [
        {
            "code": "skill_level",
            "params": {k: v for k, v in SKILL_LEVEL["params"].items() if k != "own_level"},
        },
        {
            "code": "no_eligible_partner",
            "params": {k: v for k, v in NO_ELIGIBLE["params"].items() if k != "at_least"},
        },
    ]


# ---- through the pages and the API ---------------------------------------------------------------


@pytest.fixture
def run(program, pam, cohort, skill):
    """The cohort plus Nia, who works in Auckland: no mentor shares two working hours with her."""
    enrol_mentee(program, name="Nia Far", skill=skill, time_zone="Pacific/Auckland", self_level=1)
    created = services.match_run_create(program=program, created_by=pam, settings={})
    return services.match_run_execute(run_id=created.pk)


def test_the_manager_sees_worded_reasons_and_no_private_level(client, run, pam, cohort):
    _, (ella, *_) = cohort
    stored = run.proposals.get(mentee=ella).reasons
    assert stored and all("own_level" not in r["params"] for r in stored)
    login(client, pam)
    page = client.get(reverse("pairing:run", args=[run.pk])).content.decode()
    assert "which the mentee ranks high priority" in page
    assert "rate yourself" not in page and "own_level" not in page
    assert (
        "Nia Far</bdi></strong>: No eligible mentor among the 2 with a free place: "
        "2 share too few working hours." in page
    )

    body = client.get(f"/api/matching/runs/{run.pk}/proposals", headers=api_headers(pam)).json()
    reasons = [r for item in body["results"] for r in item["reasons"]]
    assert {"code", "params", "text"} == set(reasons[0])
    assert all("own_level" not in r["params"] and "rate yourself" not in r["text"] for r in reasons)
    assert any(r["text"].startswith("The mentor is level 5 in Negotiation") for r in reasons)


def test_the_mentor_sees_no_private_level_of_a_mentee(
    client, run, pam, cohort, django_capture_on_commit_callbacks
):
    (maya, _), _ = cohort
    with django_capture_on_commit_callbacks(execute=True):
        services.match_run_publish(run=run, by=pam)
    login(client, maya)
    for url in ("/", reverse("relationships:mine")):
        page = client.get(url).content.decode()
        assert "Ella Mentee" in page or "Eric Mentee" in page or "Emma Mentee" in page or url == "/"
        assert "rate yourself" not in page and "own_level" not in page
    api = client.get("/api/relationships/", headers=api_headers(maya)).content.decode()
    assert "Mentee" in api and "own_level" not in api and "at_least" not in api


def test_the_mentee_reads_her_shortlist_in_her_words(org, alice, pam):
    from tests.pairing.choose_setup import cohort

    c = cohort(org, alice, pam)
    choose_selectors.shortlister_cache_clear()
    (best, *_) = choose_selectors.shortlist_for(program=c.program, mentee=c.alice).items
    texts = [r.text for r in best.reasons]
    assert "The mentor is level 5 in Python, which you rank high priority (you rate yourself 1)." in texts
    assert "Shared language: English." in texts


# ---- stored prose from before the codes ----------------------------------------------------------


def test_the_migration_recomputes_old_prose_from_the_runs_snapshot(run, cohort):
    _, (ella, *_) = cohort
    proposal = run.proposals.get(mentee=ella)
    coded = proposal.reasons
    Proposal.objects.filter(pk=proposal.pk).update(
        reasons=["Mentor is level 5 in Negotiation, which you rank high priority"]
    )
    result = {**run.result, "unmatched": [{"id": "1", "reasons": ["Every eligible mentor was taken"]}]}
    MatchRun.objects.filter(pk=run.pk).update(result=result)
    migration = importlib.import_module("mentora.pairing.migrations.0006_reasons_as_codes")
    migration.forwards(apps, None)
    proposal.refresh_from_db()
    run.refresh_from_db()
    assert proposal.reasons == coded
    assert run.result["unmatched"] == [{"id": "1", "reasons": []}]


def test_a_proposal_outside_the_snapshot_loses_its_prose(run, cohort, program):
    stranger = PersonFactory(organisation=program.organisation)
    proposal = run.proposals.first()
    Proposal.objects.filter(pk=proposal.pk).update(mentee=stranger, reasons=["Old prose"])
    importlib.import_module("mentora.pairing.migrations.0006_reasons_as_codes").forwards(apps, None)
    proposal.refresh_from_db()
    assert proposal.reasons == []
