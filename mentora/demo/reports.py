"""The demo's reports: each program's monthly PDF report goes to two of the organisation's leaders,
and the first program's manager has exported its dashboard's tables, ready on the Exports page for
24 hours. (The demo loads with a dummy task backend, so the export is built here, as the worker
would; exports asked for afterwards are built by bin/demo's worker.)"""

from mentora.core.roles import viewer_for
from mentora.organisations.models import Organisation, Role
from mentora.people.models import Person
from mentora.programs.models import Program
from mentora.programs.selectors import program_managers
from mentora.reports.models import ExportFormat
from mentora.reports.services import export_build, export_request, report_schedule_set

LEADERS_PER_REPORT = 2


def demo_reports_load(*, organisation: Organisation) -> None:
    leaders = list(
        Person.objects.filter(organisation=organisation, is_active=True, role_memberships__role=Role.LEADER)
        .order_by("pk")
        .values_list("pk", flat=True)[:LEADERS_PER_REPORT]
    )
    for index, program in enumerate(Program.objects.filter(organisation=organisation).order_by("pk")):
        manager = program_managers(program=program).filter(user__isnull=False).first()
        if manager is None:
            continue
        viewer = viewer_for(manager.user)
        if leaders:
            report_schedule_set(viewer=viewer, program=program, recipient_ids=leaders)
        if index == 0:
            export = export_request(
                viewer=viewer, kind="program_report", file_format=ExportFormat.XLSX, program_id=program.pk
            )
            export_build(export_id=export.pk)
