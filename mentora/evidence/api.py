"""The dashboards' figures through the REST API: every table of the program dashboard and of the
organisation roll-up as `{key, title, note, columns, rows}` (`core.tables.Table.records()`), with the
page's permissions and suppression (a withheld cell is null), and the at-risk pairs' actions."""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status

from mentora.api.calls import api_viewer
from mentora.api.schemas import Id, TableOut, table_out
from mentora.checkins.services import checkin_periods_publish
from mentora.evidence import rollup, selectors, services
from mentora.evidence.permissions import can_read_rollup
from mentora.programs.selectors import program_get_managed

router = Router(tags=["evidence"])


class DashboardAtRiskOut(Schema):
    relationship_id: int
    mentee_id: int
    mentee_name: str
    mentor_id: int
    mentor_name: str
    reasons: list[str]
    last_met_at: datetime | None


class ProgramDashboardOut(Schema):
    program_id: int
    computed_at: datetime
    figures: dict[str, Any]
    tables: list[TableOut]
    at_risk: list[DashboardAtRiskOut]


@router.get(
    "/programs/{int:program_id}/dashboard",
    response=ProgramDashboardOut,
    summary="A program's dashboard: key figures, every table, the pairs at risk (its managers, org admins)",
)
def program_dashboard(request, program_id: Id):
    """The page's figures: `figures` (match rate, capacity, waiting list…), each table in page order
    (a cell hidden by the privacy rule is null) and the pairs at risk with reason codes. 404 for a
    program the caller does not manage or of another organisation."""
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    checkin_periods_publish(program=program)
    services.fairness_snapshot_refresh(program=program)
    dashboard = selectors.program_dashboard(program=program)
    return {
        "program_id": program.pk,
        "computed_at": dashboard.computed_at,
        "figures": dashboard.figures,
        "tables": [table_out(table) for table in dashboard.tables],
        "at_risk": [
            {
                "relationship_id": row.pair.relationship.pk,
                "mentee_id": row.pair.relationship.mentee_id,
                "mentee_name": row.pair.relationship.mentee.full_name,
                "mentor_id": row.pair.relationship.mentor_id,
                "mentor_name": row.pair.relationship.mentor.full_name,
                "reasons": row.pair.reasons,
                "last_met_at": row.last_met_at,
            }
            for row in dashboard.at_risk
        ],
    }


@router.get(
    "/programs/{int:program_id}/tables/{key}",
    response=TableOut,
    summary="One table of a program's dashboard, by its key",
)
def program_table(request, program_id: Id, key: str):
    """404 `not_found` for a key the dashboard does not have (the keys: the `tables` of the dashboard)."""
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    checkin_periods_publish(program=program)
    services.fairness_snapshot_refresh(program=program)
    dashboard = selectors.program_dashboard(program=program)
    found = next((table for table in dashboard.tables if table.key == key), None)
    if found is None:
        raise Http404
    return table_out(found)


class DashboardPairActionIn(Schema):
    action: Literal["nudge", "message", "rematch"]
    message: str = ""


class DashboardPairActionOut(Schema):
    id: int
    action: str
    relationship_id: int
    created_at: datetime


@router.post(
    "/programs/{int:program_id}/pairs/{int:relationship_id}/actions",
    response={201: DashboardPairActionOut},
    summary="Act on one of the program's pairs: nudge both, message the pair or offer a rematch",
)
def pair_action(request, program_id: Id, relationship_id: Id, payload: DashboardPairActionIn):
    """Recorded in the audit log (`evidence.pair_action`) and e-mailed to both sides. 409 `not_active`
    for a pair that is not running, 409 `too_soon` for a second nudge within a week, 422 `required` or
    `too_long` for the message; 404 for a pair of another program."""
    viewer = api_viewer(request)
    program = program_get_managed(viewer=viewer, program_id=program_id)
    event = services.pair_action_take(
        program=program,
        relationship_id=relationship_id,
        actor=viewer.person,
        action=payload.action,
        message=payload.message,
    )
    return Status(
        201,
        {
            "id": event.pk,
            "action": payload.action,
            "relationship_id": relationship_id,
            "created_at": event.created_at,
        },
    )


class OrganisationRollupOut(Schema):
    tables: list[TableOut]


@router.get(
    "/organisation",
    response=OrganisationRollupOut,
    summary="The organisation roll-up (org admins and leaders)",
)
def organisation_rollup(request):
    """Participation by department, the programs cycle by cycle and the sponsorship reach of leaders.
    403 `forbidden` for anyone but the organisation's admins and leaders."""
    viewer = api_viewer(request)
    if not can_read_rollup(viewer):
        raise PermissionDenied
    services.leaders_reach_refresh(organisation_id=viewer.organisation_id)
    figures = rollup.organisation_rollup(organisation_id=viewer.organisation_id)
    return {"tables": [table_out(table) for table in figures.tables]}
