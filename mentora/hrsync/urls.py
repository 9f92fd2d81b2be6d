from django.urls import path

from mentora.hrsync import views

app_name = "hrsync"

urlpatterns = [
    path("", views.hr_sync, name="page"),
    path("run/", views.hr_sync_run_now, name="run"),
]
