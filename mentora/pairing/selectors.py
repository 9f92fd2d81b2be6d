"""Reads for matching: runs and proposals a manager may see, the review report, run comparison.

Everything here is for the program's managers. Participants never see proposals: they see the
relationships a published run created (the relationships app), which ask for their consent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, Max, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mentora.core.privacy import MIN_AGGREGATE_GROUP, hidden_cells, membership_changed_enough
from mentora.core.roles import Viewer
from mentora.matching import InstanceError
from mentora.matching.instance import COMPONENTS
from mentora.pairing.evaluation import pairs_allowed
from mentora.pairing.models import MatchRun, PairAllowance, Proposal, ProposalState, RuleOverride, RunStatus
from mentora.pairing.reasons import Audience, ShownReason, render_reasons
from mentora.people.models import Person, Skill
from mentora.programs.models import MatchingComponent, Program
from mentora.programs.permissions import can_manage_program
from mentora.relationships.models import Relationship, RelationshipOrigin, RelationshipStatus

Pair = tuple[int, int]  # (mentor pk, mentee pk)

# A pair closed by either side: not proposed, published or paired by hand again in the program
# unless a manager allows it again (`PairAllowance`).
CLOSED_STATUSES = (RelationshipStatus.DECLINED, RelationshipStatus.ENDED)


def _closing_relationships(program: Program) -> QuerySet:
    """The program's declined and ended relationships, except a mentee's own request that she
    withdrew before the mentor answered: nobody said no to the pair, so she may ask again."""
    withdrawn = Q(
        status=RelationshipStatus.DECLINED,
        origin=RelationshipOrigin.MENTEE_REQUEST,
        declined_by=F("mentee"),
    )
    return Relationship.objects.filter(program=program, status__in=CLOSED_STATUSES).exclude(withdrawn)


# Groupings by something the manager may not read about a person (people.permissions): besides
# hiding small cells, their figures are held back until enough people changed (`_held_back`).
PRIVATE_GROUPINGS = ("demographic_group", "under_sponsored")

NOTE_MESSAGES = {
    "paused": gettext_noop("paused: not taking new mentees"),
    "full": gettext_noop("no free place left (live relationships or locked pairs)"),
    "already_matched": gettext_noop("already has a mentor in this program"),
    "locked": gettext_noop("locked to a mentor by a manager"),
    "inactive": gettext_noop("no longer active in the organisation"),
    "left_during_run": gettext_noop("left the program, was disenrolled or paused during the run"),
}

# Notes about people who were never part of a rematch's pool, because their live pairs (or locked
# pairs) already take them or all their places: counted on the run page, not listed as "left out".
IN_LIVE_PAIRS = ("already_matched", "full")


def _managed_or_raise(viewer: Viewer, program: Program | None) -> Program:
    """404 outside the viewer's organisation; 403 inside it for anyone who does not manage it."""
    if program is None or viewer.person is None or program.organisation_id != viewer.organisation_id:
        raise Http404
    if not can_manage_program(viewer, program):
        raise PermissionDenied(_("Only this program's managers can see its matching."))
    return program


def program_get_for_matching(*, viewer: Viewer, program_id: int) -> Program:
    return _managed_or_raise(viewer, Program.objects.filter(pk=program_id).first())


def match_run_get_managed(*, viewer: Viewer, run_id: int) -> MatchRun:
    run = MatchRun.objects.select_related("program", "created_by").filter(pk=run_id).first()
    _managed_or_raise(viewer, run.program if run else None)
    return run


def proposal_get_managed(*, viewer: Viewer, proposal_id: int) -> Proposal:
    proposal = (
        Proposal.objects.select_related("run__program", "mentor", "mentee").filter(pk=proposal_id).first()
    )
    _managed_or_raise(viewer, proposal.run.program if proposal else None)
    return proposal


def program_skill_names(*, program: Program) -> dict[str, str]:
    """Skill slug → name in the program's organisation, to name skills in the engine's reasons."""
    return dict(Skill.objects.filter(organisation_id=program.organisation_id).values_list("slug", "name"))


def match_run_list(*, program: Program) -> QuerySet:
    return (
        MatchRun.objects.filter(program=program)
        .select_related("created_by")
        .defer("input_snapshot", "result")
        .order_by("-created_at", "-id")
    )


# The run page shows proposals a page at a time; the swap picker, a few candidates at a time.
PROPOSALS_PER_PAGE = 50
RUNS_PER_PAGE = 20
SWAP_CANDIDATES_PER_PAGE = 10


@dataclass(frozen=True)
class ProposalFilters:
    department_id: int | None = None  # the mentor's or the mentee's department
    min_score: float | None = None
    name: str = ""  # part of the mentor's or the mentee's name


# A run's sortable proposal columns (mentora.core.sorting): key → ordering. By score, locked pairs
# come first (descending, the default) or last.
PROPOSAL_SORTS = {
    "mentor": ("mentor__full_name", "mentee__full_name", "id"),
    "mentee": ("mentee__full_name", "mentor__full_name", "id"),
    "score": ("locked", "score", "-id"),
}


def proposal_list(
    *,
    run: MatchRun,
    filters: ProposalFilters | None = None,
    order_by: tuple[str, ...] = ("-locked", "-score", "id"),
) -> QuerySet:
    proposals = (
        Proposal.objects.filter(run=run)
        .select_related("mentor__department", "mentee__department")
        .order_by(*order_by)
    )
    if filters is None:
        return proposals
    if filters.department_id is not None:
        proposals = proposals.filter(
            Q(mentor__department_id=filters.department_id) | Q(mentee__department_id=filters.department_id)
        )
    if filters.min_score is not None:
        proposals = proposals.filter(score__gte=filters.min_score)
    if filters.name:
        proposals = proposals.filter(
            Q(mentor__full_name__icontains=filters.name) | Q(mentee__full_name__icontains=filters.name)
        )
    return proposals


def proposal_swap_candidates(*, proposal: Proposal, name: str = "") -> QuerySet:
    """The pairs of the same run whose mentor this pair could take: not itself, not locked, not
    forbidden, with another mentor, and such that both new pairs keep every matching rule (the
    engine's hard constraints on the run's snapshot, as `services.proposal_swap` checks them)."""
    candidates = (
        proposal_list(run=proposal.run, filters=ProposalFilters(name=name))
        .exclude(pk=proposal.pk)
        .exclude(mentor_id=proposal.mentor_id)
        .exclude(state=ProposalState.REJECTED)
        .filter(locked=False)
    )
    others = list(candidates.values_list("pk", "mentor_id", "mentee_id"))
    new_pairs = [
        pair
        for _pk, mentor, mentee in others
        for pair in ((str(mentor), str(proposal.mentee_id)), (str(proposal.mentor_id), str(mentee)))
    ]
    try:
        allowed = pairs_allowed(proposal.run.input_snapshot, new_pairs)
    except (KeyError, InstanceError):
        return candidates.none()
    keep = [pk for k, (pk, _mentor, _mentee) in enumerate(others) if allowed[2 * k] and allowed[2 * k + 1]]
    return candidates.filter(pk__in=keep)


@dataclass
class Bar:
    label: str
    value: float  # 0..1

    @property
    def percent(self) -> int:
        return round(max(0.0, min(self.value, 1.0)) * 100)


@dataclass
class FairnessGroup:
    label: str
    people: int
    matched: int
    match_rate: float
    mean_score: float | None


@dataclass
class FairnessView:
    key: str
    grouping: str
    groups: list[FairnessGroup]
    gap_match_rate: float | None
    gap_mean_score: float | None
    hidden_groups: int = 0
    held_back: bool = False


@dataclass(frozen=True)
class Optimality:
    """How close the run's engine result is to the best total score over every eligible pair."""

    proven: bool  # optimal, with the LP certificate below
    gap_percent: float | None  # when not proven: at most this far below the optimum (None: unknown)
    upper_bound: float | None  # the proven bound on the optimum's total score
    pricing_rounds: int
    pairs_priced: int
    pairs_added: int
    largest_reduced_cost: int  # in millionths of a score; <= 0 proves optimality


def run_optimality(result: dict[str, Any]) -> Optimality | None:
    """The optimality statement of a run's stored result (None for modes without one, as stable)."""
    certificate = result.get("certificate")
    if not certificate:
        return None
    objective = result.get("objective", {})
    return Optimality(
        proven=bool(objective.get("exact")),
        gap_percent=objective.get("gap_percent"),
        upper_bound=objective.get("upper_bound"),
        pricing_rounds=certificate["pricing_rounds"],
        pairs_priced=certificate["edges_priced"],
        pairs_added=certificate["edges_added"],
        largest_reduced_cost=certificate["largest_reduced_cost"],
    )


@dataclass(frozen=True)
class UnmatchedPerson:
    id: int
    name: str
    reasons: list[ShownReason]


@dataclass
class RunReport:
    run: MatchRun
    unmatched: list[UnmatchedPerson] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)  # left out of the run's pool
    already_paired: int = 0  # mentees with a live relationship: not in the pool at all
    full_mentors: int = 0  # mentors whose places are all taken
    fairness: list[FairnessView] = field(default_factory=list)
    mentor_load: dict[str, Any] = field(default_factory=dict)
    match_rate: float | None = None
    min_group_size: int = MIN_AGGREGATE_GROUP
    optimality: Optimality | None = None


GROUPING_LABELS = {
    "department": gettext_noop("Department"),
    "seniority": gettext_noop("Seniority level"),
    "demographic_group": gettext_noop("Consented demographic group"),
    "under_sponsored": gettext_noop("Under-sponsored (self-declared)"),
}


def _fairness(report: dict[str, Any], *, held_back: set[str]) -> list[FairnessView]:
    """The report's groupings with every small cell hidden (core.privacy), and the groupings in
    `held_back` hidden whole; gaps are computed over the shown groups only."""
    views = []
    for grouping, data in (report.get("by") or {}).items():
        sizes = {label: group["people"] for label, group in data.get("groups", {}).items()}
        hidden = set(sizes) if grouping in held_back else hidden_cells(sizes)
        groups = [
            FairnessGroup(label, group["people"], group["matched"], group["match_rate"], group["mean_score"])
            for label, group in sorted(data.get("groups", {}).items())
            if label not in hidden
        ]
        rates = [g.match_rate for g in groups]
        means = [g.mean_score for g in groups if g.mean_score is not None]
        views.append(
            FairnessView(
                key=grouping,
                grouping=_(GROUPING_LABELS.get(grouping, grouping)),
                groups=groups,
                gap_match_rate=round(max(rates) - min(rates), 4) if rates else None,
                gap_mean_score=round(max(means) - min(means), 4) if means else None,
                hidden_groups=len(hidden),
                held_back=grouping in held_back,
            )
        )
    return views


def _held_back(run: MatchRun) -> set[str]:
    """The private groupings of this run whose figures would differ from figures already shown
    (in any earlier run of the program) by fewer than MIN_AGGREGATE_GROUP people joining or
    leaving: re-running after approving one applicant must not reveal that person's group.

    Runs are judged in the order they finished (when their figures could first be read), each
    against every earlier run whose figures were shown, so any two shown runs differ by none or
    by enough people. A re-run of the same people shows its figures (new weights, same people)
    unless a group's size moved, as when someone edited their demographic profile in between.
    """
    if run.finished_at is None:
        return set(PRIVATE_GROUPINGS)
    runs = list(
        MatchRun.objects.filter(
            program_id=run.program_id, status=RunStatus.SUCCEEDED, finished_at__lte=run.finished_at
        )
        .order_by("finished_at", "pk")
        .values_list("pk", "result__fairness")
    )
    shown: dict[str, list[tuple[frozenset[str], dict[str, int]]]] = {g: [] for g in PRIVATE_GROUPINGS}
    for run_id, fairness in runs:
        fairness = fairness or {}
        # Reports from before the engine listed its participants cannot be compared: held back.
        people = frozenset(fairness["participant_ids"]) if "participant_ids" in fairness else None
        held = set()
        for grouping in PRIVATE_GROUPINGS:
            groups = (fairness.get("by") or {}).get(grouping, {}).get("groups", {})
            sizes = {label: group["people"] for label, group in groups.items()}
            if people is not None and all(
                membership_changed_enough(earlier, people) and (earlier != people or earlier_sizes == sizes)
                for earlier, earlier_sizes in shown[grouping]
            ):
                shown[grouping].append((people, sizes))
            else:
                held.add(grouping)
        if run_id == run.pk:
            return held
    return set(PRIVATE_GROUPINGS)


def run_report(*, run: MatchRun) -> RunReport:
    """The unmatched with reasons worded for the program's managers, the people left out of the run,
    and the fairness report, with names read in one query."""
    result = run.result or {}
    unmatched = result.get("unmatched", [])
    ids = {int(entry["id"]) for entry in unmatched} | {
        int(note["person"]) for note in run.notes if note["reason"] not in IN_LIVE_PAIRS
    }
    names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    skill_names = program_skill_names(program=run.program) if unmatched else {}
    fairness = result.get("fairness", {})
    return RunReport(
        run=run,
        unmatched=_unmatched_people(unmatched, names=names, skill_names=skill_names),
        notes=[
            {
                "name": names.get(int(note["person"]), _("(removed)")),
                "role": note["role"],
                "message": _(NOTE_MESSAGES.get(note["reason"], note["reason"])),
            }
            for note in run.notes
            if note["reason"] not in IN_LIVE_PAIRS
        ],
        already_paired=sum(1 for note in run.notes if note["reason"] == "already_matched"),
        full_mentors=sum(1 for note in run.notes if note["reason"] == "full"),
        fairness=_fairness(fairness, held_back=_held_back(run) if fairness.get("by") else set()),
        mentor_load=fairness.get("mentor_load", {}),
        match_rate=fairness.get("match_rate"),
        optimality=run_optimality(result),
    )


def _unmatched_people(
    entries: list[dict[str, Any]], *, names: dict[int, str], skill_names: dict[str, str]
) -> list[UnmatchedPerson]:
    return [
        UnmatchedPerson(
            id=int(entry["id"]),
            name=names.get(int(entry["id"]), _("(removed)")),
            reasons=render_reasons(entry["reasons"], audience=Audience.MANAGER, skill_names=skill_names),
        )
        for entry in entries
    ]


def run_unmatched(*, run: MatchRun) -> list[UnmatchedPerson]:
    """The people a run left unmatched, in the engine's order, with its reasons worded for the
    program's managers (the run page's "Not matched" list); names read in one query."""
    entries = (run.result or {}).get("unmatched", [])
    if not entries:
        return []
    names = dict(
        Person.objects.filter(pk__in={int(entry["id"]) for entry in entries}).values_list("pk", "full_name")
    )
    return _unmatched_people(entries, names=names, skill_names=program_skill_names(program=run.program))


@dataclass(frozen=True)
class Weight:
    label: str
    value: float | None


def run_weights(run: MatchRun) -> list[Weight]:
    """The run's weight of each matching component, named as everywhere (MatchingComponent)."""
    weights = (run.settings or {}).get("weights") or {}
    return [
        Weight(str(component.label), weights.get(component.value))
        for component in MatchingComponent
        if component.value
    ]


def component_bars(proposal: Proposal) -> list[Bar]:
    return [
        Bar(str(MatchingComponent(name).label), float(proposal.components.get(name, 0.0)))
        for name in COMPONENTS
        if name in proposal.components
    ]


@dataclass(frozen=True)
class RunSummary:
    run: MatchRun
    pairs: int
    total_score: float
    mean_score: float | None
    match_rate: float | None
    fairness_gap: float | None  # largest gap in mean score between the departments shown

    @property
    def run_id(self) -> int:
        return self.run.pk

    @property
    def weights(self) -> list[Weight]:
        return run_weights(self.run)


def _summary(run: MatchRun) -> tuple[RunSummary, set[tuple[int, int]]]:
    pairs = list(
        run.proposals.exclude(state=ProposalState.REJECTED).values_list("mentor_id", "mentee_id", "score")
    )
    total = sum(score for _, _, score in pairs)
    fairness = (run.result or {}).get("fairness", {})
    participants = fairness.get("participants", 0) + (run.result or {}).get("locked_pairs", 0)
    departments = [view for view in _fairness(fairness, held_back=set()) if view.key == "department"]
    gap = departments[0].gap_mean_score if departments else None
    summary = RunSummary(
        run=run,
        pairs=len(pairs),
        total_score=round(total, 4),
        mean_score=round(total / len(pairs), 4) if pairs else None,
        match_rate=round(len(pairs) / participants, 4) if participants else None,
        fairness_gap=gap,
    )
    return summary, {(mentor, mentee) for mentor, mentee, _ in pairs}


@dataclass(frozen=True)
class CommonPair:
    mentor_id: int
    mentor_name: str
    mentee_id: int
    mentee_name: str


@dataclass(frozen=True)
class RunComparison:
    first: RunSummary
    second: RunSummary
    common: list[CommonPair]

    @property
    def in_common(self) -> int:
        return len(self.common)


def match_run_compare(*, run_a: MatchRun, run_b: MatchRun) -> RunComparison:
    """Two runs of one program side by side: total score, match rate, mean score, fairness gap and
    the pairs they share."""
    if run_a.program_id != run_b.program_id:
        raise Http404
    first, pairs_a = _summary(run_a)
    second, pairs_b = _summary(run_b)
    shared = pairs_a & pairs_b
    names = dict(
        Person.objects.filter(pk__in={pk for pair in shared for pk in pair}).values_list("pk", "full_name")
    )
    common = sorted(
        (CommonPair(mentor, names[mentor], mentee, names[mentee]) for mentor, mentee in shared),
        key=lambda pair: (pair.mentee_name, pair.mentee_id),
    )
    return RunComparison(first=first, second=second, common=common)


# ---------------------------------------------------------------------------------------------- closed pairs


@dataclass(frozen=True)
class PairClosures:
    closed: set[Pair]  # declined or ended in the program, and not allowed again since
    allowed: set[Pair]  # declined or ended, then allowed again by a manager


def pair_closures(*, program: Program) -> PairClosures:
    """Which pairs of the program one side declined or ended, and which a manager allowed again.
    Two queries whatever the program's size."""
    last_closed: dict[Pair, Any] = {}
    rows = _closing_relationships(program).values_list("mentor_id", "mentee_id", "declined_at", "ended_at")
    for mentor, mentee, declined_at, ended_at in rows:
        at = ended_at or declined_at
        last_closed[(mentor, mentee)] = max(at, last_closed.get((mentor, mentee), at))
    allowed_at = {
        (mentor, mentee): at
        for mentor, mentee, at in PairAllowance.objects.filter(program=program)
        .values("mentor_id", "mentee_id")
        .annotate(last=Max("allowed_at"))
        .values_list("mentor_id", "mentee_id", "last")
    }
    closed = {pair for pair, at in last_closed.items() if pair not in allowed_at or allowed_at[pair] < at}
    return PairClosures(closed=closed, allowed=set(last_closed) - closed)


@dataclass(frozen=True)
class ClosedPair:
    mentor: Person
    mentee: Person
    status: str  # the last closing relationship's: declined or ended
    closed_at: Any
    allowed: PairAllowance | None  # the latest allowance given after that closing


def closed_pair_list(*, program: Program) -> list[ClosedPair]:
    """Every pair one side declined or ended in the program, newest closing first, with the latest
    allowance that reopened it (None while it stays closed)."""
    latest: dict[Pair, Relationship] = {}
    relationships = _closing_relationships(program).select_related("mentor", "mentee").order_by("pk")
    for relationship in relationships:
        at = relationship.ended_at or relationship.declined_at
        pair = (relationship.mentor_id, relationship.mentee_id)
        kept = latest.get(pair)
        if kept is None or (kept.ended_at or kept.declined_at) <= at:
            latest[pair] = relationship
    allowances: dict[Pair, PairAllowance] = {}
    for allowance in PairAllowance.objects.filter(program=program).select_related("allowed_by"):
        allowances.setdefault((allowance.mentor_id, allowance.mentee_id), allowance)  # newest first
    out = []
    for pair, relationship in latest.items():
        closed_at = relationship.ended_at or relationship.declined_at
        allowance = allowances.get(pair)
        out.append(
            ClosedPair(
                mentor=relationship.mentor,
                mentee=relationship.mentee,
                status=relationship.status,
                closed_at=closed_at,
                allowed=allowance if allowance and allowance.allowed_at >= closed_at else None,
            )
        )
    return sorted(out, key=lambda row: row.closed_at, reverse=True)


def rule_override_list(*, program: Program) -> QuerySet:
    """Pairs the program's managers made by hand against a matching rule, newest first, with why."""
    return RuleOverride.objects.filter(relationship__program=program).select_related(
        "relationship__mentor", "relationship__mentee", "overridden_by"
    )
