"""The pair's space: one page per relationship, for its mentor and mentee only."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from mentora.workspace.access import read_only_reason, request_pair
from mentora.workspace.panels import render_panels


@login_required
def pair_space(request, relationship_id: int):
    pair = request_pair(request, relationship_id)
    return render(
        request,
        "workspace/pair.html",
        {
            "pair": pair,
            "relationship": pair.relationship,
            "read_only_reason": read_only_reason(pair.relationship),
            "panels": render_panels(pair=pair, request=request),
        },
    )
