"""Reads for the program dashboard: every figure as a `core.tables.Table`, computed with a fixed
number of aggregate queries whatever the program's size, and kept in the cache under a fingerprint
of the program's rows (`dashboard_fingerprint`), so a warm page reads one small query.

Privacy (docs/evidence.md): the dashboard holds counts, shares, medians and published means only,
never a note, a goal's or meeting's content, a check-in answer or a self-assessment. Breakdowns by
department and seniority hide small cells (`core.privacy.hidden_cells`); breakdowns by consented
demographic group and under-sponsored mentees are read from published snapshots only
(`models.FairnessSnapshot`), which move only when enough mentees joined or left.
"""

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from django.core.cache import cache
from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mentora.advocacy.models import AdvocacyAction, AdvocacyKind
from mentora.advocacy.selectors import sponsorship_kpis
from mentora.checkins.models import Checkin, CheckinPeriodFigures
from mentora.checkins.pair_health import AtRiskRow, at_risk_rows
from mentora.checkins.selectors import schedule_for
from mentora.core.privacy import MIN_AGGREGATE_GROUP, hidden_cells
from mentora.core.tables import Table, table
from mentora.evidence.models import FairnessSnapshot
from mentora.goals.models import Goal, GoalStatus
from mentora.meetings.models import Meeting, MeetingStatus
from mentora.people.models import DemographicProfile
from mentora.programs.models import Enrolment, EnrolmentRole, EnrolmentStatus, Invitation, Program
from mentora.relationships.models import Relationship, RelationshipStatus
from mentora.relationships.selectors import mentor_places, unpaired_mentees

# Mentorloop's bar for a healthy program: at least this share of approved mentees matched.
HEALTHY_MATCH_RATE = 0.70
ACTIVE_DAYS = (30, 60, 90)
# A pair that met at least this many times had mentoring worth the name (issue 13, source 001).
REGULAR_MEETINGS = 3
# A pair is kept in the cache this long at most: a write the fingerprint misses shows late by this.
DASHBOARD_SECONDS = 600


class Bucket:
    ON_TRACK = "on_track"
    NEEDS_ATTENTION = "needs_attention"
    AT_RISK = "at_risk"
    TOO_EARLY = "too_early"

    ORDER = (ON_TRACK, NEEDS_ATTENTION, AT_RISK, TOO_EARLY)
    LABELS = {
        ON_TRACK: gettext_lazy("On track"),
        NEEDS_ATTENTION: gettext_lazy("Needs attention"),
        AT_RISK: gettext_lazy("At risk"),
        TOO_EARLY: gettext_lazy("Too early to say"),
    }


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _days(delta: timedelta) -> float:
    return delta.total_seconds() / 86400


def _median_days(deltas: list[timedelta]) -> float | None:
    return round(median(_days(delta) for delta in deltas), 1) if deltas else None


@dataclass(frozen=True)
class PairFacts:
    """What the dashboard reads of one pair: dates and counts only."""

    pk: int
    mentee_id: int
    status: str
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    ends_on: object
    meetings_held: int
    first_met_at: datetime | None
    goals: int


def _pairs(program: Program, now: datetime) -> list[PairFacts]:
    """Every relationship of the program with its held meetings and goals: two queries."""
    held = {
        row["relationship_id"]: row
        for row in Meeting.objects.filter(relationship__program=program, starts_at__lte=now)
        .exclude(status=MeetingStatus.CANCELLED)
        .values("relationship_id")
        .annotate(n=Count("pk"), first=Min("starts_at"))
        .order_by()
    }
    rows = (
        Relationship.objects.filter(program=program)
        .annotate(goal_count=Count("goals"))
        .order_by("pk")
        .values_list(
            "pk", "mentee_id", "status", "created_at", "started_at", "ended_at", "ends_on", "goal_count"
        )
    )
    return [
        PairFacts(
            pk=pk,
            mentee_id=mentee_id,
            status=status,
            created_at=created_at,
            started_at=started_at,
            ended_at=ended_at,
            ends_on=ends_on,
            meetings_held=held.get(pk, {}).get("n", 0),
            first_met_at=held.get(pk, {}).get("first"),
            goals=goals,
        )
        for pk, mentee_id, status, created_at, started_at, ended_at, ends_on, goals in rows
    ]


def _active_at(pair: PairFacts, days: int, now: datetime) -> bool:
    """The pair ran for at least `days` days after both said yes (and is still running or ended later)."""
    if pair.started_at is None:
        return False
    mark = pair.started_at + timedelta(days=days)
    if pair.status == RelationshipStatus.ACTIVE:
        return mark <= now
    return pair.status == RelationshipStatus.ENDED and pair.ended_at is not None and pair.ended_at >= mark


def _completed(pair: PairFacts) -> bool:
    """Ended on or after its planned end date, rather than closed early."""
    return (
        pair.status == RelationshipStatus.ENDED
        and pair.ended_at is not None
        and timezone.localdate(pair.ended_at) >= pair.ends_on
    )


def _funnel(program: Program, pairs: list[PairFacts], now: datetime) -> Table:
    invited = (
        Invitation.objects.filter(program=program, revoked_at__isnull=True)
        .values("person")
        .distinct()
        .count()
    )
    mentees = {
        person_id: (status, created_at)
        for person_id, status, created_at in Enrolment.objects.filter(
            program=program, role=EnrolmentRole.MENTEE
        ).values_list("person_id", "status", "created_at")
    }
    approved = [pk for pk, (status, _created) in mentees.items() if status == EnrolmentStatus.APPROVED]
    first_pair: dict[int, PairFacts] = {}
    for pair in pairs:  # ordered by pk: a mentee's first pairing in the program
        first_pair.setdefault(pair.mentee_id, pair)
    matched = [pair for pair in first_pair.values() if pair.mentee_id in mentees]
    consented = [pair for pair in pairs if pair.started_at is not None]
    met = [pair for pair in consented if pair.first_met_at is not None]
    time_to_match = [pair.created_at - mentees[pair.mentee_id][1] for pair in matched]
    time_to_meet = [
        pair.first_met_at - pair.started_at for pair in met if pair.first_met_at >= pair.started_at
    ]
    steps: list[tuple[str, str, int, float | None]] = [
        ("invited", _("Invited"), invited, None),
        ("applied", _("Applied (mentees)"), len(mentees), None),
        ("approved", _("Approved"), len(approved), None),
        ("matched", _("Matched"), len(matched), _median_days(time_to_match)),
        ("consented", _("Both said yes"), len(consented), None),
        ("first_meeting", _("First meeting held"), len(met), _median_days(time_to_meet)),
    ]
    for days in ACTIVE_DAYS:
        steps.append(
            (
                f"active_{days}",
                ngettext("Active at %(days)s day", "Active at %(days)s days", days) % {"days": days},
                sum(_active_at(pair, days, now) for pair in consented),
                None,
            )
        )
    steps.append(("completed", _("Completed"), sum(_completed(pair) for pair in consented), None))
    rows = []
    previous = None
    for key, label, count, days in steps:
        # An invitation is not needed to apply, so "applied" is not a share of "invited".
        conversion = percent(count, previous) if previous is not None and key != "applied" else None
        rows.append((label, count, conversion, days, key))
        previous = count
    return table(
        key="funnel",
        title=_("From invitation to completion"),
        columns=[
            ("step", _("Step")),
            ("people", _("Mentees or pairs")),
            ("conversion_percent", _("Of the step before (%)")),
            ("median_days_from_previous", _("Median days from the step before")),
            ("step_key", _("Step code")),
        ],
        rows=rows,
        note=_(
            "People may apply without an invitation. Matched counts each mentee's first pairing; the steps "
            "after it count pairs. Median days: from application to the pairing, and from both saying yes "
            "to the first meeting held."
        ),
    )


def _matching(program: Program, pairs: list[PairFacts], now: datetime) -> tuple[Table, dict[str, object]]:
    approved = set(approved_mentee_ids(program=program))
    matched, _on_track = _mentee_outcomes(pairs, {})
    waiting = unpaired_mentees(program=program).count()
    places = mentor_places(program=program, today=timezone.localdate(now))
    capacity = sum(place.capacity for place in places.values())
    used = sum(place.live for place in places.values())
    idle_mentors = sum(1 for place in places.values() if place.live == 0)
    match_rate = percent(len(approved & matched), len(approved))
    started = [pair for pair in pairs if pair.started_at is not None]
    regular = sum(pair.meetings_held >= REGULAR_MEETINGS for pair in started)
    figures = {
        "match_rate_percent": match_rate,
        "match_rate_healthy": match_rate is not None and match_rate >= 100 * HEALTHY_MATCH_RATE,
        "approved_mentees": len(approved),
        "waiting_list": waiting,
        "mentors": len(places),
        "capacity": capacity,
        "places_used": used,
        "capacity_used_percent": percent(used, capacity),
        "mentors_without_mentees": idle_mentors,
        "pairs_started": len(started),
        "pairs_with_3_meetings_percent": percent(regular, len(started)),
    }
    labels = {
        "match_rate_percent": _("Match rate: approved mentees who were paired (%)"),
        "approved_mentees": _("Approved mentees"),
        "waiting_list": _("Waiting list: approved mentees without a live pair"),
        "mentors": _("Approved mentors"),
        "capacity": _("Mentors' places"),
        "places_used": _("Places used"),
        "capacity_used_percent": _("Capacity used (%)"),
        "mentors_without_mentees": _("Mentors without mentees"),
        "pairs_started": _("Pairs started"),
        "pairs_with_3_meetings_percent": _("Pairs with 3 or more meetings (%)"),
    }
    rows = [(labels[key], figures[key], key) for key in labels]
    return (
        table(
            key="matching",
            title=_("Matching and capacity"),
            columns=[("figure", _("Figure")), ("value", _("Value")), ("figure_key", _("Figure code"))],
            rows=rows,
            note=_("A match rate of 70 % or more is healthy (Mentorloop's benchmark)."),
        ),
        figures,
    )


def _buckets(program: Program, pairs: list[PairFacts], flagged: set[int], now: datetime) -> dict[int, str]:
    """Each active pair's health bucket: at risk (the check-ins app's at-risk signs: help asked for,
    silent, check-in overdue) comes first; a pair younger than the program's silent period is too
    early to say; one that met less than half as often as the program plans, or set no goal, needs
    attention; the rest are on track."""
    silent_after = timedelta(weeks=schedule_for(program=program).silent_after_weeks)
    buckets = {}
    for pair in pairs:
        if pair.status != RelationshipStatus.ACTIVE or pair.started_at is None:
            continue
        if pair.pk in flagged:
            buckets[pair.pk] = Bucket.AT_RISK
        elif now - pair.started_at < silent_after:
            buckets[pair.pk] = Bucket.TOO_EARLY
        elif pair.meetings_held < _planned(program, pair, now) / 2 or pair.goals == 0:
            buckets[pair.pk] = Bucket.NEEDS_ATTENTION
        else:
            buckets[pair.pk] = Bucket.ON_TRACK
    return buckets


def _planned(program: Program, pair: PairFacts, now: datetime) -> float:
    """How many meetings the program's plan expects of the pair by now (or by its end)."""
    until = pair.ended_at if pair.status == RelationshipStatus.ENDED and pair.ended_at else now
    return program.meetings_per_month * max(_days(until - pair.started_at), 0) / 30.44


def _health_table(buckets: dict[int, str]) -> Table:
    counts = Counter(buckets.values())
    return table(
        key="pair_health",
        title=_("Pair health"),
        columns=[("bucket", _("Health")), ("pairs", _("Active pairs")), ("bucket_key", _("Health code"))],
        rows=[(str(Bucket.LABELS[key]), counts.get(key, 0), key) for key in Bucket.ORDER],
        note=_(
            "At risk: a partner asked for help in a check-in, no meeting for the program's silent "
            "period, or a check-in overdue. Too early: younger than the silent period. Needs attention: "
            "met less than half as often as the program plans, or no goal set."
        ),
    )


def _cadence_table(program: Program, pairs: list[PairFacts], now: datetime) -> Table:
    bands = {
        "at_plan": _("At or above plan"),
        "half": _("Half the plan or more"),
        "under_half": _("Under half the plan"),
        "none": _("No meeting yet"),
    }
    counts: Counter[str] = Counter()
    for pair in pairs:
        if pair.started_at is None:
            continue
        planned = _planned(program, pair, now)
        if pair.meetings_held == 0:
            counts["none"] += 1
        elif pair.meetings_held >= planned:
            counts["at_plan"] += 1
        elif pair.meetings_held >= planned / 2:
            counts["half"] += 1
        else:
            counts["under_half"] += 1
    return table(
        key="meeting_cadence",
        title=_("Meetings held against the program's plan"),
        columns=[("band", _("Meetings held")), ("pairs", _("Pairs")), ("band_key", _("Band code"))],
        rows=[(str(label), counts.get(key, 0), key) for key, label in bands.items()],
        note=ngettext(
            "The plan: %(n)s meeting a month from the day both said yes.",
            "The plan: %(n)s meetings a month from the day both said yes.",
            program.meetings_per_month,
        )
        % {"n": program.meetings_per_month},
    )


def _goals_table(program: Program) -> Table:
    goals = Goal.objects.filter(relationship__program=program).aggregate(
        none=Count("pk", filter=Q(status=GoalStatus.OPEN, progress=0)),
        low=Count("pk", filter=Q(status=GoalStatus.OPEN, progress__gt=0, progress__lt=50)),
        high=Count("pk", filter=Q(status=GoalStatus.OPEN, progress__gte=50)),
        achieved=Count("pk", filter=Q(status=GoalStatus.ACHIEVED)),
        dropped=Count("pk", filter=Q(status=GoalStatus.DROPPED)),
    )
    labels = {
        "none": _("Not started"),
        "low": _("Under half way"),
        "high": _("Half way or more"),
        "achieved": _("Achieved"),
        "dropped": _("Set aside"),
    }
    return table(
        key="goal_progress",
        title=_("Goal progress"),
        columns=[("band", _("Progress")), ("goals", _("Goals")), ("band_key", _("Band code"))],
        rows=[(str(label), goals[key], key) for key, label in labels.items()],
        note=_("Counts only: a goal's title and content stay the pair's."),
    )


def _satisfaction_table(program: Program) -> Table:
    rows = []
    for period in CheckinPeriodFigures.objects.filter(program=program).order_by("starts_on"):
        sides = period.figures.get("by_side", {})
        rows.append(
            (
                date_format(period.starts_on, "YEAR_MONTH_FORMAT"),
                period.answers,
                round(period.usefulness_mean, 2),
                _side_mean(sides.get("mentor")),
                _side_mean(sides.get("mentee")),
            )
        )
    return table(
        key="usefulness_over_time",
        title=_("Usefulness over time (check-ins, 1–5)"),
        columns=[
            ("period", _("Month")),
            ("answers", _("Answers")),
            ("usefulness_mean", _("Mean")),
            ("mentors_mean", _("Mentors' mean")),
            ("mentees_mean", _("Mentees' mean")),
        ],
        rows=rows,
        note=ngettext(
            "From the check-ins' published months only (at least %(n)s answer, frozen once the month "
            "is over); a side with fewer answers is hidden.",
            "From the check-ins' published months only (at least %(n)s answers, frozen once the month "
            "is over); a side with fewer answers is hidden.",
            MIN_AGGREGATE_GROUP,
        )
        % {"n": MIN_AGGREGATE_GROUP},
    )


def _side_mean(cell: dict | None) -> float | None:
    if not cell or cell.get("usefulness_mean") is None:
        return None
    return round(cell["usefulness_mean"], 2)


def _sponsorship_table(program: Program) -> Table:
    kpis = sponsorship_kpis(program=program)
    rows = [(str(label), kpis.by_kind.get(code, 0), code) for code, label in AdvocacyKind.choices]
    return table(
        key="sponsorship",
        title=_("Sponsorship actions by type"),
        columns=[("kind", _("Type")), ("actions", _("Actions")), ("kind_key", _("Type code"))],
        rows=rows,
        note=_("%(reached)s of %(mentees)s paired mentees received at least one sponsorship action.")
        % {"reached": kpis.mentees_reached, "mentees": kpis.mentees},
    )


# ---------------------------------------------------------------------------------- fairness


def seniority_band(seniority: int | None) -> str:
    if seniority is None:
        return _("Not recorded")
    if seniority <= 3:
        return _("Junior (1–3)")
    if seniority <= 6:
        return _("Middle (4–6)")
    return _("Senior (7+)")


def _mentee_people(program: Program) -> dict[int, dict]:
    """The approved mentees' department and seniority (what a manager may read), one query."""
    return {
        row["person_id"]: row
        for row in Enrolment.objects.filter(
            program=program, role=EnrolmentRole.MENTEE, status=EnrolmentStatus.APPROVED
        ).values("person_id", "person__department__name", "person__seniority")
    }


def _mentee_outcomes(pairs: list[PairFacts], buckets: dict[int, str]) -> tuple[set[int], set[int]]:
    """Mentees in a live or ended pair, and mentees whose active pair is on track."""
    matched = {pair.mentee_id for pair in pairs if pair.status != RelationshipStatus.DECLINED}
    on_track = {pair.mentee_id for pair in pairs if buckets.get(pair.pk) == Bucket.ON_TRACK}
    return matched, on_track


def fairness_rows(
    groups: dict[int, str], matched: set[int], on_track: set[int]
) -> list[tuple[str, int | None, int | None, float | None, float | None]]:
    """One row per group: mentees, matched, match rate, on-track share. A group hidden by the
    privacy rule (`hidden_cells`, with complementary suppression) has every cell withheld. Within a
    shown group the rates are figures about people too: the match rate (and all after it) is withheld
    when its matched or waiting mentees are a hidden cell, the on-track share when its on-track or
    other pairs are; else one matched mentee's 0 % on track, beside the at-risk list, names their group."""
    members: dict[str, list[int]] = defaultdict(list)
    for person_id, group in groups.items():
        members[group].append(person_id)
    hidden = hidden_cells({group: len(people) for group, people in members.items()})
    rows = []
    for group in sorted(members, key=str):
        people = members[group]
        if group in hidden:
            rows.append((group, None, None, None, None))
            continue
        n_matched = sum(person in matched for person in people)
        n_on_track = sum(person in on_track for person in people)
        if hidden_cells({"matched": n_matched, "waiting": len(people) - n_matched}):
            rows.append((group, len(people), None, None, None))
            continue
        on_track_share = (
            None
            if hidden_cells({"on_track": n_on_track, "other": n_matched - n_on_track})
            else percent(n_on_track, n_matched)
        )
        rows.append((group, len(people), n_matched, percent(n_matched, len(people)), on_track_share))
    return rows


FAIRNESS_COLUMNS = (
    ("mentees", gettext_lazy("Approved mentees")),
    ("matched", gettext_lazy("Matched")),
    ("match_rate_percent", gettext_lazy("Match rate (%)")),
    ("on_track_percent", gettext_lazy("Of the matched, on track (%)")),
)


def _fairness_table(*, key: str, title: str, group_label: str, rows: list, note: str = "") -> Table:
    return table(
        key=key,
        title=title,
        columns=[("group", group_label), *((k, str(label)) for k, label in FAIRNESS_COLUMNS)],
        rows=rows,
        note=note
        or ngettext(
            "A group of fewer than %(n)s mentee is hidden, with enough others that the total cannot "
            "reveal it.",
            "A group of fewer than %(n)s mentees is hidden, with enough others that the total cannot "
            "reveal it.",
            MIN_AGGREGATE_GROUP,
        )
        % {"n": MIN_AGGREGATE_GROUP},
    )


def private_groupings(*, program: Program, people: list[int]) -> dict[str, dict[int, str]]:
    """The approved mentees' consented demographic group (gender) and under-sponsored answer, for
    the fairness snapshots only: people without a consented profile fall in "Not given"."""
    profiles = {
        person_id: (gender, under)
        for person_id, gender, under in DemographicProfile.objects.filter(person_id__in=people).values_list(
            "person_id", "gender", "under_sponsored"
        )
    }
    not_given = _("Not given")
    return {
        "demographic_group": {
            pk: (profiles[pk][0] or not_given) if pk in profiles else not_given for pk in people
        },
        "under_sponsored": {
            pk: (_("Under-sponsored") if profiles[pk][1] else _("Not under-sponsored"))
            if pk in profiles
            else not_given
            for pk in people
        },
    }


PRIVATE_GROUPING_TITLES = {
    "demographic_group": gettext_lazy("By consented demographic group"),
    "under_sponsored": gettext_lazy("Under-sponsored mentees"),
}


def approved_mentee_ids(*, program: Program) -> list[int]:
    return sorted(
        Enrolment.objects.filter(
            program=program, role=EnrolmentRole.MENTEE, status=EnrolmentStatus.APPROVED
        ).values_list("person_id", flat=True)
    )


def fairness_snapshot_figures(*, program: Program, people: list[int], now: datetime) -> dict[str, list]:
    """The private groupings' rows over these mentees now: what a new snapshot would hold."""
    pairs = _pairs(program, now)
    flagged = {row.pair.relationship.pk for row in at_risk_rows(program=program, now=now)}
    matched, on_track = _mentee_outcomes(pairs, _buckets(program, pairs, flagged, now))
    groupings = private_groupings(program=program, people=people)
    return {
        grouping: [list(row) for row in fairness_rows(groups, matched, on_track)]
        for grouping, groups in groupings.items()
    }


def _snapshot_tables(program: Program) -> list[Table]:
    """The latest published snapshot of each private grouping, and the match rate by group over
    every snapshot (the fairness view over time)."""
    snapshots = list(FairnessSnapshot.objects.filter(program=program).order_by("taken_at"))
    tables = []
    latest = snapshots[-1] if snapshots else None
    when = date_format(timezone.localtime(latest.taken_at), "DATE_FORMAT") if latest else ""
    for grouping, title in PRIVATE_GROUPING_TITLES.items():
        rows = [tuple(row) for row in latest.figures.get(grouping, [])] if latest else []
        tables.append(
            _fairness_table(
                key=f"fairness_{grouping}",
                title=str(title),
                group_label=_("Group"),
                rows=rows,
                note=(
                    ngettext(
                        "Published %(date)s. These figures change only when at least %(n)s mentee "
                        "joined or left since, so that nobody's group can be read from a change; a group "
                        "of fewer than %(n)s is hidden with enough others that the total cannot reveal it.",
                        "Published %(date)s. These figures change only when at least %(n)s mentees "
                        "joined or left since, so that nobody's group can be read from a change; a group "
                        "of fewer than %(n)s is hidden with enough others that the total cannot reveal it.",
                        MIN_AGGREGATE_GROUP,
                    )
                    % {"date": when, "n": MIN_AGGREGATE_GROUP}
                    if latest
                    else ngettext(
                        "Nothing published yet: there are fewer than %(n)s approved mentee.",
                        "Nothing published yet: there are fewer than %(n)s approved mentees.",
                        MIN_AGGREGATE_GROUP,
                    )
                    % {"n": MIN_AGGREGATE_GROUP}
                ),
            )
        )
    groups = sorted(
        {row[0] for snap in snapshots for row in snap.figures.get("demographic_group", [])}, key=str
    )
    rows = []
    for snap in snapshots:
        rates = {row[0]: row[3] for row in snap.figures.get("demographic_group", [])}
        rows.append(
            (
                date_format(timezone.localtime(snap.taken_at), "SHORT_DATE_FORMAT"),
                *(rates.get(g) for g in groups),
            )
        )
    tables.append(
        table(
            key="fairness_over_time",
            title=_("Match rate by consented demographic group over time (%)"),
            columns=[
                ("published", _("Published")),
                *((f"group_{i}", group) for i, group in enumerate(groups)),
            ],
            rows=rows,
            note=_("One row per published snapshot; a hidden group is blank."),
        )
    )
    return tables


# ---------------------------------------------------------------------------------- the dashboard


@dataclass(frozen=True)
class ProgramDashboard:
    program_id: int
    computed_at: datetime
    figures: dict[str, object]  # the headline figures (match rate, capacity...), by key
    tables: tuple[Table, ...]  # in page order
    at_risk: tuple[AtRiskRow, ...]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def _totals(queryset, group: str, **aggregates) -> dict[str, Subquery]:
    """Scalar subqueries of aggregates over `queryset`'s rows of the outer program (grouped by `group`,
    the path to the program), to read several tables' totals in one query."""
    rows = queryset.filter(**{group: OuterRef("pk")}).order_by().values(group)
    return {
        name: Subquery(rows.annotate(value=aggregate).values("value"))
        for name, aggregate in aggregates.items()
    }


def dashboard_fingerprint(*, program: Program) -> tuple:
    """What changes whenever a figure of the dashboard may change: counts and latest write times of
    the program's rows (enrolments, invitations, pairs, meetings, goals, check-ins, sponsorship,
    published check-in months and fairness snapshots), in one query of indexed aggregates. Deleting
    a row changes a count; changing one moves its time (or, for a pair, one of its dated steps)."""
    pair = "relationship__program"
    row = (
        Program.objects.filter(pk=program.pk)
        .values("pk")
        .annotate(
            **_totals(Enrolment.objects.all(), "program", e_n=Count("pk"), e_at=Max("decided_at")),
            **_totals(
                Invitation.objects.all(),
                "program",
                i_n=Count("pk"),
                i_at=Max("sent_at"),
                i_off=Max("revoked_at"),
            ),
            **_totals(
                Relationship.objects.all(),
                "program",
                r_n=Count("pk"),
                r_new=Max("created_at"),
                r_start=Max("started_at"),
                r_end=Max("ended_at"),
                r_no=Max("declined_at"),
            ),
            **_totals(Meeting.objects.all(), pair, m_n=Count("pk"), m_at=Max("updated_at")),
            **_totals(Goal.objects.all(), pair, g_n=Count("pk"), g_at=Max("updated_at")),
            **_totals(Checkin.objects.all(), pair, c_n=Count("pk"), c_at=Max("answered_at")),
            **_totals(AdvocacyAction.objects.all(), pair, a_n=Count("pk"), a_at=Max("updated_at")),
            **_totals(CheckinPeriodFigures.objects.all(), "program", p_n=Count("pk")),
            **_totals(FairnessSnapshot.objects.all(), "program", f_at=Max("taken_at")),
        )
        .first()
    )
    return tuple(sorted(row.items())) if row else ()


def program_dashboard(*, program: Program, now: datetime | None = None) -> ProgramDashboard:
    """Every figure of the program dashboard, from the cache when nothing changed (same fingerprint
    and same day: "active at 30 days" moves with the date)."""
    now = now or timezone.now()
    fingerprint = hashlib.sha256(repr(dashboard_fingerprint(program=program)).encode()).hexdigest()
    key = f"evidence-dashboard:{program.pk}:{timezone.localdate(now)}:{fingerprint}"
    dashboard = cache.get(key)
    if dashboard is None:
        dashboard = program_dashboard_compute(program=program, now=now)
        cache.set(key, dashboard, DASHBOARD_SECONDS)
    return dashboard


def program_dashboard_compute(*, program: Program, now: datetime) -> ProgramDashboard:
    pairs = _pairs(program, now)
    at_risk = at_risk_rows(program=program, now=now)
    buckets = _buckets(program, pairs, {row.pair.relationship.pk for row in at_risk}, now)
    matching, figures = _matching(program, pairs, now)
    matched, on_track = _mentee_outcomes(pairs, buckets)
    mentees = _mentee_people(program)
    departments = {pk: row["person__department__name"] or _("No department") for pk, row in mentees.items()}
    seniorities = {pk: seniority_band(row["person__seniority"]) for pk, row in mentees.items()}
    tables = (
        _funnel(program, pairs, now),
        matching,
        _health_table(buckets),
        _cadence_table(program, pairs, now),
        _goals_table(program),
        _satisfaction_table(program),
        _sponsorship_table(program),
        _fairness_table(
            key="fairness_department",
            title=_("By department"),
            group_label=_("Department"),
            rows=fairness_rows(departments, matched, on_track),
        ),
        _fairness_table(
            key="fairness_seniority",
            title=_("By seniority"),
            group_label=_("Seniority"),
            rows=fairness_rows(seniorities, matched, on_track),
        ),
        *_snapshot_tables(program),
    )
    return ProgramDashboard(
        program_id=program.pk, computed_at=now, figures=figures, tables=tables, at_risk=tuple(at_risk)
    )
