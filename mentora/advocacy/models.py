"""The advocacy log: sponsorship actions a mentor took for their mentee, which the mentee can
confirm. Writes go through `mentora.advocacy.services`."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentora.relationships.models import Relationship

DESCRIPTION_LIMIT = 2000


class AdvocacyKind(models.TextChoices):
    INTRODUCTION = "introduction", _("Introduction to someone who matters")
    NOMINATION = "nomination", _("Nomination (role, award, program)")
    STRETCH_ASSIGNMENT = "stretch_assignment", _("Stretch assignment")
    PUBLIC_ENDORSEMENT = "public_endorsement", _("Public endorsement")


class AdvocacyAction(models.Model):
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="advocacy_actions")
    kind = models.CharField(_("kind of action"), max_length=24, choices=AdvocacyKind.choices)
    occurred_on = models.DateField(_("date"))
    description = models.TextField(_("what you did"), max_length=DESCRIPTION_LIMIT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed by the mentee"), null=True, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("advocacy action")
        verbose_name_plural = _("advocacy actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AdvocacyKind.values), name="advocacy_action_valid_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.occurred_on})"
