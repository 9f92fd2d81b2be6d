from django.urls import path

from mentora.workspace import views

app_name = "workspace"

urlpatterns = [
    path("<int:relationship_id>/", views.pair_space, name="pair"),
]
