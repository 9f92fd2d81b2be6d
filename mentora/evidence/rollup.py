"""The organisation roll-up for org admins and leaders: participation by department, the programs
cycle by cycle, and the sponsorship reach of the organisation's leaders. Counts and shares only,
in a fixed number of grouped queries; small cells hidden (`core.privacy.hidden_cells`)."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.advocacy.models import AdvocacyAction, AdvocacyKind
from mentora.core.privacy import MIN_AGGREGATE_GROUP, hidden_cells
from mentora.core.tables import Table, table
from mentora.evidence.models import LeadersReachSnapshot
from mentora.evidence.selectors import REGULAR_MEETINGS, percent
from mentora.meetings.models import Meeting, MeetingStatus
from mentora.organisations.models import Role, RoleMembership
from mentora.people.models import DemographicProfile, Person
from mentora.programs.models import LIVE_PROGRAM_STATUSES, Enrolment, EnrolmentRole, EnrolmentStatus, Program
from mentora.relationships.models import Relationship, RelationshipStatus


@dataclass(frozen=True)
class OrganisationRollup:
    tables: tuple[Table, ...]


def _participation(organisation_id: int) -> Table:
    """Active people and those approved in a live program, by department."""
    taking_part = Enrolment.objects.filter(
        person=OuterRef("pk"), status=EnrolmentStatus.APPROVED, program__status__in=LIVE_PROGRAM_STATUSES
    )
    rows = (
        Person.objects.filter(organisation_id=organisation_id, is_active=True)
        .annotate(taking_part=Exists(taking_part))
        .values("department__name")
        .annotate(people=Count("pk"), participants=Count("pk", filter=Q(taking_part=True)))
        .order_by("department__name")
    )
    counts = {
        row["department__name"] or _("No department"): (row["people"], row["participants"]) for row in rows
    }
    hidden = hidden_cells({name: participants for name, (_people, participants) in counts.items()})
    return table(
        key="participation_by_department",
        title=_("Participation by department"),
        columns=[
            ("department", _("Department")),
            ("people", _("People")),
            ("participants", _("Taking part in a live program")),
            ("participation_percent", _("Share taking part (%)")),
        ],
        rows=[
            (name, people, None, None) if name in hidden else (name, people, n, percent(n, people))
            for name, (people, n) in sorted(counts.items(), key=lambda item: str(item[0]))
        ],
        note=ngettext(
            "A department with fewer than %(n)s person taking part is hidden, with enough others that the "
            "total cannot reveal it.",
            "A department with fewer than %(n)s people taking part is hidden, with enough others that the "
            "total cannot reveal it.",
            MIN_AGGREGATE_GROUP,
        )
        % {"n": MIN_AGGREGATE_GROUP},
    )


def _programs(organisation_id: int) -> Table:
    """Each program (a cycle), newest first: approved mentees, matched share, pairs with 3+ meetings,
    completed pairs."""
    programs = list(
        Program.objects.filter(organisation_id=organisation_id)
        .order_by("-starts_on", "name")
        .values("pk", "name", "starts_on")
    )
    ids = [program["pk"] for program in programs]
    paired = Relationship.objects.filter(
        program=OuterRef("program"),
        mentee=OuterRef("person"),
        status__in=[RelationshipStatus.PENDING_CONSENT, RelationshipStatus.ACTIVE, RelationshipStatus.ENDED],
    )
    mentees = {
        row["program"]: row
        for row in Enrolment.objects.filter(
            program__in=ids, role=EnrolmentRole.MENTEE, status=EnrolmentStatus.APPROVED
        )
        .annotate(paired=Exists(paired))
        .values("program")
        .annotate(approved=Count("pk"), matched=Count("pk", filter=Q(paired=True)))
        .order_by()
    }
    held = Meeting.objects.filter(relationship=OuterRef("pk"), starts_at__lte=timezone.now()).exclude(
        status=MeetingStatus.CANCELLED
    )
    pairs = {
        row["program"]: row
        for row in Relationship.objects.filter(program__in=ids, started_at__isnull=False)
        .annotate(
            regular=Exists(
                held.order_by().values("relationship").annotate(n=Count("pk")).filter(n__gte=REGULAR_MEETINGS)
            )
        )
        .values("program")
        .annotate(started=Count("pk"), regular_pairs=Count("pk", filter=Q(regular=True)))
        .order_by()
    }
    rows = []
    for program in programs:
        m = mentees.get(program["pk"], {"approved": 0, "matched": 0})
        p = pairs.get(program["pk"], {"started": 0, "regular_pairs": 0})
        rows.append(
            (
                program["name"],
                date_format(program["starts_on"], "SHORT_DATE_FORMAT"),
                m["approved"],
                percent(m["matched"], m["approved"]),
                p["started"],
                percent(p["regular_pairs"], p["started"]),
            )
        )
    return table(
        key="programs_over_cycles",
        title=_("Programs, cycle by cycle"),
        columns=[
            ("program", _("Program")),
            ("starts_on", _("Cycle starts")),
            ("approved_mentees", _("Approved mentees")),
            ("match_rate_percent", _("Match rate (%)")),
            ("pairs_started", _("Pairs started")),
            ("regular_percent", _("Pairs with 3 or more meetings (%)")),
        ],
        rows=rows,
    )


def _leaders(organisation_id: int) -> tuple[Table, Table]:
    """Sponsorship actions logged by mentors who are leaders, by type, and the mentees they reached
    by whether the mentee (consenting) considers themselves under-sponsored."""
    leaders = RoleMembership.objects.filter(person=OuterRef("relationship__mentor"), role=Role.LEADER)
    actions = AdvocacyAction.objects.filter(relationship__program__organisation_id=organisation_id).filter(
        Exists(leaders)
    )
    kinds = dict(actions.values("kind").annotate(n=Count("pk")).values_list("kind", "n").order_by())
    by_kind = table(
        key="leaders_sponsorship",
        title=_("Sponsorship by leaders who mentor"),
        columns=[("kind", _("Type")), ("actions", _("Actions")), ("kind_key", _("Type code"))],
        rows=[(str(label), kinds.get(code, 0), code) for code, label in AdvocacyKind.choices],
    )
    snapshot = (
        LeadersReachSnapshot.objects.filter(organisation_id=organisation_id).order_by("-taken_at").first()
    )
    reached = snapshot.figures if snapshot else {}
    labels = {
        "under": _("Under-sponsored"),
        "not_under": _("Not under-sponsored"),
        "not_given": _("Not given"),
    }
    hidden = hidden_cells({key: reached.get(key, 0) for key in labels}) if snapshot else set(labels)
    reach = table(
        key="leaders_reach",
        title=_("Whom leaders sponsor"),
        columns=[
            ("group", _("Mentees")),
            ("mentees", _("Mentees sponsored")),
            ("group_key", _("Group code")),
        ],
        rows=[
            (str(label), None if key in hidden else reached.get(key, 0), key) for key, label in labels.items()
        ],
        note=(
            _("Published %(date)s.") % {"date": date_format(timezone.localtime(snapshot.taken_at), "j F Y")}
            if snapshot
            else _("Nothing published yet.")
        )
        + " "
        + ngettext(
            "Mentees who received at least one sponsorship action from a leader, by their own consented "
            "answer. The figures change only when at least %(n)s mentee was reached or no longer is, so "
            "that nobody's answer can be read from a change; a group of fewer than %(n)s is hidden with "
            "enough others that the total cannot reveal it.",
            "Mentees who received at least one sponsorship action from a leader, by their own consented "
            "answer. The figures change only when at least %(n)s mentees were reached or no longer are, so "
            "that nobody's answer can be read from a change; a group of fewer than %(n)s is hidden with "
            "enough others that the total cannot reveal it.",
            MIN_AGGREGATE_GROUP,
        )
        % {"n": MIN_AGGREGATE_GROUP},
    )
    return by_kind, reach


def leaders_reach_now(*, organisation_id: int) -> tuple[list[int], dict[str, int]]:
    """The mentees leaders who mentor have sponsored (sorted ids) and how many of them are in each
    group of their own consented answer, read live: only `services.leaders_reach_refresh` reads this,
    to publish a snapshot; pages read the snapshot."""
    leaders = RoleMembership.objects.filter(person=OuterRef("relationship__mentor"), role=Role.LEADER)
    profile = DemographicProfile.objects.filter(person=OuterRef("relationship__mentee"))
    reached: dict[int, str] = {}
    for mentee, under, consented in (
        AdvocacyAction.objects.filter(relationship__program__organisation_id=organisation_id)
        .filter(Exists(leaders))
        .annotate(consented=Exists(profile), under=Exists(profile.filter(under_sponsored=True)))
        .values_list("relationship__mentee", "under", "consented")
        .order_by()
        .distinct()
    ):
        reached[mentee] = "under" if under else "not_under" if consented else "not_given"
    return sorted(reached), dict(Counter(reached.values()))


def organisation_rollup(*, organisation_id: int) -> OrganisationRollup:
    return OrganisationRollup(
        tables=(_participation(organisation_id), _programs(organisation_id), *_leaders(organisation_id))
    )
