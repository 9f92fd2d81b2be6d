from django.urls import path

from mentora.meetings import views

app_name = "calendar"

urlpatterns = [
    path("", views.calendar_subscribe, name="subscribe"),
    path("<str:token>/mentoring.ics", views.calendar_feed, name="feed"),
]
