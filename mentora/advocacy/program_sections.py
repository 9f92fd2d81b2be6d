from mentora.advocacy.selectors import sponsorship_kpis
from mentora.programs.sections import HEALTH, register

register(
    "sponsorship",
    page=HEALTH,
    order=10,
    template="advocacy/_program_sponsorship.html",
    context=lambda program, request: {"sponsorship": sponsorship_kpis(program=program)},
)
