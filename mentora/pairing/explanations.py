"""Match explanations fit to be shown: the engine's reasons without anything private.

The engine's reasons may quote the mentee's private self-assessed level ("you are at 1") or reveal
it through a threshold ("Negotiation ≥ 3" is the mentee's own level plus the program's gap). Both
are removed before a reason is stored, so no page, API answer or export can show them.
"""

import re

_OWN_LEVEL = re.compile(r"\s*\(you are at \d+\)")
_THRESHOLD = re.compile(r"\s*\u2265\s*\d+")
_SKILL_LEVEL = re.compile(r"level (\d) in ([\w\-]+)")


_EMPTY_PLACE = re.compile(r" in$")


def public_reason(reason: str, skill_names: dict[str, str] | None = None) -> str:
    reason = _EMPTY_PLACE.sub("", _OWN_LEVEL.sub("", reason))
    reason = _THRESHOLD.sub(" at the level needed", reason)
    if skill_names:
        reason = _SKILL_LEVEL.sub(lambda m: f"level {m[1]} in {skill_names.get(m[2], m[2])}", reason)
        for slug, name in skill_names.items():
            reason = reason.replace(f"with {slug} at the level needed", f"with {name} at the level needed")
    return reason


def public_reasons(reasons: list[str], skill_names: dict[str, str] | None = None) -> list[str]:
    return [public_reason(reason, skill_names) for reason in reasons]
