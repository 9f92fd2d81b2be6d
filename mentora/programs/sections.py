"""The sections that apps above `programs` contribute to a manager's program pages.

The programs floor cannot import the apps built on it, so a page that shows their figures does not
ask them: each app registers its section from its own `program_sections.py` (discovered when
Django starts), as the pair space's panels do (mentora/workspace/panels.py):

    from mentora.programs.sections import MANAGE, register

    register(
        "relationships",
        page=MANAGE,
        order=10,
        template="relationships/_program_relationships.html",
        context=lambda program, request: {"pool": program_pool(program=program)},
    )

A section's template gets the page's `program` besides its own context, and renders a
`<section>` with a heading. Pages: MANAGE (programs:manage, the program's page) and HEALTH
(checkins:program, check-ins and relationship health).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from mentora.programs.models import Program

MANAGE = "manage"
HEALTH = "health"

# The htmx event a change of the program's enrolments triggers (an approval, a decline): panels of
# the MANAGE page that count enrolments listen for it with
# `hx-trigger="enrolments-changed from:body"` and fetch themselves again.
ENROLMENTS_CHANGED = "enrolments-changed"


@dataclass(frozen=True)
class Section:
    key: str
    page: str
    order: int
    template: str
    context: Callable[[Program, HttpRequest], dict]


_sections: dict[tuple[str, str], Section] = {}


def register(
    key: str, *, page: str, order: int, template: str, context: Callable[[Program, HttpRequest], dict]
) -> None:
    """Add (or replace, by page and key) one section of a manager's program page."""
    _sections[(page, key)] = Section(key=key, page=page, order=order, template=template, context=context)


def render_sections(*, page: str, program: Program, request: HttpRequest) -> list[SafeString]:
    """The HTML of the page's sections, in their order."""
    sections = sorted(
        (section for section in _sections.values() if section.page == page),
        key=lambda section: (section.order, section.key),
    )
    return [
        mark_safe(
            render_to_string(
                section.template, {"program": program} | section.context(program, request), request=request
            )
        )
        for section in sections
    ]
