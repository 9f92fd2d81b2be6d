"""Writes of the evidence app: a manager's action on a pair from the dashboard, and the published
snapshots of the private fairness groupings.

Every action goes through `pair_action_take`: it checks the pair is the program's and running, sends
through the notifications app's path (the nudge is the notifications app's own; a message and a
rematch offer are e-mailed through its ledger, after commit) and records one audit event.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import TextChoices
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mentora.audit.models import Action, AuditEvent
from mentora.audit.services import record
from mentora.core.privacy import membership_changed_enough
from mentora.core.refusals import Refusal
from mentora.core.text import too_long_error
from mentora.evidence.messages import send_pair_message
from mentora.evidence.models import FairnessSnapshot, LeadersReachSnapshot
from mentora.evidence.rollup import leaders_reach_now
from mentora.evidence.selectors import approved_mentee_ids, fairness_snapshot_figures
from mentora.notifications.nudges import NUDGE_INTERVAL, pair_nudge_create
from mentora.people.models import Person
from mentora.programs.models import Program
from mentora.relationships.models import Relationship, RelationshipStatus

MESSAGE_LIMIT = 1000
# A pair's inbox is not the dashboard's to flood: a rematch offer as often as a nudge, and a few
# messages a day (a correction after a slip), whoever of the program's managers writes.
MESSAGES_PER_DAY = 3
MESSAGE_WINDOW = timedelta(days=1)


class PairAction(TextChoices):
    NUDGE = "nudge", gettext_lazy("Nudge both")
    MESSAGE = "message", gettext_lazy("Message the pair")
    REMATCH = "rematch", gettext_lazy("Offer a rematch")


@transaction.atomic
def pair_action_take(
    *, program: Program, relationship_id: int, actor: Person, action: str, message: str = ""
) -> AuditEvent:
    """Act on one of the program's running pairs (the caller checked that `actor` manages the
    program); 404 for a pair of another program. Refusals: `bad_choice` (action), `not_active`,
    `required` and `too_long` (message), and `too_soon` (a nudge or a rematch offer within a week of the
    last, a message beyond MESSAGES_PER_DAY in a day)."""
    if action not in PairAction.values:
        raise Refusal(_("Choose nudge, message or rematch."), code="bad_choice", field="action")
    relationship = (
        Relationship.objects.select_for_update().filter(pk=relationship_id, program=program).first()
    )
    if relationship is None:
        raise Http404
    if relationship.status != RelationshipStatus.ACTIVE:
        raise Refusal(_("Only a running pair can be contacted from here."), code="not_active")
    message = message.strip()
    if action == PairAction.MESSAGE:
        if not message:
            raise Refusal(_("Write the message to send."), code="required", field="message")
        if error := too_long_error(message, limit=MESSAGE_LIMIT):
            raise Refusal(error, code="too_long", field="message")
    elif message:
        message = ""  # a nudge and a rematch offer send their own words only
    if action == PairAction.NUDGE:
        pair_nudge_create(relationship=relationship, actor=actor)
    else:
        _refuse_repeats(program=program, relationship=relationship, action=action)
    event = record(
        action=Action.PAIR_ACTION,
        actor=actor,
        organisation=program.organisation_id,
        target=relationship,
        details={"action": action, "program_id": program.pk},
    )
    if action != PairAction.NUDGE:
        transaction.on_commit(lambda: send_pair_message.enqueue(event.pk, message))
    return event


def _refuse_repeats(*, program: Program, relationship: Relationship, action: str) -> None:
    """`too_soon` for a rematch offer within NUDGE_INTERVAL of the pair's last one, or a message
    beyond MESSAGES_PER_DAY in a day. The caller holds the pair's row lock, so two managers' actions
    at once are counted one after the other."""
    rematch = action == PairAction.REMATCH
    allowed = 1 if rematch else MESSAGES_PER_DAY
    since = timezone.now() - (NUDGE_INTERVAL if rematch else MESSAGE_WINDOW)
    earlier = AuditEvent.objects.filter(
        organisation_id=program.organisation_id,
        target_type=Relationship._meta.label_lower,
        target_id=str(relationship.pk),
        action=Action.PAIR_ACTION,
        details__action=action,
        created_at__gt=since,
    ).count()
    if earlier < allowed:
        return
    if rematch:
        raise Refusal(_("This pair was offered a rematch less than a week ago."), code="too_soon")
    raise Refusal(
        ngettext(
            "This pair got too many messages today (%(n)d message a day at most); write again tomorrow.",
            "This pair got too many messages today (%(n)d messages a day at most); write again tomorrow.",
            MESSAGES_PER_DAY,
        )
        % {"n": MESSAGES_PER_DAY},
        code="too_soon",
    )


def fairness_snapshot_refresh(*, program: Program, now: datetime | None = None) -> FairnessSnapshot | None:
    """Publish the private groupings' figures again if the program's approved mentees changed by at
    least the minimum group since the last snapshot (or there is none and there are enough of them);
    the new snapshot, or None when the published one stands."""
    now = now or timezone.now()
    members = approved_mentee_ids(program=program)
    last = FairnessSnapshot.objects.filter(program=program).order_by("-taken_at").only("members").first()
    before = frozenset(last.members) if last else frozenset()
    after = frozenset(members)
    if after == before or not membership_changed_enough(before, after):
        return None
    figures = fairness_snapshot_figures(program=program, people=members, now=now)
    return FairnessSnapshot.objects.create(program=program, taken_at=now, members=members, figures=figures)


def leaders_reach_refresh(
    *, organisation_id: int, now: datetime | None = None
) -> LeadersReachSnapshot | None:
    """Publish the roll-up's "whom leaders sponsor" counts again if the mentees reached changed by at
    least the minimum group since the last snapshot (as fairness_snapshot_refresh); the new snapshot,
    or None when the published one stands."""
    members, figures = leaders_reach_now(organisation_id=organisation_id)
    last = (
        LeadersReachSnapshot.objects.filter(organisation_id=organisation_id)
        .order_by("-taken_at")
        .only("members")
        .first()
    )
    before = frozenset(last.members) if last else frozenset()
    after = frozenset(members)
    if after == before or not membership_changed_enough(before, after):
        return None
    return LeadersReachSnapshot.objects.create(
        organisation_id=organisation_id, taken_at=now or timezone.now(), members=members, figures=figures
    )
