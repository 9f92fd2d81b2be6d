from django.urls import path

from mentora.privacy import views

app_name = "privacy"

urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data.json", views.my_data_json, name="my_data_json"),
    path("", views.admin, name="admin"),
    path("retention/", views.retention_update, name="retention"),
    path("erase/", views.erase_find, name="erase_find"),
    path("erase/<int:person_id>/", views.erase, name="erase"),
]
