from django.urls import path

from mentora.notes import views

app_name = "notes"

urlpatterns = [
    path("", views.note_list, name="list"),
    path("new/", views.note_create, name="new"),
    path("<int:note_id>/edit/", views.note_edit, name="edit"),
    path("<int:note_id>/delete/", views.note_delete, name="delete"),
]
