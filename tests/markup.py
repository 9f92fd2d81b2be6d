"""Reading a rendered page's HTML the way assistive technology does: ids, the labels of form fields,
landmarks, the scroll boxes of tables and the direction of text people wrote."""

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


# Elements that never have an end tag: they are never open around text.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Tree(HTMLParser):
    """Each start tag with the elements open around it, and each piece of text with the same."""

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, dict]] = []
        self.elements: list[tuple[str, dict, tuple]] = []
        self.texts: list[tuple[str, tuple]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), tuple(self.open)))
        if tag not in _VOID:
            self.open.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        # An end tag closes its element and whatever was left open inside it (an <li> without </li>).
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        if data.strip():
            self.texts.append((data, tuple(self.open)))


def _tree(page: str) -> _Tree:
    tree = _Tree()
    tree.feed(page)
    return tree


def _is_scroll_box(attributes: dict) -> bool:
    return (
        "table-scroll" in attributes.get("class", "").split()
        and attributes.get("role") == "region"
        and attributes.get("tabindex") == "0"
        and attributes.get("aria-label", "").startswith("Table: ")
    )


def tables_outside_scroll_box(page: str) -> list[str]:
    """Tables whose parent is not a named, keyboard-reachable scroll box (a wide table would make the
    page scroll sideways at 320 CSS pixels), each given by its number on the page and its parent."""
    found = []
    tables = [around for tag, _, around in _tree(page).elements if tag == "table"]
    for number, around in enumerate(tables, start=1):
        if not (around and _is_scroll_box(around[-1][1])):
            parent = f"<{around[-1][0]} {around[-1][1]}>" if around else "the document"
            found.append(f"table {number} of {len(tables)}, in {parent}")
    return found


_LANDMARK_ROLES = {"region", "navigation", "search", "form", "complementary", "main", "banner", "contentinfo"}


def duplicate_landmark_names(page: str) -> list[str]:
    """Names that two landmarks of the same role share (axe `landmark-unique`); landmarks named by
    aria-label only, the ones our templates write."""
    names = Counter(
        (attributes["role"], attributes["aria-label"])
        for _, attributes, _ in _tree(page).elements
        if attributes.get("role") in _LANDMARK_ROLES and attributes.get("aria-label")
    )
    return [f"{role} {name!r}" for (role, name), count in names.items() if count > 1]


def _runs_in_its_own_direction(tag: str, attributes: dict) -> bool:
    return tag == "bdi" or attributes.get("dir") == "auto"


def text_without_own_direction(page: str, *, written: str) -> list[str]:
    """The pieces of text holding `written` (a name or a text a person wrote) that no element with
    dir="auto" nor a <bdi> holds, so that Arabic or Hebrew would be laid out in the page's direction.
    Left out: the document <title>, which is not laid out in the page, and a list box's <option>s, each
    a line of its own that can hold no markup."""
    return [
        " ".join(text.split())
        for text, around in _tree(page).texts
        if written in text
        and not any(_runs_in_its_own_direction(tag, attributes) for tag, attributes in around)
        and not any(tag in ("title", "option") for tag, _ in around)
    ]
