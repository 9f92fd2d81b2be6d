"""Emails to both sides of a relationship, sent after the change commits.

The no-fault exit's reason is never included: it is private to the person who gave it and the
program's managers.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils.translation import gettext as _

from mentora.relationships.models import Relationship


def _link() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("relationships:mine")


def _to_both(relationship: Relationship, subject: str, body_for) -> list[EmailMessage]:
    return [
        EmailMessage(subject, body_for(person, other), None, [person.email])
        for person, other in (
            (relationship.mentor, relationship.mentee),
            (relationship.mentee, relationship.mentor),
        )
    ]


def _send(messages: list[EmailMessage]) -> None:
    """All messages over one connection (one SMTP session, however many pairs were published)."""
    get_connection(fail_silently=False).send_messages(messages)


def _send_to_both(relationship: Relationship, subject: str, body_for) -> None:
    _send(_to_both(relationship, subject, body_for))


def _proposed(relationship: Relationship) -> list[EmailMessage]:
    program = relationship.program.name

    def body(person, other):
        return _(
            "Hello %(name)s,\n\nYou have been paired with %(other)s in “%(program)s”. "
            "Please say whether you agree to start — either answer is fine:\n%(link)s\n"
        ) % {"name": person.full_name, "other": other.full_name, "program": program, "link": _link()}

    return _to_both(relationship, _("A new pairing in %(program)s") % {"program": program}, body)


def relationships_proposed(relationships: Iterable[Relationship]) -> None:
    """Ask both sides of each new pairing for consent."""
    _send([message for relationship in relationships for message in _proposed(relationship)])


def relationship_started(relationship: Relationship) -> None:
    program = relationship.program.name

    def body(person, other):
        return _(
            "Hello %(name)s,\n\nYou and %(other)s have both agreed: your relationship in “%(program)s” "
            "has started.\n%(link)s\n"
        ) % {"name": person.full_name, "other": other.full_name, "program": program, "link": _link()}

    _send_to_both(
        relationship, _("Your relationship in %(program)s has started") % {"program": program}, body
    )


def relationship_declined(relationship: Relationship) -> None:
    program = relationship.program.name

    def body(person, other):
        return _(
            "Hello %(name)s,\n\nThe pairing with %(other)s in “%(program)s” will not go ahead. "
            "No one is at fault; the program manager will help you find another match.\n%(link)s\n"
        ) % {"name": person.full_name, "other": other.full_name, "program": program, "link": _link()}

    _send_to_both(relationship, _("A pairing in %(program)s will not go ahead") % {"program": program}, body)


def relationship_ended(relationship: Relationship) -> None:
    program = relationship.program.name

    def body(person, other):
        return _(
            "Hello %(name)s,\n\nYour relationship with %(other)s in “%(program)s” has ended. "
            "This is a no-fault exit: nobody is to blame, and the program manager can help you "
            "find a new match.\n%(link)s\n"
        ) % {"name": person.full_name, "other": other.full_name, "program": program, "link": _link()}

    _send_to_both(relationship, _("Your relationship in %(program)s has ended") % {"program": program}, body)
