from django.urls import path

from mentora.serviceaccounts import views

app_name = "serviceaccounts"

urlpatterns = [
    path("", views.accounts, name="accounts"),
    path("<int:account_id>/revoke", views.account_revoke, name="revoke"),
]
