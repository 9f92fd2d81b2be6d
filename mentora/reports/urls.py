from django.urls import path

from mentora.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.export_list, name="exports"),
    path("new/", views.export_create, name="create"),
    path("<int:pk>/", views.export_detail, name="detail"),
    path("<int:pk>/download/", views.export_file, name="download"),
    path("programs/<int:program_id>/", views.program_exports, name="program_report"),
    path("programs/<int:program_id>/monthly/", views.report_schedule, name="schedule"),
]
