from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentora.pairing import services
from mentora.pairing.models import MatchRun, PairRule, PairRuleKind, ProposalState, RunStatus
from mentora.pairing.selectors import match_run_compare, run_report
from mentora.programs.models import EnrolmentStatus, ProgramFormat, ProgramStatus
from mentora.relationships import services as relationship_services
from mentora.relationships.models import Relationship, RelationshipOrigin, RelationshipStatus
from mentora.relationships.services import relationship_decline
from tests.factories import PersonFactory
from tests.pairing.conftest import enrol_mentee, enrol_mentor
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def run_now(program, pam, settings=None, capture=None):
    run = services.match_run_create(program=program, created_by=pam, settings=settings)
    return services.match_run_execute(run_id=run.pk)


def test_a_run_proposes_pairs_with_scores_reasons_and_timings(program, pam, cohort):
    mentors, mentees = cohort
    run = run_now(program, pam)
    assert run.status == RunStatus.SUCCEEDED and run.progress == 100
    assert set(run.timings) >= {"load", "solve", "save", "total"}
    proposals = list(run.proposals.all())
    assert {p.mentee_id for p in proposals} == {m.pk for m in mentees}
    for proposal in proposals:
        assert 0 < proposal.score <= 1
        assert set(proposal.components) == {"goal_fit", "purpose", "diversity", "practical", "preference"}
        assert proposal.reasons
    assert run.input_snapshot["people"]
    assert run.result["fairness"]["match_rate"] == 1.0


def test_runs_are_created_queued_and_executed_on_commit(
    program, pam, cohort, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_create(program=program, created_by=pam, settings={})
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED


def test_a_large_program_is_queued_for_the_worker(
    program, pam, cohort, monkeypatch, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(services, "INLINE_LIMIT", 2)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_create(program=program, created_by=pam, settings={})
    task = DBTaskResult.objects.get()
    assert task.task_path == "mentora.pairing.tasks.match_run_task"
    assert task.args_kwargs["args"] == [run.pk]
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED


def test_the_task_executes_the_run(program, pam, cohort):
    from mentora.pairing.tasks import match_run_task

    run = services.match_run_create(program=program, created_by=pam, settings={})
    match_run_task.call(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED


def test_a_run_is_executed_once(program, pam, cohort):
    run = run_now(program, pam)
    assert services.match_run_execute(run_id=run.pk) is None
    assert run.proposals.count() == 3


@pytest.mark.parametrize(
    "run_settings, field",
    [
        ({"weights": {"goal_fit": 1.5}}, "weight_goal_fit"),
        ({"weights": {"goal_fit": -0.1}}, "weight_goal_fit"),
        ({"weights": {"goal_fit": "lots"}}, "weight_goal_fit"),
        ({"weights": {"beauty": 0.5}}, "weights"),
        (
            {"weights": dict.fromkeys(["goal_fit", "purpose", "diversity", "practical", "preference"], 0)},
            "weights",
        ),
        ({"diversity_dial": 2}, "diversity_dial"),
        ({"options": {"min_tz_overlap_hours": 30}}, "min_tz_overlap_hours"),
        ({"options": {"candidate_limit": 0}}, "candidate_limit"),
        ({"options": {"fairness_floor": "magic"}}, "fairness_floor"),
    ],
)
def test_it_rejects_invalid_settings(program, pam, cohort, run_settings, field):
    with pytest.raises(ValidationError) as error:
        services.match_run_create(program=program, created_by=pam, settings=run_settings)
    assert field in error.value.message_dict
    assert not MatchRun.objects.exists()


def test_it_rejects_an_empty_program(program, pam):
    with pytest.raises(ValidationError, match="no approved mentee"):
        services.match_run_create(program=program, created_by=pam, settings={})


def test_it_rejects_a_program_without_mentors_with_capacity(program, pam, skill):
    enrol_mentee(program, name="Lonely", skill=skill)
    paused = enrol_mentor(program, name="Paused", skill=skill)
    paused.enrolments.update(paused_until=timezone.localdate() + timedelta(days=5))
    with pytest.raises(ValidationError, match="no approved mentor"):
        services.match_run_create(program=program, created_by=pam, settings={})


def test_it_rejects_formats_and_statuses_it_cannot_match(program, pam, cohort):
    program.status = ProgramStatus.DRAFT
    program.save()
    with pytest.raises(ValidationError, match="open, matching or running"):
        services.match_run_create(program=program, created_by=pam, settings={})
    program.status = ProgramStatus.OPEN
    program.format = ProgramFormat.PEER
    program.save()
    with pytest.raises(ValidationError, match="one-to-one and reverse"):
        services.match_run_create(program=program, created_by=pam, settings={})


def test_a_broken_instance_fails_the_run_with_a_message(program, pam, cohort, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "solve", boom)
    run = run_now(program, pam)
    assert run.status == RunStatus.FAILED
    assert "unexpected error" in run.error and "disk" not in run.error
    assert not run.proposals.exists()


def test_people_who_leave_during_the_run_are_dropped_with_a_note(program, pam, cohort, monkeypatch):
    mentors, mentees = cohort
    real_solve = services.solve

    def solve_while_someone_leaves(instance):
        result = real_solve(instance)
        mentees[0].enrolments.update(status=EnrolmentStatus.DECLINED)
        return result

    monkeypatch.setattr(services, "solve", solve_while_someone_leaves)
    run = run_now(program, pam)
    assert run.status == RunStatus.SUCCEEDED
    assert not run.proposals.filter(mentee=mentees[0]).exists()
    assert {"person": str(mentees[0].pk), "role": "mentee", "reason": "left_during_run"} in run.notes
    report = run_report(run=run)
    assert any(note["name"] == mentees[0].full_name and "left" in note["message"] for note in report.notes)


def test_lock_forbid_and_clear_persist_as_pair_rules(program, pam, cohort):
    run = run_now(program, pam)
    first, second, third = run.proposals.order_by("id")
    services.proposal_lock(proposal=first, by=pam)
    services.proposal_forbid(proposal=second, by=pam)
    assert PairRule.objects.get(mentee=first.mentee).kind == PairRuleKind.LOCK
    assert PairRule.objects.get(mentee=second.mentee).kind == PairRuleKind.FORBID
    assert first.state == ProposalState.ACCEPTED and second.state == ProposalState.REJECTED

    rerun = run_now(program, pam)
    locked = rerun.proposals.get(mentee=first.mentee)
    assert locked.locked and locked.mentor_id == first.mentor_id
    assert not rerun.proposals.filter(mentor=second.mentor, mentee=second.mentee).exists()

    services.proposal_clear(proposal=second, by=None)
    assert not PairRule.objects.filter(mentee=second.mentee).exists()


def test_swap_exchanges_mentors_and_rescores(program, pam, cohort):
    run = run_now(program, pam)
    proposals = list(run.proposals.order_by("id"))
    first = proposals[0]
    second = next(p for p in proposals if p.mentor_id != first.mentor_id)
    old = (first.mentor_id, second.mentor_id)
    services.proposal_swap(first=first, second=second, by=None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.mentor_id, second.mentor_id) == (old[1], old[0])
    assert first.reasons and 0 < first.score <= 1


def test_swap_refuses_a_reporting_line_pair(org, program, pam, skill):
    boss = enrol_mentor(program, name="Boss", skill=skill, capacity=1)
    other = enrol_mentor(program, name="Other mentor", skill=skill, capacity=1)
    middle = PersonFactory(organisation=org, full_name="Middle", manager=boss)
    report = enrol_mentee(program, name="Skip-level report", skill=skill, manager=middle)
    enrol_mentee(program, name="Free mentee", skill=skill)
    run = run_now(program, pam)
    assert run.proposals.get(mentee=report).mentor == other
    first, second = run.proposals.order_by("id")
    with pytest.raises(ValidationError, match="reporting line"):
        services.proposal_swap(first=first, second=second, by=None)


def test_publish_creates_pending_relationships_for_every_proposal_not_rejected(
    program, pam, cohort, mailoutbox, immediate_tasks, django_capture_on_commit_callbacks
):
    run = run_now(program, pam)
    rejected = run.proposals.order_by("id").first()
    services.proposal_forbid(proposal=rejected, by=pam)
    with django_capture_on_commit_callbacks(execute=True):
        relationships = services.match_run_publish(run=run, by=pam)
    assert len(relationships) == 2
    assert all(r.status == RelationshipStatus.PENDING_CONSENT for r in relationships)
    assert all(r.origin == RelationshipOrigin.PROPOSAL for r in relationships)
    assert run.proposals.filter(state=ProposalState.ACCEPTED, relationship__isnull=False).count() == 2
    run.refresh_from_db()
    assert run.published_at is not None
    assert len(mailoutbox) >= 2
    with pytest.raises(ValidationError, match="already published"):
        services.match_run_publish(run=run, by=pam)


def test_publish_is_all_or_nothing(program, pam, skill, cohort):
    run = run_now(program, pam)
    last = run.proposals.order_by("-locked", "-score", "pk").last()
    # Paired elsewhere after the run: the last pair in publishing order can no longer be made.
    other_mentor = enrol_mentor(program, name="Late mentor", skill=skill)
    relationship_services.relationship_create_pending(
        program=program, mentor=other_mentor, mentee=last.mentee, origin=RelationshipOrigin.MANUAL
    )
    with pytest.raises(ValidationError, match=f"Nothing was published: .*{last.mentee.full_name}"):
        services.match_run_publish(run=run, by=pam)
    assert Relationship.objects.count() == 1
    assert not run.proposals.filter(relationship__isnull=False).exists()
    run.refresh_from_db()
    assert run.published_at is None


def test_publishing_costs_the_same_number_of_queries_however_many_pairs(program, pam, skill, cohort):
    small = run_now(program, pam)
    other = ProgramFactory(organisation=program.organisation, managers=[pam])
    for n in range(4):
        enrol_mentor(other, name=f"Mentor {n}", skill=skill)
    for n in range(8):
        enrol_mentee(other, name=f"Mentee {n}", skill=skill)
    large = run_now(other, pam)
    assert large.proposals.count() > small.proposals.count()
    counts = []
    for run in (small, large):
        with CaptureQueriesContext(connection) as queries:
            services.match_run_publish(run=run, by=pam)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_publishing_rechecks_people_who_left_after_the_run(program, pam, cohort):
    _, mentees = cohort
    run = run_now(program, pam)
    mentees[1].enrolments.update(status=EnrolmentStatus.DECLINED)
    with pytest.raises(ValidationError, match=mentees[1].full_name):
        services.match_run_publish(run=run, by=pam)
    assert not Relationship.objects.exists()


def test_rematch_only_matches_people_freed_by_a_decline(program, pam, cohort):
    mentors, mentees = cohort
    run = run_now(program, pam)
    relationships = services.match_run_publish(run=run, by=pam)
    declined = relationships[0]
    relationship_decline(relationship=declined, person=declined.mentee)

    rematch = run_now(program, pam, settings={})
    assert list(rematch.proposals.values_list("mentee_id", flat=True)) == [declined.mentee_id]
    assert {n["reason"] for n in rematch.notes} >= {"already_matched"}


def test_compare_two_runs(program, pam, cohort):
    first = run_now(program, pam)
    second = run_now(program, pam, settings={"weights": {"diversity": 1.0, "goal_fit": 0.05}})
    comparison = match_run_compare(run_a=first, run_b=second)
    assert comparison.first.pairs == 3 and comparison.first.match_rate == 1.0
    assert comparison.first.total_score == pytest.approx(
        sum(p.score for p in first.proposals.all()), abs=1e-3
    )
    assert 0 <= comparison.in_common <= 3


def test_mentors_capacity_is_never_exceeded(program, pam, skill):
    mentor = enrol_mentor(program, name="Only mentor", skill=skill, capacity=1)
    for n in range(3):
        enrol_mentee(program, name=f"Mentee {n}", skill=skill)
    run = run_now(program, pam)
    assert run.proposals.filter(mentor=mentor).count() == 1
    assert len(run.result["unmatched"]) == 2
