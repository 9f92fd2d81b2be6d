"""Which chart draws which table of the dashboards: the page's figures in order, each a chart (or
none, for a table of key figures) beside its table."""

from collections.abc import Callable

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from mentora.core.tables import Table
from mentora.evidence import charts
from mentora.evidence.selectors import ProgramDashboard

Draw = Callable[[Table], SafeString]


def _fairness(table: Table) -> SafeString:
    return charts.bar(
        table,
        label="group",
        values=["match_rate_percent", "on_track_percent"],
        maximum=100,
        unit=" %",
        description=_("Match rate and share on track of each group; a hidden group shows no bar."),
    )


PROGRAM_CHARTS: dict[str, Draw | None] = {
    "funnel": lambda t: charts.funnel(
        t, label="step", value="people", description=_("How many mentees or pairs reached each step.")
    ),
    "matching": None,
    "pair_health": lambda t: charts.bar(
        t, label="bucket", values=["pairs"], description=_("Active pairs in each health bucket.")
    ),
    "meeting_cadence": lambda t: charts.bar(
        t, label="band", values=["pairs"], description=_("Pairs by meetings held against the program's plan.")
    ),
    "goal_progress": lambda t: charts.bar(
        t, label="band", values=["goals"], description=_("Goals by how far they got.")
    ),
    "usefulness_over_time": lambda t: charts.line(
        t,
        label="period",
        values=["usefulness_mean", "mentors_mean", "mentees_mean"],
        maximum=5,
        description=_("Mean usefulness of mentoring, 1 to 5, by published month."),
    ),
    "sponsorship": lambda t: charts.bar(
        t, label="kind", values=["actions"], description=_("Sponsorship actions mentors logged, by type.")
    ),
    "fairness_department": _fairness,
    "fairness_seniority": _fairness,
    "fairness_demographic_group": _fairness,
    "fairness_under_sponsored": _fairness,
    "fairness_over_time": lambda t: charts.line(
        t,
        label="published",
        values=[column.key for column in t.columns[1:]],
        maximum=100,
        unit=" %",
        description=_("Match rate of each consented demographic group at each published snapshot."),
    ),
}


def _drawn(tables: tuple[Table, ...], draws: dict[str, Draw | None]) -> dict[str, SafeString]:
    drawn = {}
    for table in tables:
        draw = draws.get(table.key)
        chart = draw(table) if draw is not None and table.columns[1:] else None
        drawn[table.key] = charts.figure(table, chart)
    return drawn


def program_figures(dashboard: ProgramDashboard) -> dict[str, SafeString]:
    """Each table of the dashboard as a figure (chart and table), by table key."""
    return _drawn(dashboard.tables, PROGRAM_CHARTS)


ROLLUP_CHARTS: dict[str, Draw | None] = {
    "participation_by_department": lambda t: charts.bar(
        t,
        label="department",
        values=["participation_percent"],
        maximum=100,
        unit=" %",
        description=_("Share of each department's people taking part in a program."),
    ),
    "programs_over_cycles": lambda t: charts.bar(
        t,
        label="program",
        values=["match_rate_percent", "regular_percent"],
        maximum=100,
        unit=" %",
        description=_("Match rate and share of pairs with 3 or more meetings, program by program."),
    ),
    "leaders_sponsorship": lambda t: charts.bar(
        t,
        label="kind",
        values=["actions"],
        description=_("Sponsorship actions by leaders who mentor, by type."),
    ),
    "leaders_reach": lambda t: charts.bar(
        t,
        label="group",
        values=["mentees"],
        description=_("Mentees leaders sponsored, by whether they are under-sponsored."),
    ),
}


def rollup_figures(rollup) -> dict[str, SafeString]:
    return _drawn(rollup.tables, ROLLUP_CHARTS)
