"""The participant's home in one call: the same data as the home page (`home_for`).

Times come with the offset of the caller's profile time zone (named in `time_zone`).
"""

from ninja import Router

from mentora.api.calls import api_viewer
from mentora.api.schemas import dataclass_schema
from mentora.home.selectors import (
    DirectReport,
    Home,
    HomeCheckin,
    HomeEnrolment,
    HomeGoal,
    HomeMeeting,
    HomeProgram,
    HomeRelationship,
    HomeRequest,
    direct_reports_for,
    home_for,
)

router = Router(tags=["home"])


# The API gives codes; the *_label fields are the page's translations of them.
HomeRelationshipOut = dataclass_schema(HomeRelationship, exclude=["status_label"])
HomeMeetingOut = dataclass_schema(HomeMeeting)
HomeGoalOut = dataclass_schema(HomeGoal)
HomeCheckinOut = dataclass_schema(HomeCheckin, exclude=["kind_label"])
HomeRequestOut = dataclass_schema(HomeRequest)
HomeEnrolmentOut = dataclass_schema(HomeEnrolment, exclude=["role_label", "status_label"])
HomeProgramOut = dataclass_schema(
    HomeProgram, exclude=["status_label"], nested={HomeEnrolment: HomeEnrolmentOut}
)
HomeOut = dataclass_schema(
    Home,
    nested={
        HomeRelationship: HomeRelationshipOut,
        HomeMeeting: HomeMeetingOut,
        HomeGoal: HomeGoalOut,
        HomeCheckin: HomeCheckinOut,
        HomeRequest: HomeRequestOut,
        HomeProgram: HomeProgramOut,
    },
)


@router.get("/home", response=HomeOut, summary="My home: relationships, next meeting, goals, check-ins")
def me_home(request):
    return home_for(viewer=api_viewer(request))


DirectReportOut = dataclass_schema(
    DirectReport,
    descriptions={"taking_part": "Approved in an open, matching or running program, in either role."},
)


@router.get(
    "/reports", response=list[DirectReportOut], summary="My direct reports and whether they take part"
)
def me_reports(request):
    viewer = api_viewer(request)
    return direct_reports_for(person=viewer.person) if viewer.person is not None else []
