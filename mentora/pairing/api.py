"""Matching endpoints: runs, proposals, lock/forbid/swap, compare, publish.

The same services, selectors and permission rules as the pages: programs of another organisation
answer 404, other people of the organisation 403. Nothing here returns a run's input snapshot.
"""

from dataclasses import asdict
from datetime import datetime
from functools import partial
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from mentora.api.calls import api_viewer
from mentora.api.errors import ApiError
from mentora.api.pagination import Mapped, Pages
from mentora.api.schemas import Id, PersonRefOut, dataclass_schema
from mentora.core.roles import request_viewer
from mentora.pairing import selectors, services
from mentora.pairing.models import MatchRun, Proposal
from mentora.pairing.reasons import Audience, ShownReason, render_reasons
from mentora.people.models import Person

router = Router(tags=["matching"])


def _run(request, run_id: int) -> MatchRun:
    run = selectors.match_run_get_managed(viewer=api_viewer(request), run_id=run_id)
    # A run whose worker died is marked failed when its managers look (there is no other sweep).
    if services.match_runs_fail_abandoned(program_id=run.program_id):
        run.refresh_from_db()
    return run


def _proposal(request, proposal_id: int) -> Proposal:
    return selectors.proposal_get_managed(viewer=api_viewer(request), proposal_id=proposal_id)


# ---- schemas ---------------------------------------------------------------------------------


class Weights(Schema):
    goal_fit: float | None = None
    purpose: float | None = None
    diversity: float | None = None
    practical: float | None = None
    preference: float | None = None


class RunOptions(Schema):
    min_tz_overlap_hours: float | None = None
    candidate_limit: int | None = None
    max_mentees_per_department: int | None = None
    fairness_floor: str | None = None
    fairness_group: str | None = None
    mode: str | None = None


class RunIn(Schema):
    weights: Weights = Field(default_factory=Weights)
    diversity_dial: float | None = None
    options: RunOptions = Field(default_factory=RunOptions)


OptimalityOut = dataclass_schema(
    selectors.Optimality,
    descriptions={
        "proven": "The total score is the optimum over every eligible pair, proven by LP duality.",
        "gap_percent": "When not proven: the result is at most this far below the optimum (null: unknown).",
        "upper_bound": "A proven upper bound on the optimum's total score.",
        "pricing_rounds": "Rounds of pricing every eligible pair against the duals.",
        "pairs_priced": "Eligible pairs whose reduced cost was computed (the rest by a bound).",
        "pairs_added": "Pairs the pricing added to the sampled candidates.",
        "largest_reduced_cost": "In millionths of a score; <= 0 proves optimality.",
    },
)


class RunSummaryOut(Schema):
    optimality: OptimalityOut | None = Field(
        description="Null for modes without an optimality statement (stable) and for older runs."
    )
    pairs: int
    unmatched: int
    match_rate: float | None
    mentor_load_gini: float | None
    fairness: dict[str, Any]
    left_out: list[dict[str, Any]] = Field(description="People left out of this run's pool, and why.")
    already_paired: int = Field(description="Mentees not in the pool: they already have a mentor.")
    full_mentors: int = Field(description="Mentors not in the pool: every place is taken.")


class RunOut(Schema):
    id: int
    program_id: int
    status: str
    progress: int
    stage: str
    error: str
    settings: dict[str, Any]
    timings: dict[str, Any]
    created_by_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    published_at: datetime | None
    heartbeat_at: datetime | None = Field(
        description="The last sign of life from the worker running it; a running run without one "
        "for five minutes is marked failed."
    )
    waiting_for_worker: bool = Field(description="Queued for over two minutes: is a worker running?")
    summary: RunSummaryOut | None


ReasonOut = dataclass_schema(
    ShownReason,
    name="ReasonOut",
    descriptions={
        "code": "The engine's reason code (docs/matching.md, section Reasons).",
        "params": "The code's parameters, without what this caller may not see.",
        "text": "The reason in words, in the caller's language.",
    },
)


class UnmatchedOut(Schema):
    person: PersonRefOut = Field(description='full_name is "(removed)" for someone since deleted.')
    reasons: list[ReasonOut] = Field(description="Why the run could not match this person.")


class ProposalOut(Schema):
    id: int
    run_id: int
    mentor_id: int
    mentor_name: str
    mentee_id: int
    mentee_name: str
    score: float
    components: dict[str, float]
    reasons: list[ReasonOut]
    state: str
    locked: bool
    relationship_id: int | None


class SwapIn(Schema):
    first: Id
    second: Id


RunCompareSide = dataclass_schema(
    selectors.RunSummary, name="RunCompareSide", exclude=["run"], properties=["run_id"]
)


class CommonPairOut(Schema):
    mentor_id: int
    mentee_id: int


class CompareOut(Schema):
    first: RunCompareSide
    second: RunCompareSide
    pairs_in_common: int
    common_pairs: list[CommonPairOut] = Field(description="The pairs both runs propose.")


class PublishOut(Schema):
    run_id: int
    relationship_ids: list[int]


class PairIn(Schema):
    mentor_id: Id
    mentee_id: Id


class ClosedPairOut(Schema):
    mentor_id: int
    mentee_id: int
    status: str = Field(description="declined or ended: how the pair's last relationship closed")
    closed_at: datetime
    allowed_by_id: int | None = Field(description="the manager who allowed the pair again, if any")
    allowed_at: datetime | None


class PairByHandIn(Schema):
    mentor_id: Id
    mentee_id: Id
    note: str = Field("", max_length=1000)
    override_reason: str = Field(
        "",
        max_length=2000,
        description="Required when the pair breaks a matching rule; kept and shown to the managers.",
    )


class PairByHandOut(Schema):
    relationship_id: int
    mentor_id: int
    mentee_id: int
    status: str
    overridden_rules: list[str] = Field(description="Codes of the matching rules the pair breaks.")
    override_reason: str


class RuleOverrideOut(Schema):
    relationship_id: int
    mentor_id: int
    mentee_id: int
    rules: list[str]
    reason: str
    overridden_by_id: int | None
    created_at: datetime


class AllowanceOut(Schema):
    mentor_id: int
    mentee_id: int
    allowed_by_id: int | None
    allowed_at: datetime


def _closed_out(row: selectors.ClosedPair) -> dict[str, Any]:
    return {
        "mentor_id": row.mentor.pk,
        "mentee_id": row.mentee.pk,
        "status": row.status,
        "closed_at": row.closed_at,
        "allowed_by_id": row.allowed.allowed_by_id if row.allowed else None,
        "allowed_at": row.allowed.allowed_at if row.allowed else None,
    }


def _run_out(run: MatchRun) -> dict[str, Any]:
    summary = None
    if run.status == "succeeded":
        report = selectors.run_report(run=run)
        summary = {
            "optimality": asdict(report.optimality) if report.optimality else None,
            "pairs": run.proposals.count(),
            "unmatched": len(report.unmatched),
            "match_rate": report.match_rate,
            "mentor_load_gini": report.mentor_load.get("gini"),
            "fairness": {
                view.grouping: {
                    "largest_gap_match_rate": view.gap_match_rate,
                    "largest_gap_mean_score": view.gap_mean_score,
                    "groups": {
                        g.label: {"people": g.people, "match_rate": g.match_rate, "mean_score": g.mean_score}
                        for g in view.groups
                    },
                }
                for view in report.fairness
            },
            "left_out": report.notes,
            "already_paired": report.already_paired,
            "full_mentors": report.full_mentors,
        }
    return {
        **{
            name: getattr(run, name)
            for name in (
                "id",
                "program_id",
                "status",
                "progress",
                "stage",
                "error",
                "settings",
                "timings",
                "created_by_id",
                "created_at",
                "started_at",
                "finished_at",
                "published_at",
                "heartbeat_at",
            )
        },
        "waiting_for_worker": run.is_waiting_for_worker,
        "summary": summary,
    }


def _proposal_out(proposal: Proposal, *, skill_names: dict[str, str] | None = None) -> dict[str, Any]:
    if skill_names is None:
        skill_names = selectors.program_skill_names(program=proposal.run.program)
    reasons = render_reasons(proposal.reasons, audience=Audience.MANAGER, skill_names=skill_names)
    return {
        "id": proposal.pk,
        "run_id": proposal.run_id,
        "mentor_id": proposal.mentor_id,
        "mentor_name": proposal.mentor.full_name,
        "mentee_id": proposal.mentee_id,
        "mentee_name": proposal.mentee.full_name,
        "score": proposal.score,
        "components": proposal.components,
        "reasons": reasons,
        "state": proposal.state,
        "locked": proposal.locked,
        "relationship_id": proposal.relationship_id,
    }


# ---- endpoints -------------------------------------------------------------------------------


@router.post("/programs/{program_id}/runs", response={201: RunOut}, summary="Start a matching run")
def run_create(request, program_id: Id, payload: RunIn):
    viewer = api_viewer(request)
    program = selectors.program_get_for_matching(viewer=viewer, program_id=program_id)
    settings = payload.dict(exclude_none=True)
    run = services.match_run_create(program=program, created_by=viewer.person, settings=settings)
    run.refresh_from_db()
    return Status(201, _run_out(run))


@router.get("/programs/{program_id}/runs", response=list[RunOut], summary="List a program's runs")
@paginate(Pages)
def run_list(request, program_id: Id):
    program = selectors.program_get_for_matching(viewer=api_viewer(request), program_id=program_id)
    services.match_runs_fail_abandoned(program_id=program.pk)
    return Mapped(selectors.match_run_list(program=program), _run_out)


@router.get("/runs/{run_id}", response=RunOut, summary="A run: status, progress and result summary")
def run_get(request, run_id: Id):
    return _run_out(_run(request, run_id))


@router.get("/runs/{run_id}/proposals", response=list[ProposalOut], summary="A run's proposed pairs")
@paginate(Pages)
def proposal_list(request, run_id: Id):
    run = _run(request, run_id)
    skill_names = selectors.program_skill_names(program=run.program)
    return Mapped(selectors.proposal_list(run=run), partial(_proposal_out, skill_names=skill_names))


@router.get(
    "/runs/{run_id}/unmatched",
    response=list[UnmatchedOut],
    summary="The people a run left unmatched, with the reasons (empty until the run succeeds)",
)
@paginate(Pages)
def unmatched_list(request, run_id: Id):
    return [
        {"person": {"id": person.id, "full_name": person.name}, "reasons": person.reasons}
        for person in selectors.run_unmatched(run=_run(request, run_id))
    ]


@router.post("/proposals/{proposal_id}/lock", response=ProposalOut, summary="Lock a pair across re-runs")
def proposal_lock(request, proposal_id: Id):
    proposal = _proposal(request, proposal_id)
    return _proposal_out(services.proposal_lock(proposal=proposal, by=request_viewer(request).person))


@router.post("/proposals/{proposal_id}/forbid", response=ProposalOut, summary="Forbid a pair")
def proposal_forbid(request, proposal_id: Id):
    proposal = _proposal(request, proposal_id)
    return _proposal_out(services.proposal_forbid(proposal=proposal, by=request_viewer(request).person))


@router.post("/proposals/{proposal_id}/clear", response=ProposalOut, summary="Undo a lock or a forbid")
def proposal_clear(request, proposal_id: Id):
    proposal = _proposal(request, proposal_id)
    return _proposal_out(services.proposal_clear(proposal=proposal, by=request_viewer(request).person))


@router.post("/runs/{run_id}/swap", response=list[ProposalOut], summary="Exchange the mentors of two pairs")
def proposal_swap(request, run_id: Id, payload: SwapIn):
    run = _run(request, run_id)
    proposals = {p.pk: p for p in run.proposals.select_related("run__program", "mentor", "mentee")}
    if payload.first not in proposals or payload.second not in proposals:
        raise ApiError(404, "not_found", _("Both proposals must belong to this run."))
    first, second = services.proposal_swap(
        first=proposals[payload.first], second=proposals[payload.second], by=request_viewer(request).person
    )
    first = selectors.proposal_list(run=run).get(pk=first.pk)
    second = selectors.proposal_list(run=run).get(pk=second.pk)
    skill_names = selectors.program_skill_names(program=run.program)
    return [_proposal_out(first, skill_names=skill_names), _proposal_out(second, skill_names=skill_names)]


@router.get("/runs/{run_id}/compare/{other_id}", response=CompareOut, summary="Compare two runs")
def run_compare(request, run_id: Id, other_id: Id):
    comparison = selectors.match_run_compare(run_a=_run(request, run_id), run_b=_run(request, other_id))
    return {
        "first": comparison.first,
        "second": comparison.second,
        "pairs_in_common": comparison.in_common,
        "common_pairs": [{"mentor_id": p.mentor_id, "mentee_id": p.mentee_id} for p in comparison.common],
    }


@router.post("/runs/{run_id}/publish", response=PublishOut, summary="Publish: proposals become relationships")
def run_publish(request, run_id: Id):
    run = _run(request, run_id)
    relationships = services.match_run_publish(run=run, by=request_viewer(request).person)
    return {"run_id": run.pk, "relationship_ids": [r.pk for r in relationships]}


@router.get(
    "/programs/{program_id}/closed-pairs",
    response=list[ClosedPairOut],
    summary="Pairs one side declined or ended in the program, and whether they were allowed again",
)
def closed_pair_list(request, program_id: Id):
    program = selectors.program_get_for_matching(viewer=api_viewer(request), program_id=program_id)
    return [_closed_out(row) for row in selectors.closed_pair_list(program=program)]


def _program_people(program, *person_ids: int) -> list[Person]:
    """The people named in a body, each of the program's organisation or a 404."""
    people = Person.objects.filter(organisation_id=program.organisation_id)
    return [get_object_or_404(people, pk=pk) for pk in person_ids]


@router.post(
    "/programs/{program_id}/closed-pairs/allow",
    response={201: AllowanceOut},
    summary="Allow a declined or ended pair to be proposed and published again",
)
def pair_allow_again(request, program_id: Id, payload: PairIn):
    viewer = api_viewer(request)
    program = selectors.program_get_for_matching(viewer=viewer, program_id=program_id)
    mentor, mentee = _program_people(program, payload.mentor_id, payload.mentee_id)
    allowance = services.pair_allow_again(program=program, mentor=mentor, mentee=mentee, by=viewer.person)
    return Status(201, allowance)


@router.post(
    "/programs/{program_id}/pairs",
    response={201: PairByHandOut},
    summary="Pair a mentor and a mentee by hand, by the matching rules unless overridden with a reason",
)
def pair_by_hand(request, program_id: Id, payload: PairByHandIn):
    viewer = api_viewer(request)
    program = selectors.program_get_for_matching(viewer=viewer, program_id=program_id)
    mentor, mentee = _program_people(program, payload.mentor_id, payload.mentee_id)
    relationship = services.relationship_pair_by_hand(
        program=program,
        mentor=mentor,
        mentee=mentee,
        by=viewer.person,
        note=payload.note,
        override_reason=payload.override_reason,
    )
    override = getattr(relationship, "rule_override", None)
    return Status(
        201,
        {
            "relationship_id": relationship.pk,
            "mentor_id": relationship.mentor_id,
            "mentee_id": relationship.mentee_id,
            "status": relationship.status,
            "overridden_rules": override.rules if override else [],
            "override_reason": override.reason if override else "",
        },
    )


@router.get(
    "/programs/{program_id}/rule-overrides",
    response=list[RuleOverrideOut],
    summary="Pairs made by hand against a matching rule, with the reason",
)
@paginate(Pages)
def rule_override_list(request, program_id: Id):
    program = selectors.program_get_for_matching(viewer=api_viewer(request), program_id=program_id)
    return Mapped(
        selectors.rule_override_list(program=program),
        lambda override: {
            "relationship_id": override.relationship_id,
            "mentor_id": override.relationship.mentor_id,
            "mentee_id": override.relationship.mentee_id,
            "rules": override.rules,
            "reason": override.reason,
            "overridden_by_id": override.overridden_by_id,
            "created_at": override.created_at,
        },
    )
