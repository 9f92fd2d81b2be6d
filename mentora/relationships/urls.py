from django.urls import path

from mentora.relationships import views

app_name = "relationships"

urlpatterns = [
    path("", views.my_mentoring, name="mine"),
    path("<int:pk>/consent/", views.relationship_consent, name="consent"),
    path("<int:pk>/decline/", views.relationship_decline, name="decline"),
    path("<int:pk>/end/", views.relationship_end_moved),
    path("programs/<int:program_id>/pair/", views.relationship_pair_moved),
    path("programs/<int:program_id>/close/", views.program_close, name="program_close"),
    path("programs/<int:program_id>/pool/", views.program_pool, name="program_pool"),
    path("programs/<int:program_id>/gaps/", views.program_gaps, name="program_gaps"),
]
