"""Text a person wrote, or a person's name, inside a sentence of the page: `{{ name|bdi }}`, and in a
translated sentence `{% blocktranslate with name=person.full_name|bdi %}`. <bdi> lays an Arabic or
Hebrew name out in its own direction without turning the words around it (WCAG 1.3.2); a block of its
own takes `dir="auto"` on its element instead. Never inside an attribute or the <title>: no markup there."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def bdi(value: object) -> SafeString:
    return format_html("<bdi>{}</bdi>", value)
