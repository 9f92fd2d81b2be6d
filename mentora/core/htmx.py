"""One place decides "full page or htmx fragment", so every such answer also varies on HX-Request:
a browser or proxy cache must never serve a fragment as the page (or the page into a swap)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_fragment(request: HttpRequest, *, target: str | None = None) -> bool:
    """An htmx swap (aimed at `target` when given); a history restore needs the whole page."""
    htmx = getattr(request, "htmx", None)
    if not htmx or htmx.history_restore_request:
        return False
    return target is None or htmx.target == target


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request"])
    return response


def render_page_or_fragment(
    request: HttpRequest,
    *,
    page: str,
    fragment: str,
    context: dict,
    status: int = 200,
    target: str | None = None,
) -> HttpResponse:
    """The fragment template for an htmx swap, the page template otherwise, with `Vary: HX-Request`."""
    template = fragment if wants_fragment(request, target=target) else page
    return vary_on_htmx(render(request, template, context, status=status))
