"""`{{ cell|figure_cell }}`: one cell of a `core.tables.Table` as a page prints it."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def figure_cell(cell: object) -> str:
    """A withheld cell (None) reads "hidden", never blank or zero; a fraction keeps one decimal."""
    if cell is None:
        return _("hidden")
    if isinstance(cell, float):
        return number_format(cell, decimal_pos=1)
    return str(cell)
