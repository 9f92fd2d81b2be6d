"""The outcomes section of a manager's program page: a link to the program's outcome analyses."""

from mentora.outcomes.models import OutcomeAnalysis
from mentora.programs.sections import MANAGE, register

register(
    "outcomes",
    page=MANAGE,
    order=90,
    template="outcomes/_program_section.html",
    context=lambda program, request: {
        "latest_analysis": OutcomeAnalysis.objects.filter(program=program).first(),
    },
)
