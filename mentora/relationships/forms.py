from django import forms
from django.utils.translation import gettext_lazy as _


class PairForm(forms.Form):
    mentor = forms.ChoiceField(label=_("Mentor"))
    mentee = forms.ChoiceField(label=_("Mentee"))
    note = forms.CharField(
        label=_("Note to both (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, pool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].choices = [
            (
                str(room.enrolment.person_id),
                _("%(name)s (%(free)s free)") % {"name": room.enrolment.person.full_name, "free": room.free},
            )
            for room in pool.mentors
        ]
        self.fields["mentee"].choices = [
            (str(enrolment.person_id), enrolment.person.full_name) for enrolment in pool.mentees
        ]
