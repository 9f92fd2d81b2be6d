"""Note pages inside the pair's space."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentora.core.forms import apply_service_errors, flash_refusal
from mentora.core.htmx import wants_fragment
from mentora.notes import selectors, services
from mentora.notes.forms import NoteForm
from mentora.notes.models import NoteVisibility
from mentora.workspace.access import request_pair
from mentora.workspace.panels import render_panel


def _to_space(relationship_id: int):
    return redirect(reverse("workspace:pair", args=[relationship_id]) + "#notes")


@login_required
def note_list(request, relationship_id: int):
    """The pair's shared or the viewer's private notes, newest first, a page at a time."""
    pair = request_pair(request, relationship_id)
    visibility = request.GET.get("visibility")
    if visibility not in NoteVisibility.values:
        visibility = NoteVisibility.SHARED
    notes = selectors.note_list_visible_to(relationship=pair.relationship, person=pair.person)
    page = Paginator(notes.filter(visibility=visibility), selectors.NOTES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notes/note_list.html",
        {
            "pair": pair,
            "relationship": pair.relationship,
            "read_only": pair.read_only,
            "visibility": NoteVisibility(visibility),
            "page": page,
        },
    )


@login_required
@require_POST
def note_create(request, relationship_id: int):
    pair = request_pair(request, relationship_id)
    form = NoteForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            services.note_create(
                relationship=pair.relationship,
                person=pair.person,
                visibility=form.cleaned_data["visibility"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            saved = True
    if wants_fragment(request):
        extra = {"saved": saved} if saved else {"note_form": form}
        html = render_panel("notes", pair=pair, request=request, extra=extra)
        return HttpResponse(html, status=200 if saved else 400)
    if saved:
        messages.success(request, _("Note saved."))
        return _to_space(relationship_id)
    return render(request, "notes/note_form.html", {"pair": pair, "form": form, "note": None}, status=400)


@login_required
def note_edit(request, relationship_id: int, note_id: int):
    pair = request_pair(request, relationship_id)
    note = selectors.note_get_for_pair(pair=pair, note_id=note_id)
    is_author = note.author_id == pair.person.pk
    initial = {"title": note.title, "body": note.body, "visibility": note.visibility, "version": note.version}
    form = NoteForm(request.POST or None, initial=initial, can_change_visibility=is_author)
    status, conflict = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.note_update(
                    note=note,
                    person=pair.person,
                    version=form.cleaned_data["version"] or 0,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    visibility=form.cleaned_data.get("visibility"),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
                if getattr(error, "code", None) == "stale":
                    status, conflict = 409, selectors.note_get_for_pair(pair=pair, note_id=note_id)
                    # Saving again now means "mine over theirs", knowingly: base it on their version.
                    form.data = form.data.copy()
                    form.data["version"] = conflict.version
            else:
                messages.success(request, _("Note saved."))
                return _to_space(relationship_id)
    context = {"pair": pair, "form": form, "note": note, "conflict": conflict, "is_author": is_author}
    return render(request, "notes/note_form.html", context, status=status)


@login_required
@require_POST
def note_delete(request, relationship_id: int, note_id: int):
    pair = request_pair(request, relationship_id)
    note = selectors.note_get_for_pair(pair=pair, note_id=note_id)
    try:
        services.note_delete(note=note, person=pair.person)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("Note deleted."))
    return _to_space(relationship_id)
