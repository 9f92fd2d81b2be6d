"""Meeting pages inside the pair's space, the .ics download and the calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentora.core.decorators import person_required
from mentora.core.forms import apply_service_errors
from mentora.core.htmx import wants_fragment
from mentora.core.refusals import STATE_CONFLICTS
from mentora.core.roles import request_viewer
from mentora.meetings import ical, selectors, services
from mentora.meetings.forms import LogForm, MeetingForm, PastMeetingForm, PrepForm, VersionForm
from mentora.meetings.models import MeetingStatus
from mentora.workspace.access import request_pair


@login_required
def meeting_list(request, relationship_id: int):
    """The pair's meetings coming up (soonest first) or earlier (latest first), a page at a time."""
    pair = request_pair(request, relationship_id)
    upcoming = request.GET.get("when") == "upcoming"
    read = selectors.meetings_upcoming if upcoming else selectors.meetings_past
    page = Paginator(read(relationship=pair.relationship), selectors.MEETINGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "meetings/meeting_list.html",
        {"pair": pair, "relationship": pair.relationship, "upcoming": upcoming, "page": page},
    )


def _meeting_form(request, **kwargs) -> MeetingForm:
    return MeetingForm(
        request.POST if request.method == "POST" else None,
        time_zone_name=timezone.get_current_timezone_name(),
        **kwargs,
    )


def _slot(form: MeetingForm) -> dict:
    data = form.cleaned_data
    return {
        "starts_at": data["starts_at"],
        "duration_minutes": data["duration_minutes"],
        "place": data["place"],
        "video_url": data["video_url"],
    }


@login_required
def meeting_new(request, relationship_id: int):
    pair = request_pair(request, relationship_id)
    form = _meeting_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(
                relationship=pair.relationship, person=pair.person, **_slot(form)
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Meeting scheduled. Add it to your calendar from its page."))
            return redirect("meetings:detail", relationship_id, meeting.pk)
    return render(request, "meetings/meeting_form.html", {"pair": pair, "form": form})


@login_required
def meeting_past(request, relationship_id: int):
    """Log a meeting that happened without being scheduled here first."""
    pair = request_pair(request, relationship_id)
    form = PastMeetingForm(
        request.POST if request.method == "POST" else None,
        time_zone_name=timezone.get_current_timezone_name(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record_past(
                relationship=pair.relationship, person=pair.person, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Meeting logged."))
            return redirect("meetings:detail", relationship_id, meeting.pk)
    status = 400 if form.is_bound else 200
    return render(request, "meetings/meeting_past.html", {"pair": pair, "form": form}, status=status)


def _prep_form(meeting, data=None) -> PrepForm:
    prep = getattr(meeting, "prep", None)
    initial = {"version": prep.version if prep else 0}
    if prep:
        initial.update(agenda=prep.agenda, questions=prep.questions)
    return PrepForm(data, initial=initial)


def _detail(request, pair, meeting, *, status=200, **forms):
    can_edit = not pair.read_only and meeting.status == MeetingStatus.SCHEDULED
    context = {
        "pair": pair,
        "meeting": meeting,
        "read_only": pair.read_only,
        "can_edit": can_edit,
        "can_log": not pair.read_only and meeting.starts_at <= timezone.now(),
        "my_rating": meeting.rating_of(pair.side),
        "edit_form": MeetingForm(
            initial={
                "starts_at": meeting.starts_at,
                "duration_minutes": meeting.duration_minutes,
                "place": meeting.place,
                "video_url": meeting.video_url,
                "version": meeting.version,
            },
            time_zone_name=timezone.get_current_timezone_name(),
        ),
        "cancel_form": VersionForm(initial={"version": meeting.version}),
        "log_form": LogForm(
            initial={
                "outcome": MeetingStatus.HAPPENED
                if meeting.status != MeetingStatus.CANCELLED
                else meeting.status,
                "actual_duration_minutes": meeting.actual_duration_minutes or meeting.duration_minutes,
                "topics": meeting.topics,
                "rating": meeting.rating_of(pair.side),
                "version": meeting.version,
            }
        ),
        "prep_form": _prep_form(meeting),
    }
    context.update(forms)
    return render(request, "meetings/meeting.html", context, status=status)


def _error_status(error: ValidationError) -> int:
    # The API's conflict policy, on the page: 409 for a conflict with the meeting's state.
    return 409 if getattr(error, "code", None) in STATE_CONFLICTS else 400


@login_required
def meeting_detail(request, relationship_id: int, meeting_id: int):
    pair = request_pair(request, relationship_id)
    return _detail(request, pair, selectors.meeting_get_for_pair(pair=pair, meeting_id=meeting_id))


def _back(pair, meeting):
    return redirect("meetings:detail", pair.relationship.pk, meeting.pk)


def _change(
    request, relationship_id: int, meeting_id: int, *, form, form_name: str, service, values, done: str
):
    """Apply one form's change to a meeting through `service` (with `values(form)`): back to the
    meeting with `done`, or the meeting's page again with the form's errors (400, 409 for a conflict)."""
    pair = request_pair(request, relationship_id)
    meeting = selectors.meeting_get_for_pair(pair=pair, meeting_id=meeting_id)
    if form.is_valid():
        try:
            service(meeting=meeting, person=pair.person, **values(form))
        except ValidationError as error:
            apply_service_errors(form, error)
            return _detail(request, pair, meeting, status=_error_status(error), **{form_name: form})
        messages.success(request, done)
        return _back(pair, meeting)
    return _detail(request, pair, meeting, status=400, **{form_name: form})


@login_required
@require_POST
def meeting_edit(request, relationship_id: int, meeting_id: int):
    return _change(
        request,
        relationship_id,
        meeting_id,
        form=_meeting_form(request),
        form_name="edit_form",
        service=services.meeting_reschedule,
        values=lambda form: {"version": form.cleaned_data["version"] or 0, **_slot(form)},
        done=_("Meeting changed. Calendars subscribed to Mentora update by themselves."),
    )


@login_required
@require_POST
def meeting_cancel(request, relationship_id: int, meeting_id: int):
    return _change(
        request,
        relationship_id,
        meeting_id,
        form=VersionForm(request.POST),
        form_name="cancel_form",
        service=services.meeting_cancel,
        values=lambda form: {"version": form.cleaned_data["version"]},
        done=_("Meeting cancelled."),
    )


@login_required
@require_POST
def meeting_log(request, relationship_id: int, meeting_id: int):
    return _change(
        request,
        relationship_id,
        meeting_id,
        form=LogForm(request.POST),
        form_name="log_form",
        service=services.meeting_log,
        values=lambda form: form.cleaned_data,
        done=_("Meeting logged. Thank you."),
    )


@login_required
@require_POST
def meeting_prep(request, relationship_id: int, meeting_id: int):
    pair = request_pair(request, relationship_id)
    meeting = selectors.meeting_get_for_pair(pair=pair, meeting_id=meeting_id)
    form = PrepForm(request.POST)
    status, saved = 400, False
    if form.is_valid():
        try:
            services.meeting_prep_save(meeting=meeting, person=pair.person, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
            status = _error_status(error)
        else:
            saved = True
    if saved:
        meeting = selectors.meeting_get_for_pair(pair=pair, meeting_id=meeting_id)
        form = _prep_form(meeting)
        if not wants_fragment(request):
            messages.success(request, _("Preparation saved."))
            return _back(pair, meeting)
    if wants_fragment(request):
        context = {
            "pair": pair,
            "meeting": meeting,
            "read_only": pair.read_only,
            "prep_form": form,
            "saved": saved,
        }
        return render(request, "meetings/_prep.html", context, status=200 if saved else status)
    return _detail(request, pair, meeting, status=status, prep_form=form)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def meeting_ics(request, relationship_id: int, meeting_id: int):
    pair = request_pair(request, relationship_id)
    meeting = selectors.meeting_get_for_pair(pair=pair, meeting_id=meeting_id)
    content = ical.calendar_bytes([meeting], person=pair.person)
    return _ics_response(content, f"mentoring-{meeting.starts_at:%Y%m%d}.ics")


@person_required
def calendar_subscribe(request):
    """The page with the viewer's calendar subscription address, and a way to revoke it."""
    person = request_viewer(request).person
    if request.method == "POST":
        had_one = selectors.calendar_feed_token(person=person) is not None
        services.calendar_feed_reset(person=person)
        if had_one:
            messages.success(request, _("A new address was made. The old one no longer works."))
        return redirect("calendar:subscribe")
    feed_url = selectors.calendar_feed_url(person=person)
    return render(request, "meetings/calendar.html", {"feed_url": feed_url})


def calendar_feed(request, token: str):
    """A person's meetings for calendar apps, which cannot sign in: the random token is the key."""
    person = selectors.calendar_feed_person(token=token)
    if person is None:
        raise Http404
    content = ical.calendar_bytes(
        selectors.meetings_for_calendar(person=person),
        person=person,
        name=_("Mentoring (Mentora)"),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
