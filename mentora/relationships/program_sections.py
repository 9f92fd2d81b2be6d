from django.core.paginator import Paginator

from mentora.core.sorting import sorting_for
from mentora.programs.models import LIVE_PROGRAM_STATUSES
from mentora.programs.sections import MANAGE, register
from mentora.relationships.selectors import (
    RELATIONSHIP_SORTS,
    RELATIONSHIPS_PER_PAGE,
    program_gaps,
    program_pool,
    relationship_list_for_program,
)


def _context(program, request) -> dict:
    sorting = sorting_for(request, columns=RELATIONSHIP_SORTS, default="-created")
    relationships = relationship_list_for_program(program=program, order_by=sorting.order_by)
    return {
        "relationships": Paginator(relationships, RELATIONSHIPS_PER_PAGE).get_page(request.GET.get("page")),
        "sorting": sorting,
        "pool": program_pool(program=program),
        "can_pair": program.status in LIVE_PROGRAM_STATUSES,
    }


register(
    "relationships",
    page=MANAGE,
    order=10,
    template="relationships/_program_relationships.html",
    context=_context,
)

register(
    "gaps",
    page=MANAGE,
    order=0,
    template="relationships/_program_gaps.html",
    context=lambda program, request: {"gaps": program_gaps(program=program)},
)
