"""Emails to both sides of a pairing (proposed, started, declined), sent after the change commits.

An ending is told to the partner through the notifications ledger (`mentora.agreements.closure`).
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils.translation import gettext as _

from mentora.core.text import one_line
from mentora.people.models import Person
from mentora.relationships.models import Relationship, RelationshipOrigin


def _link() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("relationships:mine")


def _email(
    subject: str, text: str, *, to: Person, other: Person, program: str, link: str | None = None
) -> EmailMessage:
    """An email to `to` about `other`; `text` may use %(name)s (theirs), %(other)s, %(program)s and
    %(link)s (their relationships page unless another `link` is given)."""
    values = {"name": to.full_name, "other": other.full_name, "program": program, "link": link or _link()}
    return EmailMessage(one_line(subject), text % values, None, [to.email])


def _to_both(relationship: Relationship, subject: str, text: str) -> list[EmailMessage]:
    program = relationship.program.name
    return [
        _email(subject, text, to=person, other=other, program=program)
        for person, other in (
            (relationship.mentor, relationship.mentee),
            (relationship.mentee, relationship.mentor),
        )
    ]


def _send(messages: list[EmailMessage]) -> None:
    """All messages over one connection (one SMTP session, however many pairs were published)."""
    get_connection(fail_silently=False).send_messages(messages)


def _send_to_both(relationship: Relationship, subject: str, text: str) -> None:
    _send(_to_both(relationship, subject, text))


def _requested(relationship: Relationship) -> list[EmailMessage]:
    """A mentee's request: the mentee has already said yes, so only the mentor is asked."""
    mentor, mentee = relationship.mentor, relationship.mentee
    program = relationship.program.name
    return [
        _email(
            _("%(mentee)s asked you to be their mentor") % {"mentee": mentee.full_name},
            _(
                "Hello %(name)s,\n\n%(other)s asked you to be their mentor in “%(program)s”. "
                "Please accept or decline — either answer is fine:\n%(link)s\n"
            ),
            to=mentor,
            other=mentee,
            program=program,
        ),
        _email(
            _("Your request to %(mentor)s was sent") % {"mentor": mentor.full_name},
            _(
                "Hello %(name)s,\n\nYour request to %(other)s in “%(program)s” was sent. "
                "We'll tell you when %(other)s answers.\n%(link)s\n"
            ),
            to=mentee,
            other=mentor,
            program=program,
        ),
    ]


def _proposed(relationship: Relationship) -> list[EmailMessage]:
    if relationship.origin == RelationshipOrigin.MENTEE_REQUEST:
        return _requested(relationship)
    return _to_both(
        relationship,
        _("A new pairing in %(program)s") % {"program": relationship.program.name},
        _(
            "Hello %(name)s,\n\nYou have been paired with %(other)s in “%(program)s”. "
            "Please say whether you agree to start — either answer is fine:\n%(link)s\n"
        ),
    )


def relationships_proposed(relationships: Iterable[Relationship]) -> None:
    """Ask both sides of each new pairing for consent."""
    _send([message for relationship in relationships for message in _proposed(relationship)])


def relationship_started(relationship: Relationship) -> None:
    _send_to_both(
        relationship,
        _("Your relationship in %(program)s has started") % {"program": relationship.program.name},
        _(
            "Hello %(name)s,\n\nYou and %(other)s have both agreed: your relationship in “%(program)s” "
            "has started.\n%(link)s\n"
        ),
    )


def _request_declined(relationship: Relationship) -> list[EmailMessage]:
    """A mentee's request will not go ahead: the mentee chooses again from their shortlist."""
    mentor, mentee = relationship.mentor, relationship.mentee
    program, name = relationship.program, relationship.program.name
    subject = _("A request in %(program)s will not go ahead") % {"program": name}
    shortlist = settings.SITE_URL.rstrip("/") + reverse("pairing:choose_shortlist", args=[program.pk])
    return [
        _email(
            subject,
            _(
                "Hello %(name)s,\n\nThe request from %(other)s in “%(program)s” will not go ahead. "
                "No one is at fault.\n%(link)s\n"
            ),
            to=mentor,
            other=mentee,
            program=name,
        ),
        _email(
            subject,
            _(
                "Hello %(name)s,\n\nYour request to %(other)s in “%(program)s” will not go ahead. "
                "No one is at fault: you can choose another mentor from your shortlist:\n%(link)s\n"
            ),
            to=mentee,
            other=mentor,
            program=name,
            link=shortlist,
        ),
    ]


def relationship_declined(relationship: Relationship) -> None:
    if relationship.origin == RelationshipOrigin.MENTEE_REQUEST:
        _send(_request_declined(relationship))
        return
    _send_to_both(
        relationship,
        _("A pairing in %(program)s will not go ahead") % {"program": relationship.program.name},
        _(
            "Hello %(name)s,\n\nThe pairing with %(other)s in “%(program)s” will not go ahead. "
            "No one is at fault; the program manager will help you find another match.\n%(link)s\n"
        ),
    )


def relationships_withdrawn(relationships: Iterable[Relationship]) -> None:
    """The program closed before these pairings started: both sides of each are told, over one
    connection."""
    messages = []
    for relationship in relationships:
        messages += _to_both(
            relationship,
            _("A pairing in %(program)s will not go ahead") % {"program": relationship.program.name},
            _(
                "Hello %(name)s,\n\nThe program “%(program)s” has closed, so the pairing with %(other)s "
                "will not go ahead. No one is at fault.\n%(link)s\n"
            ),
        )
    if messages:
        _send(messages)
