"""The one chart helper: a `core.tables.Table` drawn as an accessible SVG, so that a chart and the
table printed beside it come from the same rows.

Hand-written SVG rather than pygal: pygal writes its colours in a `<style>` element and its
configuration in an inline `<script>` inside the SVG, both refused by our Content-Security-Policy
when the SVG is part of the page, and its markup cannot take our stylesheet's classes (print and
high-contrast rules). Here every shape carries a class (`chart-series-N`, `chart-hidden`) styled by
`static/css/mentora.css`; there is no `style` attribute and no script. Each SVG is `role="img"`,
named by its `<title>` and described by its `<desc>` (what it shows, and that the table beside it
holds the same figures); every bar or point also has its own `<title>` with its label and value.

A cell withheld by the privacy rule (None in the table) is drawn as no bar with the word "hidden",
never as zero. Functions take column keys; the label column's cells are printed as text.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from mentora.core.tables import Table

WIDTH = 640
LABEL_WIDTH = 200  # room for a row's label left of its bar
VALUE_ROOM = 70  # room for the printed value right of the longest bar
ROW_HEIGHT = 28
BAR_HEIGHT = 18
TOP = 12
LEGEND_ROW = 22
LINE_HEIGHT = 240
MAX_LABEL_CHARS = 28  # longer labels are shortened in the chart; the table holds them whole


@dataclass(frozen=True)
class _Series:
    index: int  # the column's index in the table
    label: str


def _column_index(table: Table, key: str) -> int:
    for index, column in enumerate(table.columns):
        if column.key == key:
            return index
    raise ValueError(f"table {table.key!r} has no column {key!r}")


def _series(table: Table, keys: Sequence[str]) -> list[_Series]:
    return [
        _Series(index=index, label=table.columns[index].label)
        for index in (_column_index(table, key) for key in keys)
    ]


def _number(cell: object) -> float | None:
    if cell is None:
        return None
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        raise ValueError(f"a charted cell must be a number or None, not {cell!r}")
    return float(cell)


def _f(value: float) -> str:
    """A coordinate, to a tenth of a pixel."""
    return f"{value:.1f}"


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1] + "…"


def _printed(value: float, unit: str) -> str:
    shown = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
    return f"{shown}{unit}"


def _svg(*, table: Table, description: str, height: int, body: SafeString, kind: str) -> SafeString:
    ident = f"chart-{table.key}"
    return format_html(
        '<svg class="chart chart-{kind}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        'width="100%" role="img" aria-labelledby="{id}-title {id}-desc" focusable="false">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        kind=kind,
        w=WIDTH,
        h=height,
        id=ident,
        title=table.title,
        desc=" ".join(filter(None, [description, _("The table beside the chart holds the same figures.")])),
        body=body,
    )


def _legend(series: list[_Series], *, y: int) -> SafeString:
    """One swatch and name per series, left to right (wrapping would need measuring text)."""
    step = (WIDTH - 10) // max(len(series), 1)
    return format_html_join(
        "",
        '<g class="chart-legend"><rect class="chart-series-{}" x="{}" y="{}" width="12" height="12"/>'
        '<text x="{}" y="{}">{}</text></g>',
        (
            (position, 10 + position * step, y, 28 + position * step, y + 11, _short(item.label))
            for position, item in enumerate(series)
        ),
    )


def _empty(table: Table, description: str, kind: str) -> SafeString:
    body = format_html('<text class="chart-note" x="10" y="30">{}</text>', _("No figures yet."))
    return _svg(table=table, description=description, height=48, body=body, kind=kind)


def bar(
    table: Table,
    *,
    label: str,
    values: Sequence[str],
    description: str = "",
    stacked: bool = False,
    unit: str = "",
    maximum: float | None = None,
) -> SafeString:
    """Horizontal bars, one row per table row: side by side for each value column, or stacked into
    one bar (`stacked`, for parts of a whole). `maximum` fixes the scale (100 for percentages)."""
    label_index = _column_index(table, label)
    series = _series(table, values)
    if not table.rows:
        return _empty(table, description, "bar")
    cells = [[_number(row[item.index]) for item in series] for row in table.rows]
    totals = [sum(v for v in row if v is not None) for row in cells]
    shown = totals if stacked else [v for row in cells for v in row if v is not None]
    largest = maximum or max(shown, default=0)
    scale = (WIDTH - LABEL_WIDTH - VALUE_ROOM) / largest if largest else 0
    bars_per_row = 1 if stacked else len(series)
    row_height = max(ROW_HEIGHT, bars_per_row * (BAR_HEIGHT + 4) + 8)
    legend = len(series) > 1
    top = TOP + (LEGEND_ROW if legend else 0)
    parts: list[SafeString] = [_legend(series, y=TOP - 8)] if legend else []
    for r, (row, values_of_row) in enumerate(zip(table.rows, cells, strict=True)):
        y = top + r * row_height
        name = str(row[label_index])
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>',
                LABEL_WIDTH - 8,
                y + row_height // 2 + 4,
                _short(name),
            )
        )
        x = LABEL_WIDTH
        for s, (item, value) in enumerate(zip(series, values_of_row, strict=True)):
            bar_y = y + 4 + (0 if stacked else s * (BAR_HEIGHT + 4))
            if value is None:
                if not stacked or s == 0:
                    parts.append(
                        format_html(
                            '<text class="chart-hidden" x="{}" y="{}">{}</text>',
                            LABEL_WIDTH + 4,
                            bar_y + BAR_HEIGHT - 5,
                            _("hidden (fewer than the minimum group)"),
                        )
                    )
                continue
            length = value * scale
            start = x if stacked else LABEL_WIDTH
            parts.append(
                format_html(
                    '<rect class="chart-series-{}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}: {}{}</title></rect>",
                    s,
                    _f(start),
                    bar_y,
                    _f(length),
                    BAR_HEIGHT,
                    name,
                    f"{item.label}: " if len(series) > 1 else "",
                    _printed(value, unit),
                )
            )
            if stacked:
                x += length
            else:
                parts.append(
                    format_html(
                        '<text class="chart-value" x="{}" y="{}">{}</text>',
                        _f(start + length + 4),
                        bar_y + BAR_HEIGHT - 5,
                        _printed(value, unit),
                    )
                )
        if stacked and totals[r]:
            parts.append(
                format_html(
                    '<text class="chart-value" x="{}" y="{}">{}</text>',
                    _f(x + 4),
                    y + 4 + BAR_HEIGHT - 5,
                    _printed(totals[r], unit),
                )
            )
    height = top + len(table.rows) * row_height + 8
    return _svg(
        table=table, description=description, height=height, body=mark_safe("".join(parts)), kind="bar"
    )


def line(
    table: Table,
    *,
    label: str,
    values: Sequence[str],
    description: str = "",
    unit: str = "",
    maximum: float | None = None,
) -> SafeString:
    """Values over time: one row per moment (oldest first), one line per value column. A withheld
    cell breaks the line rather than being drawn as zero."""
    label_index = _column_index(table, label)
    series = _series(table, values)
    if not table.rows:
        return _empty(table, description, "line")
    cells = [[_number(row[item.index]) for item in series] for row in table.rows]
    largest = maximum or max((v for row in cells for v in row if v is not None), default=0) or 1
    left, right, top, bottom = 48, WIDTH - 16, TOP + LEGEND_ROW, LINE_HEIGHT - 40
    step = (right - left) / max(len(table.rows) - 1, 1)

    def at(r: int, value: float) -> tuple[float, float]:
        return left + r * step, bottom - (bottom - top) * value / largest

    parts: list[SafeString] = [_legend(series, y=TOP - 8)]
    for tick in (0, largest / 2, largest):
        _x, y = at(0, tick)
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="chart-axis" x="{}" y="{}" text-anchor="end">{}</text>',
                left,
                _f(y),
                right,
                _f(y),
                left - 6,
                _f(y + 4),
                _printed(tick, unit),
            )
        )
    every = max(1, len(table.rows) // 8)  # at most about eight labels on the time axis
    for r, row in enumerate(table.rows):
        if r % every == 0 or r == len(table.rows) - 1:
            x, _y = at(r, 0)
            parts.append(
                format_html(
                    '<text class="chart-axis" x="{}" y="{}" text-anchor="middle">{}</text>',
                    _f(x),
                    bottom + 18,
                    _short(str(row[label_index])),
                )
            )
    for s, item in enumerate(series):
        run: list[str] = []
        for r, row in enumerate(table.rows):
            value = cells[r][s]
            if value is None:
                if len(run) > 1:
                    parts.append(_polyline(s, run))
                run = []
                continue
            x, y = at(r, value)
            run.append(f"{x:.1f},{y:.1f}")
            parts.append(
                format_html(
                    '<circle class="chart-series-{}" cx="{}" cy="{}" r="4">'
                    "<title>{}: {}: {}</title></circle>",
                    s,
                    _f(x),
                    _f(y),
                    row[label_index],
                    item.label,
                    _printed(value, unit),
                )
            )
        if len(run) > 1:
            parts.append(_polyline(s, run))
    return _svg(
        table=table, description=description, height=LINE_HEIGHT, body=mark_safe("".join(parts)), kind="line"
    )


def _polyline(series: int, points: list[str]) -> SafeString:
    return format_html('<polyline class="chart-line chart-series-{}" points="{}"/>', series, " ".join(points))


def funnel(table: Table, *, label: str, value: str, description: str = "") -> SafeString:
    """Steps of a funnel, widest first: each a centred bar as wide as its share of the first step."""
    label_index = _column_index(table, label)
    value_index = _column_index(table, value)
    if not table.rows:
        return _empty(table, description, "funnel")
    counts = [_number(row[value_index]) for row in table.rows]
    first = next((c for c in counts if c), 0)
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    centre = LABEL_WIDTH + room / 2
    parts: list[SafeString] = []
    for r, (row, count) in enumerate(zip(table.rows, counts, strict=True)):
        y = TOP + r * ROW_HEIGHT
        name = str(row[label_index])
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>',
                LABEL_WIDTH - 8,
                y + ROW_HEIGHT // 2 + 4,
                _short(name),
            )
        )
        if count is None:
            parts.append(
                format_html(
                    '<text class="chart-hidden" x="{}" y="{}" text-anchor="middle">{}</text>',
                    _f(centre),
                    y + ROW_HEIGHT // 2 + 4,
                    _("hidden (fewer than the minimum group)"),
                )
            )
            continue
        width = room * count / first if first else 0
        parts.append(
            format_html(
                '<rect class="chart-series-0" x="{}" y="{}" width="{}" height="{}">'
                "<title>{}: {}</title></rect>"
                '<text class="chart-value" x="{}" y="{}">{}</text>',
                _f(centre - width / 2),
                y + 4,
                _f(width),
                BAR_HEIGHT,
                name,
                _printed(count, ""),
                LABEL_WIDTH + room + 6,
                y + ROW_HEIGHT // 2 + 4,
                _printed(count, ""),
            )
        )
    height = TOP + len(table.rows) * ROW_HEIGHT + 8
    return _svg(
        table=table, description=description, height=height, body=mark_safe("".join(parts)), kind="funnel"
    )


def figure(table: Table, chart: SafeString | None = None) -> SafeString:
    """A chart (optional) and its table, as one `<figure>` (template `evidence/_figure.html`). A
    column whose key ends in `_key` holds codes for the API and exports; the page leaves it out."""
    shown = [i for i, column in enumerate(table.columns) if not column.key.endswith("_key")]
    return mark_safe(
        render_to_string(
            "evidence/_figure.html",
            {
                "table": table,
                "chart": chart,
                "header": [table.columns[i].label for i in shown],
                "rows": [[row[i] for i in shown] for row in table.rows],
            },
        )
    )
