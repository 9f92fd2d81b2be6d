"""Issue 9 §3.14: a proposal's component bars show each label in full and its number as text (the
old SVG drew 8-pixel labels that were clipped and showed numbers to screen readers only)."""

from django.template.loader import render_to_string

from mentora.matching.instance import COMPONENTS
from mentora.pairing.forms import RunForm
from mentora.pairing.models import Proposal
from mentora.pairing.selectors import Bar, component_bars
from mentora.programs.models import MatchingComponent
from tests.programs.factories import ProgramFactory


def test_each_component_shows_its_whole_label_and_its_number():
    bars = [
        Bar("Goal and skill fit", 0.42),
        Bar("Practical fit (time zones, languages)", 1.0),
        Bar("Diversity", 0),
    ]
    html = render_to_string("pairing/_bars.html", {"bars": bars})
    assert "<svg" not in html
    for label, percent in (
        ("Goal and skill fit", 42),
        ("Practical fit (time zones, languages)", 100),
        ("Diversity", 0),
    ):
        assert f'<span class="component-label">{label}</span>' in html
        meter = f'<meter min="0" max="100" value="{percent}"></meter>'
        assert f'{meter}<span class="component-value">{percent}%</span>' in html
    spoken = "Goal and skill fit 42%, Practical fit (time zones, languages) 100%, Diversity 0%"
    assert f'aria-label="Score components: {spoken}"' in html


def test_a_matching_component_has_one_label_on_the_questionnaire_the_run_form_and_the_bars(org):
    """The engine's components, the questionnaire's "feeds" choices, the run form's weights and a
    proposal's bars name each component once (programs.models.MatchingComponent)."""
    labels = {component.value: str(component.label) for component in MatchingComponent if component.value}
    assert set(labels) == set(COMPONENTS)
    form = RunForm(program=ProgramFactory(organisation=org))
    assert {name: str(form.fields[f"weight_{name}"].label) for name in COMPONENTS} == labels
    assert list(form.fields)[: len(COMPONENTS)] == [f"weight_{name}" for name in COMPONENTS]
    proposal = Proposal(components=dict.fromkeys(COMPONENTS, 0.5))
    assert [bar.label for bar in component_bars(proposal)] == [labels[name] for name in COMPONENTS]
