from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mentora.api import views as api_views
from mentora.api_root import api
from mentora.demo.views import SignInView
from mentora.home import views as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/", include("mentora.accounts.urls")),
    path("accounts/sso/", include("mentora.identity.urls")),
    # django-allauth's pages (password reset, MFA, SSO callbacks); ours above keep their names and paths.
    path("accounts/", include("allauth.urls")),
    path("accounts/tokens/", api_views.api_tokens, name="api_tokens"),
    path("accounts/tokens/<int:token_id>/revoke/", api_views.api_token_delete, name="api_token_delete"),
    path("people/", include("mentora.people.urls")),
    path("audit/", include("mentora.audit.urls")),
    path("scim/", include("mentora.scim.urls")),
    path("service-accounts/", include("mentora.serviceaccounts.urls")),
    path("jobs/", include("mentora.scheduler.urls")),
    path("hr-sync/", include("mentora.hrsync.urls")),
    path("programs/", include("mentora.programs.urls")),
    path("mentoring/", include("mentora.relationships.urls")),
    path("pairing/", include("mentora.pairing.urls")),
    path("pairs/", include("mentora.workspace.urls")),
    path("pairs/<int:relationship_id>/goals/", include("mentora.goals.urls")),
    path("pairs/<int:relationship_id>/meetings/", include("mentora.meetings.urls")),
    path("pairs/<int:relationship_id>/notes/", include("mentora.notes.urls")),
    path("calendar/", include("mentora.meetings.calendar_urls")),
    path("pairs/<int:relationship_id>/", include("mentora.agreements.urls")),
    path("pairs/<int:relationship_id>/advocacy/", include("mentora.advocacy.urls")),
    path("checkins/", include("mentora.checkins.urls")),
    path("evidence/", include("mentora.evidence.urls")),
    path("outcomes/", include("mentora.outcomes.urls")),
    path("surveys/", include("mentora.surveys.urls")),
    path("accounts/notifications/", include("mentora.notifications.urls")),
    path("privacy/", include("mentora.privacy.urls")),
    path("exports/", include("mentora.reports.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
