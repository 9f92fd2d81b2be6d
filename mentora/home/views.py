from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from mentora.core.roles import request_viewer
from mentora.home.selectors import direct_reports_for, home_for
from mentora.organisations.models import Role
from mentora.people import selectors
from mentora.programs.models import ProgramStatus
from mentora.programs.selectors import program_list_managed

# The manager's home lists this many of the programs they manage that are not closed; the programs
# page lists them all.
HOME_PROGRAMS = 10


@login_required
def home(request):
    """One home page whose panels depend on the viewer's roles."""
    viewer = request_viewer(request)
    context = {"viewer": viewer}
    person = viewer.person
    if person is not None:
        org_id = viewer.organisation_id
        curates = viewer.manages_people
        if viewer.has_role(Role.PARTICIPANT) or not viewer.roles:
            context["completeness"] = selectors.profile_completeness(person=person)
            context["home"] = home_for(viewer=viewer)
        if curates or viewer.has_role(Role.LEADER):
            figures = selectors.organisation_figures(organisation_id=org_id)
            context["overview"] = figures.overview
            if curates:
                context["departments"] = figures.departments
        if curates:
            context["managed_programs"] = program_list_managed(viewer=viewer).exclude(
                status=ProgramStatus.CLOSED
            )[:HOME_PROGRAMS]
        reports = direct_reports_for(person=person)
        if reports or viewer.has_role(Role.LINE_MANAGER):
            context["reports"] = reports
    return render(request, "home/home.html", context)
