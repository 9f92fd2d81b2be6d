"""The chart helper: accessible SVG from a Table, withheld cells never drawn as figures."""

import xml.etree.ElementTree as ET

import pytest

from mentora.core.tables import table
from mentora.evidence import charts

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def steps():
    return table(
        key="steps",
        title="Steps <of> the funnel",
        columns=[("step", "Step"), ("people", "People"), ("mentors", "Mentors")],
        rows=[("Invited", 40, 12), ("Applied", None, 7), ("Matched", 20, None)],
    )


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


@pytest.mark.parametrize(
    "draw",
    [
        lambda t: charts.bar(t, label="step", values=["people", "mentors"], description="Who came how far."),
        lambda t: charts.bar(t, label="step", values=["people", "mentors"], stacked=True),
        lambda t: charts.line(t, label="step", values=["people", "mentors"]),
        lambda t: charts.funnel(t, label="step", value="people"),
    ],
)
def test_every_chart_is_a_named_described_image_without_style_or_script(steps, draw):
    svg = str(draw(steps))
    root = parsed(svg)  # well-formed: the title's markup characters are escaped
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Steps <of> the funnel"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "same figures" in desc.text
    assert (
        "style" not in svg
        and "<script" not in svg
        and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )


def test_a_withheld_cell_is_drawn_as_hidden_never_as_a_bar(steps):
    root = parsed(str(charts.bar(steps, label="step", values=["people"])))
    titles = [rect.find(f"{SVG}title").text for rect in root.iter(f"{SVG}rect")]
    assert titles == ["Invited: 40", "Matched: 20"]
    assert any("hidden" in (text.text or "") for text in root.iter(f"{SVG}text"))


def test_bars_are_proportional_to_their_values(steps):
    root = parsed(str(charts.bar(steps, label="step", values=["people"])))
    widths = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    assert widths[0] == pytest.approx(2 * widths[1])


def test_a_line_breaks_at_a_withheld_cell(steps):
    root = parsed(str(charts.line(steps, label="step", values=["people"])))
    assert not list(root.iter(f"{SVG}polyline"))  # 40, hidden, 20: no two neighbours to join
    assert len(list(root.iter(f"{SVG}circle"))) == 2


def test_an_empty_table_says_so(steps):
    empty = table(key="none", title="Nothing", columns=[("step", "Step"), ("people", "People")], rows=[])
    assert "No figures yet." in charts.funnel(empty, label="step", value="people")


def test_a_text_cell_cannot_be_charted():
    words = table(key="w", title="W", columns=[("a", "A"), ("b", "B")], rows=[("x", "many")])
    with pytest.raises(ValueError, match="number"):
        charts.bar(words, label="a", values=["b"])


def test_the_figure_prints_the_same_rows_with_hidden_cells_named(steps):
    html = charts.figure(steps, charts.funnel(steps, label="step", value="people"))
    assert "<caption>Steps &lt;of&gt; the funnel</caption>" in html
    assert html.count("<td>hidden</td>") == 2
    assert "<svg" in html
