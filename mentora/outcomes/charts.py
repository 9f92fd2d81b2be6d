"""The retention curves as an accessible SVG: two step lines (participants, comparison) with their
95 % bands, drawn from the same rows as the table printed beside it (results.curve_table).

Own drawing, not mentora.evidence.charts: evidence and outcomes share a floor and import none of each
other (docs/architecture.md). The classes are the stylesheet's chart classes, so print and forced
colours restyle both alike; no style attribute, no script (Content-Security-Policy)."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 12, 40
SIDES = ("participants", "comparison")


def _f(value: float) -> str:
    return f"{value:.1f}"


def _steps(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A survival curve holds its value until the next point: a step, never a slope."""
    stepped: list[tuple[float, float]] = []
    for x, y in points:
        if stepped:
            stepped.append((x, stepped[-1][1]))
        stepped.append((x, y))
    return stepped


def retention_svg(curves: dict) -> SafeString:
    """The SVG of `curves` (side → points with day, survival, lower, upper), or "" with no points."""
    points = [point for side in SIDES for point in curves.get(side, [])]
    if not points:
        return SafeString("")
    last_day = max(point["day"] for point in points) or 1
    floor = min(point["lower"] for point in points)
    bottom_share = max(0.0, (int(floor * 10) / 10))  # the y axis starts at the tenth below the lowest band
    span = 1.0 - bottom_share or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: float) -> float:
        return LEFT + plot_w * day / last_day

    def y(share: float) -> float:
        return TOP + plot_h * (1.0 - (share - bottom_share) / span)

    shapes = []
    for index, side in enumerate(SIDES):
        series = curves.get(side, [])
        if not series:
            continue
        upper = _steps([(x(p["day"]), y(p["upper"])) for p in series])
        lower = _steps([(x(p["day"]), y(p["lower"])) for p in series])
        band = " ".join(f"{_f(a)},{_f(b)}" for a, b in upper + lower[::-1])
        line = " ".join(
            f"{_f(a)},{_f(b)}" for a, b in _steps([(x(p["day"]), y(p["survival"])) for p in series])
        )
        shapes.append(
            format_html(
                '<polygon class="chart-series-{}" fill-opacity="0.15" stroke-opacity="0" points="{}"/>'
                '<polyline class="chart-line chart-series-{}" fill-opacity="0" points="{}">'
                "<title>{}</title></polyline>",
                index,
                band,
                index,
                line,
                _("Participants") if side == "participants" else _("Comparison group"),
            )
        )
    ticks = [bottom_share + span * i / 4 for i in range(5)]
    axis = format_html_join(
        "",
        '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="chart-axis" x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (LEFT, WIDTH - RIGHT, _f(y(t)), _f(y(t)), LEFT - 6, _f(y(t) + 4), f"{round(100 * t)} %")
            for t in ticks
        ),
    )
    days = sorted({0, last_day // 2, last_day})
    x_axis = format_html_join(
        "",
        '<text class="chart-axis" x="{}" y="{}" text-anchor="middle">{}</text>',
        ((_f(x(day)), HEIGHT - BOTTOM + 16, day) for day in days),
    )
    legend = format_html(
        '<rect class="chart-series-0" x="{}" y="{}" width="12" height="12"/><text x="{}" y="{}">{}</text>'
        '<rect class="chart-series-1" x="{}" y="{}" width="12" height="12"/><text x="{}" y="{}">{}</text>',
        LEFT,
        HEIGHT - 14,
        LEFT + 16,
        HEIGHT - 4,
        _("Participants"),
        LEFT + 160,
        HEIGHT - 14,
        LEFT + 176,
        HEIGHT - 4,
        _("Comparison group"),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-retention-title '
        'chart-retention-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="chart-retention-title">{}</title>'
        '<desc id="chart-retention-desc">{}</desc>{}{}{}{}'
        '<text class="chart-axis" x="{}" y="{}" text-anchor="end">{}</text></svg>',
        WIDTH,
        HEIGHT,
        _("Still in the organisation, participants against the comparison group"),
        ngettext(
            "Kaplan–Meier curves with shaded 95 %% bands, by days since the start, over %(days)d day. "
            "The table below holds the same figures.",
            "Kaplan–Meier curves with shaded 95 %% bands, by days since the start, over %(days)d days. "
            "The table below holds the same figures.",
            last_day,
        )
        % {"days": last_day},
        axis,
        x_axis,
        SafeString("".join(shapes)),
        legend,
        WIDTH - RIGHT,
        HEIGHT - 14,
        _("days since the start"),
    )
