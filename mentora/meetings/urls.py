from django.urls import path

from mentora.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("past/", views.meeting_past, name="past"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/edit/", views.meeting_edit, name="edit"),
    path("<int:meeting_id>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:meeting_id>/log/", views.meeting_log, name="log"),
    path("<int:meeting_id>/prep/", views.meeting_prep, name="prep"),
    path("<int:meeting_id>/meeting.ics", views.meeting_ics, name="ics"),
]
