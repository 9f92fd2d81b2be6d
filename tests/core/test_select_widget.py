"""The project's select template writes the options itself (docs/performance.md): its markup must
stay Django's own, selected options, optgroups, attributes and escaping included."""

from django import forms
from django.forms.renderers import DjangoTemplates


class ChoicesForm(forms.Form):
    skill = forms.ChoiceField(
        choices=[("", "—"), ("Languages", [(1, "Python"), (2, "C <& C++>")]), (3, "Rust")],
        initial=2,
        widget=forms.Select(attrs={"required": True, "aria-describedby": "help"}),
    )
    places = forms.MultipleChoiceField(choices=[(1, "Oslo"), (2, "Zürich"), (3, "O'Hare")], initial=[1, 3])


def squeezed(markup: str) -> str:
    return " ".join(markup.split()).replace("> <", "><")


def test_selects_render_as_djangos_own_templates_would():
    ours, djangos = ChoicesForm(), ChoicesForm(renderer=DjangoTemplates())
    for name in ("skill", "places"):
        assert squeezed(str(ours[name])) == squeezed(str(djangos[name]))
    assert 'value="2" selected' in str(ours["skill"]) and "C &lt;&amp; C++&gt;" in str(ours["skill"])
