from django.urls import path

from mentora.people import export_views, import_views, views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("import/", import_views.person_import, name="import"),
    path("import/<int:pk>/", import_views.person_import_job, name="import_job"),
    path("export/<str:file_format>/", export_views.person_export, name="export"),
    path("me/", views.my_profile, name="me"),
    path("me/edit/", views.profile_edit, name="profile_edit"),
    path("me/self-assessment/", views.self_assessment_edit, name="self_assessment"),
    path("me/demographics/", views.demographics_edit, name="demographics"),
    path("me/demographics/withdraw/", views.demographics_withdraw, name="demographics_withdraw"),
]
