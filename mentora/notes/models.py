"""Notes in a pair's space: private (the author alone) or shared (both sides).

A private note is read by its author and nobody else: not the partner, not the program's
managers, not org admins, not any export. Every read goes through
`mentora.notes.selectors.note_list_visible_to`.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from mentora.people.models import Person
from mentora.relationships.models import Relationship

NOTE_MAX_CHARS = 20_000


class NoteVisibility(models.TextChoices):
    PRIVATE = "private", _("Private: only I can read it")
    SHARED = "shared", _("Shared with my mentoring partner")


class Note(models.Model):
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    visibility = models.CharField(_("who can read it"), max_length=16, choices=NoteVisibility.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("note"))
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=NoteVisibility.values), name="note_valid_visibility"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), NOTE_MAX_CHARS), name="note_body_size_limit"
            ),
        ]
        indexes = [models.Index(fields=["relationship", "visibility", "author"])]

    def __str__(self) -> str:
        return self.title or self.body[:40]

    @property
    def is_private(self) -> bool:
        return self.visibility == NoteVisibility.PRIVATE
