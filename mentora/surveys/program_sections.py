from mentora.programs.sections import MANAGE, register
from mentora.surveys.selectors import templates_asked_count

register(
    "surveys",
    page=MANAGE,
    order=40,
    template="surveys/_program_section.html",
    context=lambda program, request: {"asked": templates_asked_count(program=program)},
)
