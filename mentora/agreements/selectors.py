"""Reads for the agreement, the agenda and the relationship's closure and reflections."""

from dataclasses import dataclass

from mentora.agreements.models import AgendaStep, Agreement, Closure, Reflection
from mentora.relationships.models import Relationship


def agreement_for(*, relationship: Relationship) -> Agreement:
    """The pair's agreement; an unsaved blank one (version 0) until someone writes it."""
    return Agreement.objects.filter(relationship=relationship).first() or Agreement(
        relationship=relationship, version=0
    )


@dataclass(frozen=True)
class AgendaItem:
    step: AgendaStep
    label: str
    done: bool


def agenda_for(*, agreement: Agreement) -> list[AgendaItem]:
    done = set(agreement.agenda_checks.values_list("step", flat=True)) if agreement.pk else set()
    return [AgendaItem(step=step, label=str(step.label), done=step.value in done) for step in AgendaStep]


def closure_for(*, relationship: Relationship) -> Closure | None:
    return Closure.objects.filter(relationship=relationship).select_related("closed_by").first()


def reflections_for(*, relationship: Relationship) -> list[Reflection]:
    """Both sides' reflections: read by the pair only (callers check that the viewer is one)."""
    return list(Reflection.objects.filter(relationship=relationship).select_related("author"))
