"""Reads for the agreement, the agenda and the relationship's lifecycle end."""

from dataclasses import dataclass
from datetime import date

from mentora.agreements.models import AgendaStep, Agreement, Closure, Extension, Reflection
from mentora.relationships.models import Relationship


def agreement_for(*, relationship: Relationship) -> Agreement:
    """The pair's agreement; an unsaved blank one (version 0) until someone writes it."""
    return Agreement.objects.filter(relationship=relationship).first() or Agreement(
        relationship=relationship, version=0
    )


@dataclass(frozen=True)
class AgendaItem:
    step: str
    label: str
    done: bool


def agenda_for(*, agreement: Agreement) -> list[AgendaItem]:
    done = set(agreement.agenda_checks.values_list("step", flat=True)) if agreement.pk else set()
    return [
        AgendaItem(step=step.value, label=str(step.label), done=step.value in done) for step in AgendaStep
    ]


def relationship_ends_on(*, relationship: Relationship) -> date:
    """The cycle's end for this pair: the program's, or the latest extension's."""
    extension = Extension.objects.filter(relationship=relationship).order_by("-created_at", "-id").first()
    return extension.ends_on if extension else relationship.program.ends_on


def relationship_end_dates(*, relationships: list[Relationship]) -> dict[int, date]:
    """`relationship_ends_on` for many relationships in one query."""
    latest: dict[int, date] = {}
    for relationship_id, ends_on in (
        Extension.objects.filter(relationship__in=relationships)
        .order_by("created_at", "id")
        .values_list("relationship_id", "ends_on")
    ):
        latest[relationship_id] = ends_on
    return {r.pk: latest.get(r.pk, r.program.ends_on) for r in relationships}


def closure_for(*, relationship: Relationship) -> Closure | None:
    return Closure.objects.filter(relationship=relationship).select_related("closed_by").first()


def reflections_for(*, relationship: Relationship) -> list[Reflection]:
    """Both sides' reflections: read by the pair only (callers check that the viewer is one)."""
    return list(Reflection.objects.filter(relationship=relationship).select_related("author"))
