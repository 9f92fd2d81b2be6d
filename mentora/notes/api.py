"""Note endpoints in a pair's space. A private note is returned to its author and nobody else;
every read goes through the same selector as the pages."""

import datetime

from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from mentora.api.pagination import Pages
from mentora.api.schemas import Id, UpdatedSince, changed_since
from mentora.notes import selectors, services
from mentora.notes.models import NoteVisibility
from mentora.workspace.api import api_pair

router = Router(tags=["notes"])


class NoteOut(Schema):
    id: int
    relationship_id: int
    author_id: int
    visibility: NoteVisibility
    title: str
    body: str
    version: int
    updated_by_id: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class NoteIn(Schema):
    visibility: NoteVisibility = NoteVisibility.PRIVATE
    title: str = ""
    body: str


class NoteChangeIn(Schema):
    version: int
    title: str = ""
    body: str
    visibility: NoteVisibility | None = None


@router.get(
    "/{int:relationship_id}/notes", response=list[NoteOut], summary="Shared notes and my private notes"
)
@paginate(Pages)
def note_list(request, relationship_id: Id, updated_since: UpdatedSince = None):
    pair = api_pair(request, relationship_id)
    notes = selectors.note_list_visible_to(relationship=pair.relationship, person=pair.person)
    return changed_since(notes, updated_since)


@router.post("/{int:relationship_id}/notes", response={201: NoteOut}, summary="Write a note")
def note_create(request, relationship_id: Id, payload: NoteIn):
    pair = api_pair(request, relationship_id)
    return Status(
        201,
        services.note_create(relationship=pair.relationship, person=pair.person, **payload.dict()),
    )


@router.get("/{int:relationship_id}/notes/{int:note_id}", response=NoteOut, summary="One note")
def note_get(request, relationship_id: Id, note_id: Id):
    pair = api_pair(request, relationship_id)
    return selectors.note_get_for_pair(pair=pair, note_id=note_id)


@router.put(
    "/{int:relationship_id}/notes/{int:note_id}",
    response={200: NoteOut},
    summary="Change a note (409 `stale` if it changed since `version`)",
)
def note_update(request, relationship_id: Id, note_id: Id, payload: NoteChangeIn):
    pair = api_pair(request, relationship_id)
    note = selectors.note_get_for_pair(pair=pair, note_id=note_id)
    return services.note_update(note=note, person=pair.person, **payload.dict())


@router.delete(
    "/{int:relationship_id}/notes/{int:note_id}",
    response={204: None},
    summary="Delete my note",
)
def note_delete(request, relationship_id: Id, note_id: Id):
    pair = api_pair(request, relationship_id)
    note = selectors.note_get_for_pair(pair=pair, note_id=note_id)
    services.note_delete(note=note, person=pair.person)
    return Status(204, None)
