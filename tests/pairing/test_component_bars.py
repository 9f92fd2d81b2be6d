"""Issue 9 §3.14: a proposal's component bars show each label in full and its number as text (the
old SVG drew 8-pixel labels that were clipped and showed numbers to screen readers only)."""

from django.template.loader import render_to_string

from mentora.pairing.selectors import Bar


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
