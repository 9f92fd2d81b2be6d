from django.urls import path

from mentora.accounts import views

app_name = "accounts"

urlpatterns = [
    path("locked/", views.lockout_list, name="lockouts"),
    path("locked/<int:person_id>/unlock/", views.lockout_release, name="unlock"),
    path("email/<int:person_id>/", views.email_change, name="email_change"),
    path("email/confirm/<str:token>/", views.email_confirm, name="email_confirm"),
    path("activate/<str:token>/", views.activate, name="activate"),
    path("activation/", views.activation_rounds, name="activation"),
    path("sign-in-rules/", views.sign_in_policy, name="sign_in_policy"),
]
