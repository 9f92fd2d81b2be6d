"""`{% table_scroll label %}<table>…</table>{% endtable_scroll %}`: a table in its own scroll box, put there
by the server, so that a wide table scrolls inside the box, never the page at 320 CSS pixels, with or
without JavaScript. The box is a named region a keyboard reaches (`tabindex="0"`) to scroll it; its name
reads "Table: <label>", so that it differs from the section named by the same heading. Two boxes on one
page need two labels (landmark names are unique: axe `landmark-unique`)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()


class TableScrollNode(template.Node):
    def __init__(self, *, label: template.base.FilterExpression, nodelist: template.NodeList) -> None:
        self.label = label
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        name = gettext("Table: %(name)s") % {"name": self.label.resolve(context)}
        return format_html(
            '<div class="table-scroll" role="region" tabindex="0" aria-label="{}">{}</div>',
            name,
            self.nodelist.render(context),
        )


@register.tag
def table_scroll(parser: template.base.Parser, token: template.base.Token) -> TableScrollNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the table's label")
    nodelist = parser.parse(("endtable_scroll",))
    parser.delete_first_token()
    return TableScrollNode(label=parser.compile_filter(bits[1]), nodelist=nodelist)
