from django.urls import path

from mentora.checkins import views

app_name = "checkins"

urlpatterns = [
    path("", views.my_checkins, name="mine"),
    path("<int:checkin_id>/", views.checkin_answer, name="answer"),
    path("programs/<int:program_id>/", views.program_checkins, name="program"),
    path("programs/<int:program_id>/at-risk/", views.program_at_risk, name="at_risk"),
    path("programs/<int:program_id>/pairs/<int:relationship_id>/", views.program_pair, name="pair"),
]
