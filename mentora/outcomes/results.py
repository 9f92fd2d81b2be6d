"""A stored outcome analysis (plain numbers and reason codes) worded for the viewer: every figure as
a `core.tables.Table`, in the order the page shows them, the covariate balance first. Rendered on
read, so that each viewer reads it in their own language."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.core.privacy import MIN_AGGREGATE_GROUP
from mentora.core.tables import Table, table
from mentora.outcomes import analysis


def refusal_message(code: str) -> str:
    messages = {
        analysis.TOO_FEW_PARTICIPANTS: _(
            "Not shown: fewer than %(n)d participants or %(n)d comparison people were eligible at the start."
        )
        % {"n": analysis.MIN_GROUP},
        analysis.TOO_FEW_MATCHED: ngettext(
            "Not shown: fewer than %(n)d person on one side after matching; an estimate from so few would "
            "mostly be noise.",
            "Not shown: fewer than %(n)d people on one side after matching; an estimate from so few would "
            "mostly be noise.",
            analysis.MIN_GROUP,
        )
        % {"n": analysis.MIN_GROUP},
        analysis.TOO_FEW_EVENTS: ngettext(
            "Not shown: fewer than %(n)d person left, or nobody on one side, too few to estimate a ratio.",
            "Not shown: fewer than %(n)d people left, or nobody on one side, too few to estimate a ratio.",
            analysis.MIN_EVENTS,
        )
        % {"n": analysis.MIN_EVENTS},
        analysis.TOO_EARLY: ngettext(
            "Not shown: the cohort started less than %(n)d day before the analysis date.",
            "Not shown: the cohort started less than %(n)d days before the analysis date.",
            analysis.MIN_DID_WINDOW_DAYS,
        )
        % {"n": analysis.MIN_DID_WINDOW_DAYS},
    }
    return messages.get(code, _("Not shown."))


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _people(count: int) -> int | None:
    """A count of people who did something: withheld (None) from 1 to under the privacy minimum."""
    return None if 0 < count < MIN_AGGREGATE_GROUP else count


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def _covariate(key: str) -> str:
    return {
        "seniority": _("Seniority level"),
        "tenure_years": _("Tenure (years)"),
        "prior_promotions": _("Promotions in the 3 years before"),
        "department": _("Department (the largest difference of any one department's share)"),
        "location": _("Location (the largest difference of any one location's share)"),
    }.get(key, key)


def _group(key: str) -> str:
    return {
        "all": _("All participants"),
        "met_3": _("Pairs that met 3 times or more"),
        "met_fewer": _("Pairs that met fewer than 3 times"),
    }.get(key, key)


def _outcome(key: str) -> str:
    return {"promotion": _("Promoted"), "move": _("Moved to another department")}.get(key, key)


def sample_table(result: dict) -> Table:
    return table(
        key="outcome_samples",
        title=_("Who is compared"),
        columns=[("group", _("Group")), ("people", _("People"))],
        rows=[
            (_("Participants eligible at the start"), result["eligible_participants"]),
            (_("Non-participants eligible at the start"), result["eligible_comparison"]),
            (_("Participants matched"), result["matched_participants"]),
            (_("Comparison people matched"), result["matched_comparison"]),
            (_("Participants without a match (left out)"), result["unmatched_participants"]),
        ],
        note=ngettext(
            "Each participant is matched with up to %(k)d person of the same department.",
            "Each participant is matched with up to %(k)d people of the same department.",
            result["k"],
        )
        % {"k": result["k"]},
    )


def balance_table(result: dict) -> Table:
    return table(
        key="outcome_balance",
        title=_("Covariate balance: how alike the groups are before any outcome"),
        columns=[
            ("covariate", _("Covariate")),
            ("participants_before", _("Participants (all)")),
            ("comparison_before", _("Non-participants (all)")),
            ("smd_before", _("Standardised difference before matching")),
            ("participants_after", _("Participants (matched)")),
            ("comparison_after", _("Comparison (matched)")),
            ("smd_after", _("Standardised difference after matching")),
        ],
        rows=[
            (
                _covariate(row["covariate"]),
                "" if row["participants_before"] is None else _r(row["participants_before"]),
                "" if row["comparison_before"] is None else _r(row["comparison_before"]),
                _r(row["smd_before"]),
                "" if row["participants_after"] is None else _r(row["participants_after"]),
                "" if row["comparison_after"] is None else _r(row["comparison_after"]),
                _r(row["smd_after"]),
            )
            for row in result["balance"]
        ],
        note=_(
            "A standardised difference under 0.1 (either sign) is usually read as balanced. Matching "
            "balances only what is listed here, never what was not measured (such as motivation)."
        ),
    )


def retention_table(result: dict) -> Table:
    rows = []
    for group in result["groups"]:
        ratio = group["hazard_ratio"]
        rows.append(
            (
                _group(group["group"]),
                group["participants"],
                group["comparison"],
                _people(group["leavers_participants"]),
                _people(group["leavers_comparison"]),
                _r(ratio["value"]),
                _r(ratio["lower"]),
                _r(ratio["upper"]),
                refusal_message(ratio["refused"]) if ratio["refused"] else "",
            )
        )
    return table(
        key="outcome_retention",
        title=_("Leaving: hazard ratio of participants against their matches"),
        columns=[
            ("group", _("Participants")),
            ("participants", _("Participants (matched)")),
            ("comparison", _("Comparison (matched)")),
            ("leavers_participants", _("Participants who left")),
            ("leavers_comparison", _("Comparison people who left")),
            ("hazard_ratio", _("Hazard ratio")),
            ("lower", _("95 % interval, from")),
            ("upper", _("95 % interval, to")),
            ("withheld", _("Why no estimate")),
        ],
        rows=rows,
        note=_(
            "Below 1: participants left less often than similar colleagues. An interval that contains 1 "
            "shows no clear difference."
        ),
    )


def rates_table(result: dict) -> Table:
    rows = []
    for group in result["groups"]:
        for rate in group["rates"]:
            participants, comparison, difference = (
                rate["participants"],
                rate["comparison"],
                rate["difference"],
            )
            rows.append(
                (
                    _group(group["group"]),
                    _outcome(rate["outcome"]),
                    _pct(participants and participants["share"]),
                    _pct(comparison and comparison["share"]),
                    _pct(difference["value"]),
                    _pct(difference["lower"]),
                    _pct(difference["upper"]),
                    refusal_message(difference["refused"]) if difference["refused"] else "",
                )
            )
    return table(
        key="outcome_rates",
        title=_("Promotion and internal mobility since the start (%)"),
        columns=[
            ("group", _("Participants")),
            ("outcome", _("Outcome")),
            ("participants", _("Participants (%)")),
            ("comparison", _("Comparison (%)")),
            ("difference", _("Difference (points)")),
            ("lower", _("95 % interval, from")),
            ("upper", _("95 % interval, to")),
            ("withheld", _("Why no estimate")),
        ],
        rows=rows,
    )


def cohorts_table(result: dict) -> Table:
    rows = [
        (
            cohort["cohort"],
            cohort["participants"],
            cohort["comparison"],
            cohort["window_days"],
            _pct(cohort["estimate"]["value"]),
            _pct(cohort["estimate"]["lower"]),
            _pct(cohort["estimate"]["upper"]),
            refusal_message(cohort["estimate"]["refused"]) if cohort["estimate"]["refused"] else "",
        )
        for cohort in result["cohorts"]
    ]
    return table(
        key="outcome_cohorts",
        title=_("Promotion, difference-in-differences per cohort"),
        columns=[
            ("cohort", _("Cohort (quarter the pairs started)")),
            ("participants", _("Participants")),
            ("comparison", _("Comparison")),
            ("window_days", _("Days before and after")),
            ("estimate", _("Change against the comparison (points)")),
            ("lower", _("95 % interval, from")),
            ("upper", _("95 % interval, to")),
            ("withheld", _("Why no estimate")),
        ],
        rows=rows,
        note=_(
            "Each cohort is estimated on its own (its own dates and matches), never pooled with the others."
        ),
    )


def curve_table(result: dict) -> Table:
    curves = result["curves"]
    by_day: dict[int, dict[str, dict]] = {}
    for side in ("participants", "comparison"):
        for point in curves.get(side, []):
            by_day.setdefault(point["day"], {})[side] = point

    def cells(point: dict | None) -> tuple:
        if point is None:
            return (None, None, None)
        return (_pct(point["survival"]), _pct(point["lower"]), _pct(point["upper"]))

    return table(
        key="outcome_retention_curve",
        title=_("Still in the organisation (%), by days since the start"),
        columns=[
            ("day", _("Days since the start")),
            ("participants", _("Participants (%)")),
            ("participants_lower", _("Participants, 95 % from")),
            ("participants_upper", _("Participants, 95 % to")),
            ("comparison", _("Comparison (%)")),
            ("comparison_lower", _("Comparison, 95 % from")),
            ("comparison_upper", _("Comparison, 95 % to")),
        ],
        rows=[
            (day, *cells(sides.get("participants")), *cells(sides.get("comparison")))
            for day, sides in sorted(by_day.items())
        ],
        note=ngettext(
            "Read every 30 days; a curve stops where fewer than %(n)d person is still followed.",
            "Read every 30 days; a curve stops where fewer than %(n)d people are still followed.",
            MIN_AGGREGATE_GROUP,
        )
        % {"n": MIN_AGGREGATE_GROUP},
    )


@dataclass(frozen=True)
class Worded:
    refused: str  # the whole analysis withheld, and why; "" when shown
    tables: list[Table]  # balance first; the outcomes only when not refused


def worded(result: dict) -> Worded:
    tables = [sample_table(result)]
    if result["balance"]:
        tables.append(balance_table(result))
    if result["refused"]:
        return Worded(refused=refusal_message(result["refused"]), tables=tables)
    tables += [retention_table(result), curve_table(result), rates_table(result), cohorts_table(result)]
    return Worded(refused="", tables=tables)
