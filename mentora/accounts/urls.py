from django.urls import path

from mentora.accounts import views

app_name = "accounts"

urlpatterns = [
    path("locked/", views.lockout_list, name="lockouts"),
    path("locked/<int:person_id>/unlock/", views.lockout_release, name="unlock"),
    path("email/<int:person_id>/", views.email_change, name="email_change"),
    path("email/confirm/<str:token>/", views.email_confirm, name="email_confirm"),
]
