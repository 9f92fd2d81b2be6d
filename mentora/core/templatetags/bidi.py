"""Text a person wrote, or a person's name, inside a sentence of the page: `{{ name|bdi }}`, and in a
translated sentence `{% blocktranslate with name=person.full_name|bdi %}`. <bdi> lays an Arabic or
Hebrew name out in its own direction without turning the words around it (WCAG 1.3.2); a block of its
own takes `dir="auto"` on its element instead. Never inside an attribute or the <title>: no markup there."""

from collections.abc import Iterable

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def bdi(value: object) -> SafeString:
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def bdi_join(values: Iterable[object], separator: str) -> SafeString:
    """A list of names (departments, skills): each in its own <bdi>, so that one right-to-left name
    does not carry its neighbours and the commas along."""
    return format_html_join(conditional_escape(separator), "<bdi>{}</bdi>", ((value,) for value in values))
