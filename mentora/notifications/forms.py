from django import forms

from mentora.notifications.models import NotificationPreference


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["meeting_reminder", "silent_pair_nudge", "checkin_reminder", "relationship_update"]
