"""The engine's matching reasons worded for the person reading them: the one place that does it.

The engine returns each reason as a code with params (docs/matching.md, "Reasons"). A program's
managers read them in the third person; the mentee reads "you". Params that come from the mentee's
private self-assessment (`PRIVATE_PARAMS`: her own level, and the level a mentor needs, which is
her level plus the program's gap) are shown to the mentee only: they are dropped before a reason is
stored (stored reasons are read by managers) and before any other reader sees one. Skill slugs are
shown as the organisation's skill names, language codes as the language's name in the reader's
language.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language_info, gettext, ngettext, pgettext

from mentora.matching.explain import PRIVATE_PARAMS, Reason


class Audience(enum.Enum):
    MANAGER = "manager"  # the program's managers: third person, nothing private
    MENTEE = "mentee"  # the mentee the reasons are about: "you", her own levels included


@dataclass(frozen=True)
class ShownReason:
    code: str
    params: dict[str, Any]  # what this reader may see of the engine's params
    text: str


def without_private(reasons: Iterable[Reason]) -> list[Reason]:
    """The reasons with every private param removed: the form in which reasons are stored."""
    return [
        {"code": r["code"], "params": {k: v for k, v in r["params"].items() if k not in PRIVATE_PARAMS}}
        for r in reasons
    ]


def render_reasons(
    reasons: Iterable[Reason], *, audience: Audience, skill_names: dict[str, str]
) -> list[ShownReason]:
    if audience is not Audience.MENTEE:
        reasons = without_private(reasons)
    words = _Words(audience, skill_names)
    return [
        ShownReason(code=r["code"], params=r["params"], text=words.say(r["code"], r["params"]))
        for r in reasons
    ]


def language_name(code: str) -> str:
    """The language's name in the active language ("en" -> "English"); the tag itself if unknown."""
    try:
        return str(get_language_info(code.lower())["name_translated"])
    except KeyError:
        return code


def _priority(name: str) -> str:
    return {
        "high": pgettext("skill priority", "high"),
        "medium": pgettext("skill priority", "medium"),
        "low": pgettext("skill priority", "low"),
    }.get(name, name)


def _listed(items: Iterable[str]) -> str:
    return ", ".join(items)


class _Words:
    """Sentences for one reader. Each method takes the reason's params."""

    def __init__(self, audience: Audience, skill_names: dict[str, str]) -> None:
        self.you = audience is Audience.MENTEE
        self.skill_names = skill_names

    def say(self, code: str, params: dict[str, Any]) -> str:
        sentence: Callable[[dict[str, Any]], str] | None = getattr(self, f"_{code}", None)
        # A code this version does not know (from a newer engine) is shown as is rather than lost.
        return sentence(params) if sentence else code

    def skill(self, slug: str) -> str:
        return self.skill_names.get(slug, slug)

    # ---- pairs

    def _skill_level(self, p: dict[str, Any]) -> str:
        values = {"level": p["level"], "skill": self.skill(p["skill"]), "priority": _priority(p["priority"])}
        if not self.you:
            return (
                gettext(
                    "The mentor is level %(level)s in %(skill)s, "
                    "which the mentee ranks %(priority)s priority."
                )
                % values
            )
        if "own_level" in p:
            return gettext(
                "The mentor is level %(level)s in %(skill)s, which you rank %(priority)s priority "
                "(you rate yourself %(own_level)s)."
            ) % {**values, "own_level": p["own_level"]}
        return (
            gettext("The mentor is level %(level)s in %(skill)s, which you rank %(priority)s priority.")
            % values
        )

    def _similar_goals(self, p: dict[str, Any]) -> str:
        return gettext("Similar goals: %(terms)s.") % {"terms": _listed(p["terms"])}

    def _shared_hours(self, p: dict[str, Any]) -> str:
        hours = round(float(p["hours"]))
        return ngettext(
            "Working hours overlap by %(hours)s hour a day.",
            "Working hours overlap by %(hours)s hours a day.",
            hours,
        ) % {"hours": hours}

    def _shared_language(self, p: dict[str, Any]) -> str:
        names = [language_name(code) for code in p["languages"]]
        return ngettext("Shared language: %(languages)s.", "Shared languages: %(languages)s.", len(names)) % {
            "languages": _listed(names)
        }

    def _meeting_mode(self, p: dict[str, Any]) -> str:
        return {
            "remote": gettext("Both prefer to meet remotely."),
            "in_person": gettext("Both prefer to meet in person."),
            "hybrid": gettext("Both are happy to meet remotely or in person."),
        }.get(p["mode"], p["mode"])

    def _same_location(self, p: dict[str, Any]) -> str:
        return gettext("Both are based in %(location)s.") % {"location": p["location"]}

    def _different_department(self, p: dict[str, Any]) -> str:
        mentor, mentee = p["departments"]
        return gettext("Different departments (%(mentor)s and %(mentee)s): a fresh perspective.") % {
            "mentor": mentor,
            "mentee": mentee,
        }

    def _different_location(self, p: dict[str, Any]) -> str:
        mentor, mentee = p["locations"]
        return gettext("Different locations (%(mentor)s and %(mentee)s).") % {
            "mentor": mentor,
            "mentee": mentee,
        }

    def _same_department(self, p: dict[str, Any]) -> str:
        return gettext("Same department (%(department)s).") % {"department": p["department"]}

    def _ranked(self, p: dict[str, Any]) -> str:
        return gettext("One of them ranked the other #%(rank)s.") % {"rank": p["rank"]}

    # ---- left unmatched

    def _none_with_capacity(self, p: dict[str, Any]) -> str:
        if self.you:
            return gettext("No mentor has a free place right now.")
        return gettext("No mentor has a free place in this run.")

    def _no_eligible_partner(self, p: dict[str, Any]) -> str:
        count = p["considered"]
        if self.you:
            head = ngettext(
                "The only mentor with a free place does not fit every matching rule",
                "None of the %(count)s mentors with a free place fits every matching rule",
                count,
            )
        else:
            head = ngettext(
                "No eligible mentor: the only mentor with a free place breaks a matching rule",
                "No eligible mentor among the %(count)s with a free place",
                count,
            )
        causes = [self._excluded(item["rule"], item["count"], p) for item in p["excluded"]]
        head = head % {"count": count}
        return f"{head}: {'; '.join(causes)}." if causes else f"{head}."

    def _excluded(self, rule: str, count: int, p: dict[str, Any]) -> str:
        values = {"count": count}
        if rule == "skill_match":
            if self.you and "at_least" in p:
                wanted = _listed(
                    gettext("%(skill)s (level %(level)s or above)") % {"skill": self.skill(s), "level": level}
                    for s, level in zip(p["skills"], p["at_least"], strict=True)
                )
            else:
                wanted = _listed(self.skill(s) for s in p["skills"])
            values["skills"] = wanted
            if self.you:
                return (
                    ngettext(
                        "%(count)s is below the level you need in %(skills)s",
                        "%(count)s are below the level you need in %(skills)s",
                        count,
                    )
                    % values
                )
            return (
                ngettext(
                    "%(count)s is not at the level needed in %(skills)s",
                    "%(count)s are not at the level needed in %(skills)s",
                    count,
                )
                % values
            )
        phrases = {
            "capacity": ngettext("%(count)s has no free place", "%(count)s have no free place", count),
            "seniority": ngettext("%(count)s is not senior enough", "%(count)s are not senior enough", count),
            "timezone": ngettext(
                "%(count)s shares too few working hours", "%(count)s share too few working hours", count
            ),
            "language": ngettext("%(count)s shares no language", "%(count)s share no language", count),
            "reporting_line": ngettext(
                "%(count)s is in the same reporting line", "%(count)s are in the same reporting line", count
            ),
            "blocks": ngettext("%(count)s is a pair not allowed", "%(count)s are pairs not allowed", count),
            "previous_partners": ngettext(
                "%(count)s has worked with them before", "%(count)s have worked with them before", count
            ),
        }
        return phrases.get(rule, f"{rule}: %(count)s") % values

    def _all_eligible_full(self, p: dict[str, Any]) -> str:
        count = p["eligible"]
        if count is None:  # a large run counts eligible mentors only up to a work limit
            if self.you:
                return gettext("Every mentor who fits you has no free place right now.")
            return gettext("Every eligible mentor is full with pairs that score higher.")
        if self.you:
            return ngettext(
                "The mentor who fits you has no free place right now.",
                "All %(count)s mentors who fit you have no free place right now.",
                count,
            ) % {"count": count}
        text = ngettext(
            "The one eligible mentor is full with pairs that score higher.",
            "All %(count)s eligible mentors are full with pairs that score higher.",
            count,
        ) % {"count": count}
        if p.get("best_score") is not None:
            text = f"{text} " + gettext("Best candidate score: %(score).2f.") % {"score": p["best_score"]}
        return text

    def _department_cap(self, p: dict[str, Any]) -> str:
        return ngettext(
            "Every eligible mentor with a free place already has %(cap)s mentee from %(department)s, "
            "the most this run allows.",
            "Every eligible mentor with a free place already has %(cap)s mentees from %(department)s, "
            "the most this run allows.",
            p["cap"],
        ) % {"cap": p["cap"], "department": p["department"]}

    def _eligible_partner_free(self, p: dict[str, Any]) -> str:
        return ngettext(
            "%(free)s eligible mentor still has a free place, but this run did not propose the pair "
            "(a larger candidate limit may).",
            "%(free)s eligible mentors still have a free place, but this run did not propose the pair "
            "(a larger candidate limit may).",
            p["free"],
        ) % {"free": p["free"]}
