from django.urls import path

from mentora.scheduler import views

app_name = "scheduler"

urlpatterns = [
    path("", views.job_list, name="jobs"),
]
