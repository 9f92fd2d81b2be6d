from django.urls import path

from mentora.advocacy import views

app_name = "advocacy"

# Mounted under pairs/<relationship_id>/advocacy/.
urlpatterns = [
    path("", views.advocacy_log, name="log"),
    path("<int:action_id>/edit/", views.advocacy_edit, name="edit"),
    path("<int:action_id>/delete/", views.advocacy_delete, name="delete"),
    path("<int:action_id>/confirm/", views.advocacy_confirm, name="confirm"),
]
