"""The sections of a pair's space, contributed by the apps that own them.

Each app registers its panel from its own `panels.py` (discovered when Django starts), so the
space renders whatever sections exist and keeps working while an app has none yet:

    from mentora.workspace.panels import register

    register(
        "goals",
        order=20,
        title=gettext_lazy("Goals"),
        template="goals/_panel.html",
        context=lambda pair: {"goals": goals_for_pair(pair=pair)},
    )

The panel's template renders a `<section id="<key>">` with a heading; `title` names it in the
page's table of contents. `context` receives a `mentora.workspace.access.Pair` (relationship,
person, side, read_only) and returns the extra template context; every panel also gets `pair`,
`relationship`, `read_only` and `read_only_reason`.

Orders in use: agreement 10, goals 20, meetings 30, notes 40, check-ins 50, advocacy 60.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe

from mentora.workspace.access import Pair, read_only_reason


@dataclass(frozen=True)
class Panel:
    key: str
    order: int
    title: str | Promise
    template: str
    context: Callable[[Pair], dict]


_panels: dict[str, Panel] = {}


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    title: str | Promise
    html: SafeString


def register(
    key: str, *, order: int, title: str | Promise, template: str, context: Callable[[Pair], dict]
) -> None:
    """Add (or replace, by key) one section of the pair's space."""
    _panels[key] = Panel(key=key, order=order, title=title, template=template, context=context)


def registered_panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.key))


def panel_context(pair: Pair) -> dict:
    """What every panel template can rely on."""
    return {
        "pair": pair,
        "relationship": pair.relationship,
        "read_only": pair.read_only,
        "read_only_reason": read_only_reason(pair.relationship),
    }


def render_panel(key: str, *, pair: Pair, request, extra: dict | None = None) -> SafeString:
    """One panel's HTML, e.g. for an htmx response after a write in that section."""
    panel = _panels[key]
    context = panel_context(pair) | panel.context(pair) | (extra or {})
    return mark_safe(render_to_string(panel.template, context, request=request))


def render_panels(*, pair: Pair, request) -> list[RenderedPanel]:
    return [
        RenderedPanel(
            key=panel.key, title=panel.title, html=render_panel(panel.key, pair=pair, request=request)
        )
        for panel in registered_panels()
    ]
