"""Who sees which evidence. The program dashboard: the program's managers and the organisation's
admins (`programs.selectors.program_get_managed`). The organisation roll-up: org admins and leaders
of that organisation."""

from mentora.core.roles import Viewer
from mentora.organisations.models import Role


def can_read_rollup(viewer: Viewer) -> bool:
    return viewer.person is not None and viewer.has_role(Role.ORG_ADMIN, Role.LEADER)
