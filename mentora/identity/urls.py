from django.urls import path

from mentora.identity import views

app_name = "identity"

urlpatterns = [
    path("", views.sso_start, name="start"),
    path("settings/", views.sso_settings, name="settings"),
    path("settings/remove/", views.sso_remove, name="remove"),
]
