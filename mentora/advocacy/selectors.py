"""Reads for the advocacy log, and the sponsorship KPIs."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from mentora.advocacy.models import AdvocacyAction, AdvocacyKind
from mentora.programs.models import Program
from mentora.relationships.models import Relationship, RelationshipStatus

# The advocacy log page shows this many actions a page (the pair's space, the latest few).
ACTIONS_PER_PAGE = 25


def advocacy_actions_for(*, relationship: Relationship) -> QuerySet:
    """The pair's log (callers make sure the viewer is one of the pair)."""
    return AdvocacyAction.objects.filter(relationship=relationship).order_by("-occurred_on", "-id")


def advocacy_action_get(*, relationship: Relationship, action_id: int) -> AdvocacyAction:
    action = advocacy_actions_for(relationship=relationship).filter(pk=action_id).first()
    if action is None:
        raise Http404
    return action


@dataclass(frozen=True)
class SponsorshipKpis:
    pairs: int
    mentees: int
    actions: int
    confirmed: int
    mentees_reached: int
    by_kind: dict[str, int]

    @property
    def actions_per_pair(self) -> float | None:
        return self.actions / self.pairs if self.pairs else None

    @property
    def confirmed_share(self) -> float | None:
        return self.confirmed / self.actions if self.actions else None

    @property
    def reach(self) -> float | None:
        """Share of paired mentees who received at least one sponsorship action."""
        return self.mentees_reached / self.mentees if self.mentees else None


def sponsorship_kpis(*, program: Program) -> SponsorshipKpis:
    """Counts over pairs that started (active or ended) in the program."""
    pairs = Relationship.objects.filter(
        program=program, status__in=[RelationshipStatus.ACTIVE, RelationshipStatus.ENDED]
    )
    actions = AdvocacyAction.objects.filter(relationship__in=pairs)
    totals = actions.aggregate(
        n=Count("pk"),
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
        reached=Count("relationship__mentee", distinct=True),
    )
    kinds = dict(actions.values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return SponsorshipKpis(
        pairs=pairs.count(),
        mentees=pairs.values("mentee").distinct().count(),
        actions=totals["n"],
        confirmed=totals["confirmed"],
        mentees_reached=totals["reached"],
        by_kind={kind: kinds.get(kind, 0) for kind in AdvocacyKind.values},
    )
