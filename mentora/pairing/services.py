"""Writes for matching: start and execute a run, lock/forbid/swap proposals, publish.

A run is load → solve → save. Small programs on the embedded default (the database task backend)
run inline right after the request commits, so the demo works without a worker; larger ones are
queued for `manage.py db_worker` (or the Redis worker).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mentora.audit.models import Action
from mentora.audit.services import record
from mentora.core.forms import refusal_text
from mentora.core.refusals import Refusal
from mentora.core.text import check_texts
from mentora.matching import InstanceError, parse_instance
from mentora.matching.engine import solve
from mentora.matching.instance import COMPONENTS, FAIRNESS_FLOORS, FAIRNESS_GROUPS, MODES
from mentora.pairing.evaluation import evaluate_pairs
from mentora.pairing.instance_builder import ENGINE_FORMATS, build
from mentora.pairing.models import (
    MatchRun,
    PairAllowance,
    PairRule,
    PairRuleKind,
    Proposal,
    ProposalState,
    RuleOverride,
    RunStatus,
)
from mentora.pairing.reasons import without_private
from mentora.pairing.selectors import pair_closures
from mentora.people.models import Person
from mentora.programs.models import LIVE_PROGRAM_STATUSES, Enrolment, EnrolmentRole, EnrolmentStatus, Program
from mentora.relationships.models import LIVE_STATUSES, Relationship, RelationshipOrigin
from mentora.relationships.selectors import mentor_rooms
from mentora.relationships.services import (
    PairRefused,
    relationship_create_pending,
    relationships_create_pending_bulk,
)

logger = logging.getLogger(__name__)

# Programs with at most this many free participants run inline on the database task backend.
INLINE_LIMIT = getattr(django_settings, "PAIRING_INLINE_LIMIT", 400)
INLINE_BACKENDS = ("django_tasks_db.DatabaseBackend", "django_tasks.backends.immediate.ImmediateBackend")

CONSTRAINT_MESSAGES = {
    "reporting_line": gettext_noop("one of them is in the other's reporting line"),
    "blocks": gettext_noop("this pair is forbidden"),
    "previous_partners": gettext_noop("they have worked together before"),
    "seniority": gettext_noop("the mentor is not senior enough"),
    "timezone": gettext_noop("their working hours barely overlap"),
    "language": gettext_noop("they share no language"),
    "skill_match": gettext_noop("the mentor is not stronger in anything the mentee wants to learn"),
    "capacity": gettext_noop("the mentor has no free place"),
    "distinct": gettext_noop("nobody can mentor themselves"),
    "closed": gettext_noop("one of them declined or ended this pairing in this program"),
}

# Left to the relationships app's own checks, which no reason overrides: free places, pauses,
# approved enrolments, a mentee already paired.
NOT_OVERRIDABLE = ("capacity", "distinct")


# ---------------------------------------------------------------------------------------------- settings


def run_settings_default(*, program: Program) -> dict[str, Any]:
    return {"weights": program.weights, "diversity_dial": program.similarity_diversity_dial, "options": {}}


def _number(value: Any, field: str, low: float, high: float, message: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Refusal(message, code="bad_number", field=field)
    if not low <= value <= high:
        raise Refusal(message, code="bad_number", field=field)
    return float(value)


def run_settings_clean(*, program: Program, settings: dict[str, Any] | None) -> dict[str, Any]:
    """The program's defaults overridden by what the manager chose, validated."""
    settings = settings or {}
    if not isinstance(settings, dict):
        raise Refusal(_("Settings must be an object."), code="bad_type", field="settings")
    unknown = set(settings) - {"weights", "diversity_dial", "options"}
    if unknown:
        raise Refusal(
            _("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))},
            code="unknown_fields",
            field="settings",
        )
    clean = run_settings_default(program=program)
    weights = settings.get("weights") or {}
    if not isinstance(weights, dict) or set(weights) - set(COMPONENTS):
        raise Refusal(_("Weights are given per matching component."), code="bad_type", field="weights")
    for name, value in weights.items():
        clean["weights"][name] = _number(
            value, f"weight_{name}", 0, 1, _("Each matching weight must be between 0 and 1.")
        )
    if not any(clean["weights"].values()):
        raise Refusal(_("At least one matching weight must be above 0."), code="bad_range", field="weights")
    if settings.get("diversity_dial") is not None:
        clean["diversity_dial"] = _number(
            settings["diversity_dial"],
            "diversity_dial",
            0,
            1,
            _("The similarity ↔ diversity dial must be between 0 and 1."),
        )
    options = settings.get("options") or {}
    if not isinstance(options, dict):
        raise Refusal(_("Options must be an object."), code="bad_type", field="options")
    for name, value in options.items():
        if value is None or value == "":
            continue
        if name == "min_tz_overlap_hours":
            value = _number(value, name, 0, 24, _("The shared working hours must be between 0 and 24."))
        elif name in ("candidate_limit", "max_mentees_per_department"):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise Refusal(_("Enter a whole number of at least 1."), code="bad_number", field=name)
        elif name == "fairness_floor":
            if value not in FAIRNESS_FLOORS:
                raise Refusal(_("Unknown fairness floor."), code="bad_choice", field=name)
        elif name == "fairness_group":
            if value not in FAIRNESS_GROUPS:
                raise Refusal(_("Unknown fairness grouping."), code="bad_choice", field=name)
        elif name == "mode":
            if value not in MODES:
                raise Refusal(_("Unknown matching mode."), code="bad_choice", field=name)
        else:
            raise Refusal(
                _("Unknown option: %(name)s.") % {"name": name}, code="unknown_fields", field="options"
            )
        clean["options"][name] = value
    return clean


# ---------------------------------------------------------------------------------------------- create


def _current_pool(program: Program) -> tuple[set[int], dict[int, int]]:
    """Free mentees and free places per mentor (0 when full; paused mentors left out), read now."""
    approved = Enrolment.objects.filter(
        program=program, role=EnrolmentRole.MENTEE, status=EnrolmentStatus.APPROVED, person__is_active=True
    )
    taken = Relationship.objects.filter(program=program, status__in=LIVE_STATUSES).values_list("mentee_id")
    mentees = set(approved.exclude(person_id__in=taken).values_list("person_id", flat=True))
    places = {
        person_id: room.free
        for person_id, room in mentor_rooms(program=program).items()
        if not room.paused_until
    }
    return mentees, places


def _free_participants(program: Program) -> tuple[int, int, int]:
    """(free mentees, mentors with a free place, those mentors' free places) right now."""
    mentees, places = _current_pool(program)
    return len(mentees), sum(1 for free in places.values() if free), sum(places.values())


def match_run_create(
    *, program: Program, created_by: Person | None, settings: dict[str, Any] | None = None
) -> MatchRun:
    """Validate and queue a run; it executes once this transaction commits."""
    if program.format not in ENGINE_FORMATS:
        raise Refusal(
            _("Matching runs are available for one-to-one and reverse mentoring programs."),
            code="unsupported_format",
        )
    if program.status not in LIVE_PROGRAM_STATUSES:
        raise Refusal(
            _("Matching runs only while the program is open, matching or running."), code="program_not_live"
        )
    clean = run_settings_clean(program=program, settings=settings)
    mentees, mentors, places = _free_participants(program)
    if mentees == 0:
        raise Refusal(
            _("There is nobody to match: this program has no approved mentee waiting for a mentor."),
            code="no_mentees",
        )
    if mentors == 0:
        raise Refusal(
            _(
                "There is nobody to match with: no approved mentor in this program has a free place "
                "(all are full or paused)."
            ),
            code="no_mentors",
        )
    run = MatchRun.objects.create(program=program, created_by=created_by, settings=clean, stage=_("Queued"))
    inline = django_settings.TASKS["default"]["BACKEND"] in INLINE_BACKENDS and (
        mentees + mentors <= INLINE_LIMIT
    )
    transaction.on_commit(lambda: _dispatch(run.pk, inline=inline))
    return run


def _dispatch(run_id: int, *, inline: bool) -> None:
    if inline:
        match_run_execute(run_id=run_id)
        return
    from mentora.pairing.tasks import match_run_task

    match_run_task.enqueue(run_id)


# ---------------------------------------------------------------------------------------------- execute


class _RunAbandoned(Exception):
    """The run was declared abandoned (see `match_runs_fail_abandoned`) while this worker ran it."""


def _running(run_id: int):
    # Every write of a running run is conditional on it still running: once declared abandoned, a
    # worker that was only slow must not overwrite the failure the manager has already seen.
    return MatchRun.objects.filter(pk=run_id, status=RunStatus.RUNNING)


def _progress(run_id: int, progress: int, stage: str) -> None:
    _running(run_id).update(progress=progress, stage=stage, heartbeat_at=timezone.now())


@contextmanager
def _heartbeat(run_id: int) -> Iterator[None]:
    """Beat every MATCH_RUN_HEARTBEAT_SECONDS from a thread of its own, so that a long solve (which
    cannot report progress) still shows that its worker is alive."""
    stop = threading.Event()
    every = django_settings.MATCH_RUN_HEARTBEAT_SECONDS

    def beat() -> None:
        try:
            while not stop.wait(every):
                _running(run_id).update(heartbeat_at=timezone.now())
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"match-run-{run_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def match_runs_fail_abandoned(*, program_id: int | None = None) -> int:
    """Mark failed, with a reason, the running runs whose worker has stopped beating; the manager
    can start the run again. Returns how many."""
    now = timezone.now()
    expired = now - timedelta(seconds=django_settings.MATCH_RUN_LEASE_SECONDS)
    # Runs started before heartbeats existed have none: their start time stands in for it.
    abandoned = MatchRun.objects.filter(
        Q(heartbeat_at__lt=expired) | Q(heartbeat_at__isnull=True, started_at__lt=expired),
        status=RunStatus.RUNNING,
    )
    if program_id is not None:
        abandoned = abandoned.filter(program_id=program_id)
    return abandoned.update(
        status=RunStatus.FAILED,
        stage=_("Failed"),
        error=_(
            "The matching worker stopped before this run finished (it was restarted or ran out of "
            "memory). Nothing was saved from this run: start the run again."
        ),
        finished_at=now,
    )


def match_runs_abandoned_sweep() -> dict[str, int]:
    """The scheduler's periodic job: every organisation's abandoned runs, with how many it failed."""
    return {"failed": match_runs_fail_abandoned()}


def match_run_execute(*, run_id: int) -> MatchRun | None:
    """Load → solve → save, with progress and timings. Never raises for bad data: the run is marked
    failed with a message a manager can act on. Returns None when another worker has the run, or
    when the run was declared abandoned while this worker was running it."""
    now = timezone.now()
    claimed = MatchRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        progress=5,
        stage=_("Loading participants"),
    )
    if not claimed:
        return None
    with _heartbeat(run_id):
        return _execute(MatchRun.objects.select_related("program").get(pk=run_id))


def _execute(run: MatchRun) -> MatchRun | None:
    run_id = run.pk
    timings: dict[str, float] = {}
    try:
        started = time.perf_counter()
        built = build(program=run.program, settings=run.settings)
        timings["load"] = round(time.perf_counter() - started, 3)
        _running(run_id).update(
            input_snapshot=built.instance, progress=25, stage=_("Matching"), heartbeat_at=timezone.now()
        )

        started = time.perf_counter()
        result = solve(parse_instance(built.instance))
        locked = evaluate_pairs(built.evaluation, built.locked)
        timings["solve"] = round(time.perf_counter() - started, 3)
        _progress(run_id, 75, _("Saving proposals"))

        started = time.perf_counter()
        with transaction.atomic():
            notes = _save_proposals(run, result, locked, built.excluded)
            timings["save"] = round(time.perf_counter() - started, 3)
            timings["total"] = round(sum(timings.values()), 3)
            finished = _running(run_id).update(
                status=RunStatus.SUCCEEDED,
                progress=100,
                stage=_("Finished"),
                timings=timings,
                notes=notes,
                finished_at=timezone.now(),
            )
            if not finished:
                raise _RunAbandoned
    except _RunAbandoned:
        logger.warning("Matching run %s finished after it was declared abandoned: result dropped", run_id)
        return None
    except (InstanceError, ValueError, ValidationError) as exc:
        logger.warning("Matching run %s failed: %s", run_id, exc)
        return _fail(run_id, _("The matching could not run: %(error)s") % {"error": exc}, timings)
    except Exception:
        logger.exception("Matching run %s failed", run_id)
        return _fail(run_id, _("An unexpected error stopped this run. Please try again."), timings)
    return MatchRun.objects.get(pk=run_id)


def _fail(run_id: int, message: str, timings: dict[str, float]) -> MatchRun:
    _running(run_id).update(
        status=RunStatus.FAILED, stage=_("Failed"), error=message, timings=timings, finished_at=timezone.now()
    )
    return MatchRun.objects.get(pk=run_id)


def _save_proposals(run: MatchRun, result: dict, locked: list, excluded: list[dict]) -> list[dict]:
    """Write the proposals; people who left, were disenrolled or paused during the run are dropped
    with a note."""
    mentees, places = _current_pool(run.program)
    notes = [dict(note) for note in excluded]
    left: set[tuple[str, str]] = set()

    def still_free(mentor: int, mentee: int) -> bool:
        ok = True
        if mentee not in mentees:
            left.add((str(mentee), "mentee"))
            ok = False
        if places.get(mentor, 0) <= 0:
            if mentor not in places:
                left.add((str(mentor), "mentor"))
            ok = False
        return ok

    rows = []
    for pair in locked:
        mentor, mentee = int(pair.mentor), int(pair.mentee)
        if still_free(mentor, mentee):
            places[mentor] -= 1
            rows.append(_proposal(run, mentor, mentee, pair.score, pair.components, pair.reasons, True))
    for pair in sorted(result.get("pairs", []), key=lambda p: -p["score"]):
        mentor, mentee = int(pair["mentor"]), int(pair["mentee"])
        if still_free(mentor, mentee):
            places[mentor] -= 1
            rows.append(_proposal(run, mentor, mentee, pair["score"], pair["components"], pair["reasons"]))
    Proposal.objects.bulk_create(rows, batch_size=1000)
    for person, role in sorted(left):
        notes.append({"person": person, "role": role, "reason": "left_during_run"})
    MatchRun.objects.filter(pk=run.pk).update(result=_public_result(result, locked))
    return notes


def _proposal(run, mentor, mentee, score, components, reasons, locked=False) -> Proposal:
    return Proposal(
        run=run,
        mentor_id=mentor,
        mentee_id=mentee,
        score=score,
        components=components,
        reasons=without_private(reasons),
        locked=locked,
        state=ProposalState.ACCEPTED if locked else ProposalState.PROPOSED,
    )


def _public_result(result: dict, locked: list) -> dict:
    """The result as stored: reasons without private params; proposals live in their own rows."""
    return {
        "format": result.get("format"),
        "mode": result.get("mode"),
        "objective": result.get("objective", {}),
        "certificate": result.get("certificate"),
        "unmatched": [
            {"id": entry["id"], "reasons": without_private(entry["reasons"])}
            for entry in result.get("unmatched", [])
        ],
        "mentors_with_free_capacity": result.get("mentors_with_free_capacity", []),
        "fairness": result.get("fairness", {}),
        "locked_pairs": len(locked),
        "solver": {
            key: value
            for key, value in result.get("solver", {}).items()
            if key in ("name", "candidate_edges")
        },
        "engine_timings": result.get("solver", {}).get("timings_s", {}),
    }


# ---------------------------------------------------------------------------------------------- review


def _editable(proposal: Proposal) -> None:
    if proposal.run.status != RunStatus.SUCCEEDED or proposal.run.is_published:
        raise Refusal(_("This run is published; its proposals can no longer change."), code="published")


@transaction.atomic
def proposal_lock(*, proposal: Proposal, by: Person | None) -> Proposal:
    """Keep this pair in every later run of the program, and publish it with this one."""
    _editable(proposal)
    PairRule.objects.filter(
        program_id=proposal.run.program_id, mentor=proposal.mentor, mentee=proposal.mentee
    ).delete()
    try:
        with transaction.atomic():
            PairRule.objects.create(
                program_id=proposal.run.program_id,
                mentor=proposal.mentor,
                mentee=proposal.mentee,
                kind=PairRuleKind.LOCK,
                created_by=by,
            )
    except IntegrityError:
        raise Refusal(_("This mentee is already locked to another mentor."), code="locked") from None
    proposal.locked = True
    proposal.state = ProposalState.ACCEPTED
    proposal.save(update_fields=["locked", "state"])
    _record_override("lock", proposal, by)
    return proposal


@transaction.atomic
def proposal_forbid(*, proposal: Proposal, by: Person | None) -> Proposal:
    """Never pair these two in this program; the proposal is not published."""
    _editable(proposal)
    PairRule.objects.update_or_create(
        program_id=proposal.run.program_id,
        mentor=proposal.mentor,
        mentee=proposal.mentee,
        defaults={"kind": PairRuleKind.FORBID, "created_by": by},
    )
    proposal.locked = False
    proposal.state = ProposalState.REJECTED
    proposal.save(update_fields=["locked", "state"])
    _record_override("forbid", proposal, by)
    return proposal


@transaction.atomic
def proposal_clear(*, proposal: Proposal, by: Person | None) -> Proposal:
    """Undo a lock or a forbid: the pair is a plain proposal again."""
    _editable(proposal)
    PairRule.objects.filter(
        program_id=proposal.run.program_id, mentor=proposal.mentor, mentee=proposal.mentee
    ).delete()
    proposal.locked = False
    proposal.state = ProposalState.PROPOSED
    proposal.save(update_fields=["locked", "state"])
    _record_override("clear", proposal, by)
    return proposal


def _record_override(change: str, proposal: Proposal, by: Person | None, **details: Any) -> None:
    record(
        action=Action.PAIR_OVERRIDDEN,
        actor=by,
        organisation=proposal.run.program.organisation_id,
        target=proposal.run,
        details={"change": change, "mentor": proposal.mentor_id, "mentee": proposal.mentee_id, **details},
    )


@transaction.atomic
def proposal_swap(*, first: Proposal, second: Proposal, by: Person | None) -> tuple[Proposal, Proposal]:
    """Exchange the mentors of two proposals of one run, if the engine allows both new pairs."""
    if first.run_id != second.run_id or first.pk == second.pk:
        raise Refusal(_("Pick two different pairs of the same run."), code="bad_pair")
    _editable(first)
    if first.locked or second.locked:
        raise Refusal(_("Unlock a pair before swapping it."), code="locked")
    if first.mentor_id == second.mentor_id:
        raise Refusal(_("Both pairs already have the same mentor."), code="same_mentor")
    new_pairs = [(str(second.mentor_id), str(first.mentee_id)), (str(first.mentor_id), str(second.mentee_id))]
    try:
        evaluations = evaluate_pairs(first.run.input_snapshot, new_pairs)
    except (KeyError, InstanceError):
        raise Refusal(_("These pairs cannot be swapped in this run."), code="not_in_run") from None
    names = dict(
        Person.objects.filter(
            pk__in=[first.mentor_id, second.mentor_id, first.mentee_id, second.mentee_id]
        ).values_list("pk", "full_name")
    )
    problems = [
        _("%(mentor)s and %(mentee)s: %(why)s")
        % {
            "mentor": names[int(evaluation.mentor)],
            "mentee": names[int(evaluation.mentee)],
            "why": _(CONSTRAINT_MESSAGES.get(name, name)),
        }
        for evaluation in evaluations
        for name in evaluation.failed
    ]
    if problems:
        raise Refusal([_("This swap breaks a matching rule.")] + problems, code="ineligible")
    for proposal, evaluation in zip((first, second), evaluations, strict=True):
        proposal.mentor_id = int(evaluation.mentor)
        proposal.score = evaluation.score
        proposal.components = evaluation.components
        proposal.reasons = without_private(evaluation.reasons)
        proposal.state = ProposalState.PROPOSED
        proposal.save(update_fields=["mentor", "score", "components", "reasons", "state"])
    _record_override("swap", first, by, other_mentor=second.mentor_id, other_mentee=second.mentee_id)
    return first, second


# ---------------------------------------------------------------------------------------------- publish


def match_run_publish(*, run: MatchRun, by: Person | None) -> list[Relationship]:
    """Every proposal not rejected becomes a relationship waiting for both sides' consent.

    All or nothing: if one pair can no longer be made (someone left, a mentor paused or filled up),
    nothing is published and the message says which pair and why.
    """
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().select_related("program").get(pk=run.pk)
        if run.status != RunStatus.SUCCEEDED:
            raise Refusal(_("Only a finished run can be published."), code="not_finished")
        if run.is_published:
            raise Refusal(_("This run is already published."), code="published")
        proposals = list(
            run.proposals.exclude(state=ProposalState.REJECTED)
            .select_related("mentor", "mentee")
            .order_by("-locked", "-score", "pk")
        )
        if not proposals:
            raise Refusal(_("There is no proposal to publish."), code="nothing_to_publish")
        closed = pair_closures(program=run.program).closed
        for proposal in proposals:
            if (proposal.mentor_id, proposal.mentee_id) in closed:
                raise Refusal(
                    _(
                        "Nothing was published: %(mentor)s → %(mentee)s was declined or ended in this "
                        "program. Forbid this pair, or allow it again first."
                    )
                    % {"mentor": proposal.mentor.full_name, "mentee": proposal.mentee.full_name},
                    code="closed",
                )
        try:
            relationships = relationships_create_pending_bulk(
                program=run.program,
                pairs=[(proposal.mentor, proposal.mentee) for proposal in proposals],
                origin=RelationshipOrigin.PROPOSAL,
                created_by=by,
            )
        except PairRefused as refused:
            raise Refusal(
                _("Nothing was published: %(mentor)s → %(mentee)s can no longer be paired (%(why)s).")
                % {
                    "mentor": refused.mentor.full_name,
                    "mentee": refused.mentee.full_name,
                    "why": refusal_text(refused),
                },
                code="stale",
            ) from refused
        for proposal, relationship in zip(proposals, relationships, strict=True):
            proposal.relationship = relationship
            proposal.state = ProposalState.ACCEPTED
        Proposal.objects.bulk_update(proposals, ["relationship", "state"], batch_size=500)
        run.published_at = timezone.now()
        run.published_by = by
        run.save(update_fields=["published_at", "published_by"])
        record(
            action=Action.MATCHING_PUBLISHED,
            actor=by,
            organisation=run.program.organisation_id,
            target=run,
            details={"program": run.program_id, "pairs": len(relationships)},
        )
    return relationships


# ---------------------------------------------------------------------------------------------- closed pairs


def pair_allow_again(*, program: Program, mentor: Person, mentee: Person, by: Person | None) -> PairAllowance:
    """A manager's explicit decision that a pair one side declined or ended in this program may be
    proposed, published or paired by hand again. Kept with who and when."""
    if (mentor.pk, mentee.pk) not in pair_closures(program=program).closed:
        raise Refusal(
            _("This pair was not declined or ended in this program, or is already allowed again."),
            code="not_closed",
        )
    allowance = PairAllowance.objects.create(program=program, mentor=mentor, mentee=mentee, allowed_by=by)
    record(
        action=Action.PAIR_OVERRIDDEN,
        actor=by,
        organisation=program.organisation_id,
        target=program,
        details={"change": "allow_again", "mentor": mentor.pk, "mentee": mentee.pk},
    )
    return allowance


# ---------------------------------------------------------------------------------------------- by hand


def rules_broken_by_pair(*, program: Program, mentor: Person, mentee: Person) -> list[str]:
    """The matching rules a run would refuse this pair for, as codes of `CONSTRAINT_MESSAGES`:
    the engine's own hard constraints on the program's instance (reporting line at any depth,
    seniority for the program's format, blocks, previous partners, language, time zone, skill),
    plus "closed" for a pair declined or ended in the program. Someone the run would leave out
    (not approved, paused, already paired) is for `relationship_create_pending` to refuse."""
    built = build(program=program)
    roles = {person["id"]: person["roles"] for person in built.evaluation["people"]}
    if "mentor" not in roles.get(str(mentor.pk), ()) or "mentee" not in roles.get(str(mentee.pk), ()):
        return []
    (evaluation,) = evaluate_pairs(built.evaluation, [(str(mentor.pk), str(mentee.pk))])
    broken = [name for name in evaluation.failed if name not in NOT_OVERRIDABLE]
    if (mentor.pk, mentee.pk) in pair_closures(program=program).closed:
        forbidden = PairRule.objects.filter(
            program=program, mentor=mentor, mentee=mentee, kind=PairRuleKind.FORBID
        ).exists()
        # The closed pair is blocked in the instance: name why, not "forbidden", unless it is both.
        broken = [name for name in broken if name != "blocks" or forbidden] + ["closed"]
    return broken


def rule_labels(codes: list[str]) -> list[str]:
    return [_(CONSTRAINT_MESSAGES.get(code, code)) for code in codes]


@transaction.atomic
def relationship_pair_by_hand(
    *,
    program: Program,
    mentor: Person,
    mentee: Person,
    by: Person | None,
    note: str = "",
    override_reason: str = "",
) -> Relationship:
    """A manager pairs two people: the same rules as a run, unless the manager writes why they pair
    them anyway; that reason is kept (`RuleOverride`) with the rules it overrides and who wrote it."""
    check_texts(multi_line={"override_reason": override_reason})
    override_reason = override_reason.strip()
    broken = rules_broken_by_pair(program=program, mentor=mentor, mentee=mentee)
    if broken and not override_reason:
        raise Refusal(
            _("This pairing breaks a matching rule (%(rules)s). To pair them anyway, write why.")
            % {"rules": "; ".join(rule_labels(broken))},
            code="rule_broken",
            field="override_reason",
        )
    relationship = relationship_create_pending(
        program=program,
        mentor=mentor,
        mentee=mentee,
        origin=RelationshipOrigin.MANUAL,
        created_by=by,
        note=note,
    )
    if broken:
        RuleOverride.objects.create(
            relationship=relationship, rules=broken, reason=override_reason, overridden_by=by
        )
    record(
        action=Action.PAIR_MANUAL,
        actor=by,
        organisation=program.organisation_id,
        target=relationship,
        details={
            "program": program.pk,
            "rules_overridden": broken,
            "override_reason": override_reason if broken else "",
        },
    )
    return relationship
