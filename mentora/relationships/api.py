"""Relationship endpoints: my relationships, consent, decline; a program's relationships, who is
missing in it (`GET /api/programs/{id}/gaps`) and who is free to (re)match (`…/pool`), both on
`programs_router`, for its managers. Same services as the pages. Endings are the agreements app's
endpoints; pairing by hand is the matching API's (`POST /api/matching/programs/{id}/pairs`), where
the matching rules apply."""

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field, Router, Schema

from mentora.api.calls import api_viewer
from mentora.api.schemas import DepartmentOut, Id, PersonRefOut, dataclass_schema
from mentora.organisations.models import Department
from mentora.programs.selectors import program_get_managed
from mentora.relationships import selectors, services
from mentora.relationships.models import Relationship, RelationshipOrigin, RelationshipStatus

router = Router(tags=["relationships"])
# A program's figures that count relationships, under the program's own address (/api/programs/…).
programs_router = Router(tags=["programs"])


class RelationshipOut(Schema):
    id: int
    program_id: int
    mentor: PersonRefOut
    mentee: PersonRefOut
    status: RelationshipStatus
    origin: RelationshipOrigin
    note: str
    created_at: datetime
    mentor_consented_at: datetime | None
    mentee_consented_at: datetime | None
    started_at: datetime | None
    declined_at: datetime | None
    ended_at: datetime | None
    ended_by_id: int | None


class ManagedRelationshipOut(RelationshipOut):
    """For the program's managers: includes the private no-fault exit reason."""

    end_reason: str


class MyRelationshipOut(RelationshipOut):
    my_side: str
    end_reason: str | None = Field(None, description="Only when I ended it.")


def _mine(relationship: Relationship, person) -> dict:
    out = RelationshipOut.from_orm(relationship).dict()
    out["my_side"] = relationship.side_of(person)
    out["end_reason"] = relationship.end_reason if relationship.ended_by_id == person.pk else None
    return out


@router.get("/", response=list[MyRelationshipOut], summary="My relationships")
def list_mine(request):
    viewer = api_viewer(request)
    return [
        _mine(relationship, viewer.person)
        for relationship in selectors.relationship_list_for_person(person=viewer.person)
    ]


class ProgramClosedOut(Schema):
    program_id: int
    status: str
    withdrawn: list[int] = Field(description="The pairings that were waiting for consent, now withdrawn.")


@router.post(
    "/program/{int:program_id}/close",
    response=ProgramClosedOut,
    summary="Close a program (from its start date): pending pairings are withdrawn, active ones run on",
)
def program_close(request, program_id: Id):
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    closed = services.program_close(program=program)
    return {
        "program_id": closed.program.pk,
        "status": closed.program.status,
        "withdrawn": [relationship.pk for relationship in closed.withdrawn],
    }


@router.get(
    "/program/{int:program_id}", response=list[ManagedRelationshipOut], summary="A program's relationships"
)
def list_for_program(request, program_id: Id):
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    return selectors.relationship_list_for_program(program=program)


def _party(request, relationship_id: int):
    viewer = api_viewer(request)
    return viewer, selectors.relationship_get_for_party(viewer=viewer, relationship_id=relationship_id)


@router.post(
    "/{int:relationship_id}/consent",
    response={200: MyRelationshipOut},
    summary="I agree to start",
)
def consent(request, relationship_id: Id):
    viewer, relationship = _party(request, relationship_id)
    relationship = services.relationship_consent(relationship=relationship, person=viewer.person)
    return _mine(relationship, viewer.person)


@router.post(
    "/{int:relationship_id}/decline",
    response={200: MyRelationshipOut},
    summary="Decline a pending pairing",
)
def decline(request, relationship_id: Id):
    viewer, relationship = _party(request, relationship_id)
    relationship = services.relationship_decline(relationship=relationship, person=viewer.person)
    return _mine(relationship, viewer.person)


class GapsOut(
    dataclass_schema(
        selectors.ProgramGaps,
        name="GapsFieldsOut",
        nested={Department: DepartmentOut},
        properties=["shortfall"],
        descriptions={
            "unpaired_mentees": "Approved mentees in no pending or active relationship.",
            "capacity": "The places of the mentors not paused, taken or free.",
            "free_places": "Places free now: capacity minus live relationships, none while paused.",
            "shortfall": "Unpaired mentees beyond the free places.",
        },
    )
):
    messages: list[str]


def _gaps_messages(gaps: selectors.ProgramGaps) -> list[str]:
    messages = []
    if gaps.shortfall:
        messages.append(
            _("%(waiting)s, %(free)s: not enough places for %(short)s")
            % {
                "waiting": ngettext(
                    "%(count)s mentee waiting for a mentor",
                    "%(count)s mentees waiting for a mentor",
                    gaps.unpaired_mentees,
                )
                % {"count": gaps.unpaired_mentees},
                "free": ngettext("%(count)s free place", "%(count)s free places", gaps.free_places)
                % {"count": gaps.free_places},
                "short": ngettext("%(count)s mentee", "%(count)s mentees", gaps.shortfall)
                % {"count": gaps.shortfall},
            }
        )
    if not gaps.eligible_mentors:
        messages.append(_("No one in the organisation is eligible to mentor in this program."))
    if gaps.departments_without_mentors:
        messages.append(
            _("Departments without mentors: %(names)s")
            % {"names": ", ".join(department.name for department in gaps.departments_without_mentors)}
        )
    return messages


class PoolMenteeOut(Schema):
    person: PersonRefOut
    freed: bool = Field(description="Their last pairing in the program was declined or ended.")


class PoolMentorOut(Schema):
    person: PersonRefOut
    capacity: int
    live: int = Field(description="Their pending and active relationships in the program.")
    free: int = Field(description="Places free now: capacity minus live relationships.")


class PoolOut(Schema):
    mentees: list[PoolMenteeOut] = Field(description="Approved mentees in no live relationship, by name.")
    mentors: list[PoolMentorOut] = Field(description="Mentors not paused with a free place, by name.")


@programs_router.get(
    "/{int:program_id}/pool", response=PoolOut, summary="Who is free to be (re)matched in a program"
)
def pool(request, program_id: Id):
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    pool = selectors.program_pool(program=program)
    return {
        "mentees": [
            {"person": enrolment.person, "freed": enrolment.person_id in pool.freed_mentee_ids}
            for enrolment in pool.mentees
        ],
        "mentors": [
            {"person": room.enrolment.person, "capacity": room.capacity, "live": room.live, "free": room.free}
            for room in pool.mentors
        ],
    }


@programs_router.get("/{int:program_id}/gaps", response=GapsOut, summary="Who is missing")
def gaps(request, program_id: Id):
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    gaps = selectors.program_gaps(program=program)
    return {**vars(gaps), "shortfall": gaps.shortfall, "messages": _gaps_messages(gaps)}
