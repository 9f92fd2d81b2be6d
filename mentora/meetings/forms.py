from django import forms
from django.utils.translation import gettext_lazy as _

from mentora.meetings.models import (
    MAX_ACTUAL_DURATION_MINUTES,
    MAX_DURATION_MINUTES,
    MIN_DURATION_MINUTES,
    TEXT_LIMIT,
    MeetingStatus,
)

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def local_datetime_field(*, label: str) -> forms.DateTimeField:
    """A date and time typed in the viewer's zone, in the browser's own date-time picker."""
    return forms.DateTimeField(
        label=label,
        input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
    )


def topics_field() -> forms.CharField:
    return forms.CharField(
        label=_("Topics"), max_length=TEXT_LIMIT, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def private_rating_field() -> forms.TypedChoiceField:
    """A 1–5 rating of a meeting that only its author sees."""
    return forms.TypedChoiceField(
        label=_("How useful was it for you? (only you see your rating)"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class MeetingForm(forms.Form):
    """Date and time are typed in the viewer's time zone (the active one) and stored in UTC."""

    starts_at = local_datetime_field(label=_("Date and time"))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=MIN_DURATION_MINUTES,
        max_value=MAX_DURATION_MINUTES,
        initial=60,
        widget=forms.NumberInput(attrs={"step": 15}),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_url = forms.URLField(
        label=_("Video call link"), max_length=500, required=False, assume_scheme="https"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, time_zone_name: str, **kwargs):
        kwargs.setdefault("auto_id", "meeting_%s")
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].help_text = _("In your time zone, %(zone)s.") % {"zone": time_zone_name}


class PastMeetingForm(forms.Form):
    """A meeting that happened without being scheduled here; the time is in the viewer's zone."""

    starts_at = local_datetime_field(label=_("When did it start?"))
    duration_minutes = forms.IntegerField(
        label=_("How long did it last (minutes)?"),
        min_value=MIN_DURATION_MINUTES,
        max_value=MAX_DURATION_MINUTES,
        initial=60,
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    topics = topics_field()
    rating = private_rating_field()

    def __init__(self, *args, time_zone_name: str, **kwargs):
        kwargs.setdefault("auto_id", "past_%s")
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].help_text = _("In your time zone, %(zone)s.") % {"zone": time_zone_name}


class _Ids:
    """Several forms share a page: each gets its own element ids."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class VersionForm(_Ids, forms.Form):
    id_prefix = "cancel"
    version = forms.IntegerField(widget=forms.HiddenInput)


class LogForm(_Ids, forms.Form):
    id_prefix = "log"
    outcome = forms.ChoiceField(
        label=_("Did the meeting happen?"),
        choices=[
            (MeetingStatus.HAPPENED, _("Yes, it happened")),
            (MeetingStatus.CANCELLED, _("No, it was cancelled")),
        ],
        widget=forms.RadioSelect,
    )
    actual_duration_minutes = forms.IntegerField(
        label=_("How long did it last (minutes)?"),
        min_value=1,
        max_value=MAX_ACTUAL_DURATION_MINUTES,
        required=False,
    )
    topics = topics_field()
    rating = private_rating_field()
    version = forms.IntegerField(widget=forms.HiddenInput)


class PrepForm(_Ids, forms.Form):
    id_prefix = "prep"
    agenda = forms.CharField(
        label=_("Agenda"), max_length=TEXT_LIMIT, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    questions = forms.CharField(
        label=_("My specific questions"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Always come prepared with specific questions."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
