"""The reminder and update emails, written in the recipient's language and time zone."""

from contextlib import contextmanager
from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.core.links import site_url
from mentora.people.models import Person


@contextmanager
def as_recipient(person: Person):
    """Render as the recipient will read it: the site's language, their time zone."""
    with translation.override(settings.LANGUAGE_CODE), timezone.override(person.zone):
        yield


def local_time(moment: datetime, person: Person) -> str:
    """e.g. "Monday 31 March 2031, 10:00 (BST, Europe/London)"."""
    zone = person.zone
    local = timezone.localtime(moment, zone)
    return f"{date_format(local, 'l j F Y')}, {date_format(local, 'H:i')} ({local.tzname()}, {zone.key})"


def _footer() -> str:
    return _("\n\nYou can choose which emails you get: %(link)s\n") % {
        "link": site_url("notifications:preferences")
    }


def meeting_reminder(
    *, recipient: Person, partner: Person, starts_at: datetime, duration_minutes: int, relationship_id: int
) -> tuple[str, str]:
    with as_recipient(recipient):
        when = local_time(starts_at, recipient)
        subject = _("Reminder: meeting with %(partner)s") % {"partner": partner.full_name}
        body = ngettext(
            "Hello %(name)s,\n\nYou meet %(partner)s on %(when)s, for %(minutes)d minute.\n"
            "Prepare a question or two beforehand: %(link)s",
            "Hello %(name)s,\n\nYou meet %(partner)s on %(when)s, for %(minutes)d minutes.\n"
            "Prepare a question or two beforehand: %(link)s",
            duration_minutes,
        ) % {
            "name": recipient.full_name,
            "partner": partner.full_name,
            "when": when,
            "minutes": duration_minutes,
            "link": site_url("workspace:pair", relationship_id),
        }
        return subject, body + _footer()


def silent_pair_nudge(
    *, recipient: Person, partner: Person, weeks: int, relationship_id: int
) -> tuple[str, str]:
    with as_recipient(recipient):
        subject = _("It has been a while since you met %(partner)s") % {"partner": partner.full_name}
        body = ngettext(
            "Hello %(name)s,\n\nYou and %(partner)s have not met for %(weeks)d week. A short call is "
            "enough to keep things going — or, if the relationship no longer helps, either of you can "
            "end it without blame.\n%(link)s",
            "Hello %(name)s,\n\nYou and %(partner)s have not met for %(weeks)d weeks. A short call is "
            "enough to keep things going — or, if the relationship no longer helps, either of you can "
            "end it without blame.\n%(link)s",
            weeks,
        ) % {
            "name": recipient.full_name,
            "partner": partner.full_name,
            "weeks": weeks,
            "link": site_url("workspace:pair", relationship_id),
        }
        return subject, body + _footer()


def checkin_reminder(
    *, recipient: Person, partner: Person, kind_label: str, due_on, overdue: bool, checkin_id: int
) -> tuple[str, str]:
    with as_recipient(recipient):
        subject = _("Your check-in is overdue") if overdue else _("A short check-in about your mentoring")
        body = _(
            "Hello %(name)s,\n\n%(kind)s about your relationship with %(partner)s (due %(due)s). "
            "Three questions, one minute; only you see your answers, and the program manager sees "
            "totals only.\n%(link)s"
        ) % {
            "name": recipient.full_name,
            "kind": kind_label,
            "partner": partner.full_name,
            "due": date_format(due_on, "j F Y"),
            "link": site_url("checkins:answer", checkin_id),
        }
        return subject, body + _footer()


def relationship_update(
    *, recipient: Person, partner: Person, event: str, relationship_id: int, detail: str = ""
) -> tuple[str, str]:
    with as_recipient(recipient):
        lines = {
            "agreement_changed": _(
                "%(partner)s changed your mentoring agreement. Please read it and confirm."
            ),
            "agreement_confirmed": _("%(partner)s confirmed your mentoring agreement."),
            "closed": _("%(partner)s closed your relationship. Take a moment to write what you learned."),
            "closure_proposed": _(
                "%(partner)s would like to close your relationship because your goals are met. "
                "Please confirm, or say that you do not agree."
            ),
            "closure_disputed": _(
                "%(partner)s does not agree that your goals are met yet, so your relationship continues."
            ),
            "ended": _(
                "%(partner)s ended your relationship. This is a no-fault exit: nobody is to blame, and "
                "the program manager can help you find a new match."
            ),
            "partner_left": _(
                "%(partner)s no longer takes part in Mentora, so your relationship has ended. Nobody is "
                "to blame; what you wrote stays yours, and the program manager can help you find a new "
                "match."
            ),
            "extended": _("%(partner)s extended your relationship until %(detail)s."),
            "advocacy_recorded": _(
                "%(partner)s recorded a sponsorship action for you. Confirm it if it happened."
            ),
        }
        subject = _("News from your mentoring with %(partner)s") % {"partner": partner.full_name}
        body = _("Hello %(name)s,\n\n%(line)s\n%(link)s") % {
            "name": recipient.full_name,
            "line": lines[event] % {"partner": partner.full_name, "detail": detail},
            "link": site_url("workspace:pair", relationship_id),
        }
        return subject, body + _footer()


def manager_nudge(
    *, recipient: Person, partner: Person, manager_name: str, program_name: str, relationship_id: int
) -> tuple[str, str]:
    with as_recipient(recipient):
        subject = _("How is your mentoring with %(partner)s going?") % {"partner": partner.full_name}
        body = _(
            "Hello %(name)s,\n\n%(manager)s, who runs “%(program)s”, asks how your mentoring with "
            "%(partner)s is going. A short meeting is enough to keep things going; if something is in "
            "the way, say so in your next check-in and they will help.\n%(link)s"
        ) % {
            "name": recipient.full_name,
            "manager": manager_name,
            "program": program_name,
            "partner": partner.full_name,
            "link": site_url("workspace:pair", relationship_id),
        }
        return subject, body + _footer()


def _pairing_lines(event: str, *, requested: bool, mentor_side: bool) -> tuple[str, str, str]:
    """(subject, text, link name) of one side's pairing news. A mentee's request differs: the mentee
    already said yes, and a declined request sends the mentee back to their shortlist."""
    if requested and event == "proposed":
        if mentor_side:
            return (
                _("%(other)s asked you to be their mentor"),
                _(
                    "%(other)s asked you to be their mentor in “%(program)s”. "
                    "Please accept or decline — either answer is fine:"
                ),
                "relationships:mine",
            )
        return (
            _("Your request to %(other)s was sent"),
            _("Your request to %(other)s in “%(program)s” was sent. We'll tell you when %(other)s answers."),
            "relationships:mine",
        )
    if requested and event == "declined":
        if mentor_side:
            return (
                _("A request in %(program)s will not go ahead"),
                _("The request from %(other)s in “%(program)s” will not go ahead. No one is at fault."),
                "relationships:mine",
            )
        return (
            _("A request in %(program)s will not go ahead"),
            _(
                "Your request to %(other)s in “%(program)s” will not go ahead. "
                "No one is at fault: you can choose another mentor from your shortlist:"
            ),
            "pairing:choose_shortlist",
        )
    return {
        "proposed": (
            _("A new pairing in %(program)s"),
            _(
                "You have been paired with %(other)s in “%(program)s”. "
                "Please say whether you agree to start — either answer is fine:"
            ),
            "relationships:mine",
        ),
        "started": (
            _("Your relationship in %(program)s has started"),
            _("You and %(other)s have both agreed: your relationship in “%(program)s” has started."),
            "relationships:mine",
        ),
        "declined": (
            _("A pairing in %(program)s will not go ahead"),
            _(
                "The pairing with %(other)s in “%(program)s” will not go ahead. "
                "No one is at fault; the program manager will help you find another match."
            ),
            "relationships:mine",
        ),
        "withdrawn": (
            _("A pairing in %(program)s will not go ahead"),
            _(
                "The program “%(program)s” has closed, so the pairing with %(other)s "
                "will not go ahead. No one is at fault."
            ),
            "relationships:mine",
        ),
    }[event]


def pairing_news(
    *,
    recipient: Person,
    partner: Person,
    event: str,
    program_id: int,
    program_name: str,
    requested: bool,
    mentor_side: bool,
) -> tuple[str, str]:
    """A pairing proposed, started, declined or withdrawn (a mandatory kind: no preferences footer)."""
    with as_recipient(recipient):
        subject, text, link_name = _pairing_lines(event, requested=requested, mentor_side=mentor_side)
        values = {"other": partner.full_name, "program": program_name}
        target = (
            site_url(link_name, program_id)
            if link_name == "pairing:choose_shortlist"
            else site_url(link_name)
        )
        body = _("Hello %(name)s,\n\n%(line)s\n%(link)s\n") % {
            "name": recipient.full_name,
            "line": text % values,
            "link": target,
        }
        return subject % values, body
