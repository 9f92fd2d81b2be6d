"""Sign-in data that only this app writes: rounds of activation e-mails and an organisation's
second-factor rule."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentora.organisations.models import Organisation


class ActivationRoundStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    DONE = "done", _("Sent")


class ActivationRound(models.Model):
    """One org admin's request to (re)send activation e-mails to some people of their organisation,
    sent by a background task; `sent` is how many went out."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="activation_rounds")
    created_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, related_name="activation_rounds"
    )
    people = models.ManyToManyField("people.Person", related_name="+")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ActivationRoundStatus.choices,
        default=ActivationRoundStatus.QUEUED,
    )
    sent = models.PositiveIntegerField(_("e-mails sent"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("activation round")
        verbose_name_plural = _("activation rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActivationRoundStatus.values), name="activation_round_valid_status"
            ),
            models.CheckConstraint(
                condition=Q(status=ActivationRoundStatus.DONE, finished_at__isnull=False)
                | (~Q(status=ActivationRoundStatus.DONE) & Q(finished_at__isnull=True)),
                name="activation_round_finished_when_done",
            ),
        ]

    def __str__(self) -> str:
        return f"Activation round {self.pk} ({self.status})"


class SignInPolicy(models.Model):
    """An organisation's sign-in rules beyond the password. Missing row: nothing enforced."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="sign_in_policy")
    mfa_required_for_staff = models.BooleanField(
        _("require a second factor for org admins and program managers"),
        default=False,
        help_text=_("They are sent to set up an authenticator app before anything else."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sign-in policy")
        verbose_name_plural = _("sign-in policies")

    def __str__(self) -> str:
        return f"Sign-in policy of organisation {self.organisation_id}"
