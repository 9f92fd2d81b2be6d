from django.urls import path

from mentora.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("pairs/<int:relationship_id>/nudge/", views.pair_nudge, name="pair_nudge"),
]
