from django.urls import path

from mentora.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("", views.outcomes_home, name="home"),
    path("programs/<int:program_id>/", views.program_outcomes, name="program"),
    path("analyses/<int:pk>/", views.analysis_detail, name="analysis"),
    path("events/import/", views.events_import, name="import"),
]
