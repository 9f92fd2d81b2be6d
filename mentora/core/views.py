from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from mentora.core.roles import request_viewer


@login_required
def home(request):
    """One home page whose panels depend on the viewer's roles."""
    viewer = request_viewer(request)
    return render(request, "core/home.html", {"viewer": viewer})
