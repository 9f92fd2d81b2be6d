"""A mentoring relationship between two people in one program.

Writes go through `mentora.relationships.services`; nothing else saves these rows.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mentora.people.models import Person
from mentora.programs.models import Program


class RelationshipStatus(models.TextChoices):
    PENDING_CONSENT = "pending_consent", _("Waiting for consent")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    ENDED = "ended", _("Ended")


LIVE_STATUSES = (RelationshipStatus.PENDING_CONSENT, RelationshipStatus.ACTIVE)


class RelationshipOrigin(models.TextChoices):
    PROPOSAL = "proposal", _("Matching proposal")
    MENTEE_REQUEST = "mentee_request", _("Mentee's request")
    MANUAL = "manual", _("Paired by a manager")


class Relationship(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="relationships")
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_as_mentor")
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_as_mentee")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RelationshipStatus.choices,
        default=RelationshipStatus.PENDING_CONSENT,
    )
    origin = models.CharField(_("origin"), max_length=16, choices=RelationshipOrigin.choices)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    created_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    mentor_consented_at = models.DateTimeField(null=True, blank=True)
    mentee_consented_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    # The cycle's end for this pair: the program's at creation, moved by an extension. A column
    # rather than a read of the agreements app's extensions, so that every app can use it.
    ends_on = models.DateField(_("ends on"))
    # No-fault exit: optional, and private to the program's managers and the person who ended it.
    end_reason = models.TextField(_("reason"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")), name="relationship_mentor_is_not_mentee"
            ),
            models.UniqueConstraint(
                fields=["program", "mentor", "mentee"],
                condition=Q(status__in=LIVE_STATUSES),
                name="relationship_one_live_per_pair",
                violation_error_message=_("These two people are already paired in this program."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=RelationshipStatus.values), name="relationship_valid_status"
            ),
            models.CheckConstraint(
                condition=Q(origin__in=RelationshipOrigin.values), name="relationship_valid_origin"
            ),
            models.CheckConstraint(
                condition=~Q(status=RelationshipStatus.ACTIVE)
                | Q(
                    mentor_consented_at__isnull=False,
                    mentee_consented_at__isnull=False,
                    started_at__isnull=False,
                ),
                name="relationship_active_needs_both_consents",
            ),
            models.CheckConstraint(
                condition=~Q(status=RelationshipStatus.ENDED)
                | Q(ended_at__isnull=False, started_at__isnull=False),
                name="relationship_ended_has_end_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=RelationshipStatus.DECLINED) | Q(declined_at__isnull=False),
                name="relationship_declined_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "mentor", "status"]),
            models.Index(fields=["program", "mentee", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee} ({self.program})"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    def side_of(self, person) -> str | None:
        if person is None:
            return None
        if person.pk == self.mentor_id:
            return "mentor"
        if person.pk == self.mentee_id:
            return "mentee"
        return None

    def partner_id_of(self, person) -> int:
        """The other side's person id, for one of the pair's two people."""
        return self.mentee_id if person.pk == self.mentor_id else self.mentor_id

    def partner_of(self, person) -> Person:
        """The other side, for one of the pair's two people."""
        return self.mentee if person.pk == self.mentor_id else self.mentor

    def has_consented(self, person) -> bool:
        side = self.side_of(person)
        if side == "mentor":
            return self.mentor_consented_at is not None
        if side == "mentee":
            return self.mentee_consented_at is not None
        return False
