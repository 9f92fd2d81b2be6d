from django.urls import path

from mentora.evidence import views

app_name = "evidence"

urlpatterns = [
    path("", views.organisation_rollup, name="rollup"),
    path("programs/<int:program_id>/", views.program_dashboard, name="program"),
    path(
        "programs/<int:program_id>/pairs/<int:relationship_id>/action/",
        views.pair_action,
        name="pair_action",
    ),
]
