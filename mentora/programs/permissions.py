"""Who may do what with a program. Objects outside the viewer's reach answer 404, not 403."""

from mentora.core.roles import Viewer
from mentora.programs.models import Enrolment, Program


def can_create_program(viewer: Viewer) -> bool:
    return viewer.person is not None and viewer.manages_people


def can_manage_program(viewer: Viewer, program: Program) -> bool:
    """Org admins manage every program of their organisation; program managers only their own."""
    if viewer.person is None or program.organisation_id != viewer.organisation_id:
        return False
    if viewer.is_org_admin:
        return True
    return viewer.manages_people and program.manager_memberships.filter(person=viewer.person).exists()


def can_read_enrolment(viewer: Viewer, enrolment: Enrolment) -> bool:
    """Intake answers are read by their author and the program's managers, nobody else."""
    if viewer.person is not None and enrolment.person_id == viewer.person.pk:
        return True
    return can_manage_program(viewer, enrolment.program)
