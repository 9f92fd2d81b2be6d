"""Reading a rendered page's HTML the way assistive technology does: ids and the labels of form fields."""

import html
import re
from collections import Counter
from html.parser import HTMLParser

FIELDS = {"input", "select", "textarea"}
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button"}


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.label_targets: set[str] = set()
        self.fields: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"])
        if tag in FIELDS and attributes.get("type") not in UNLABELLED_INPUT_TYPES:
            self.fields.append(attributes)


def _read(html: str) -> _Markup:
    markup = _Markup()
    markup.feed(html)
    return markup


def duplicate_ids(html: str) -> list[str]:
    return [name for name, count in Counter(_read(html).ids).items() if count > 1]


def unlabelled_fields(html: str) -> list[str]:
    """The names of form fields that no <label for> nor aria-label/aria-labelledby names."""
    markup = _read(html)
    return [
        field.get("name", "?")
        for field in markup.fields
        if field.get("id") not in markup.label_targets
        and not field.get("aria-label")
        and not field.get("aria-labelledby")
    ]


_NAMED_CONTROL = re.compile(r'<(a|button)\b[^>]*\baria-label="([^"]*)"[^>]*>(.*?)</\1>', re.S)


def names_without_their_text(page: str) -> list[str]:
    """Links and buttons whose aria-label leaves out the words they show (WCAG 2.5.3: someone who
    speaks what they see must reach the control)."""
    found = []
    for _, name, content in _NAMED_CONTROL.findall(page):
        shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())
        if shown and shown.casefold() not in html.unescape(name).casefold():
            found.append(f"{shown!r} is named {html.unescape(name)!r}")
    return found
