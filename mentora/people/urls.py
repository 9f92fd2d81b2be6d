from django.urls import path

from mentora.people import export_views, import_views, skill_views, views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("import/", import_views.person_import, name="import"),
    path("import/<int:pk>/", import_views.person_import_job, name="import_job"),
    path("export/<str:file_format>/", export_views.person_export, name="export"),
    path("skills/", skill_views.skill_list, name="skills"),
    path("skills/<int:pk>/approve/", skill_views.skill_approve, name="skill_approve"),
    path("skills/<int:pk>/retire/", skill_views.skill_retire, name="skill_retire"),
    path("skills/<int:pk>/restore/", skill_views.skill_restore, name="skill_restore"),
    path("skills/merge/", skill_views.skill_merge, name="skill_merge"),
    path("skills/<int:pk>/aliases/", skill_views.skill_alias_add, name="skill_alias_add"),
    path(
        "skills/<int:pk>/aliases/<int:alias_id>/delete/",
        skill_views.skill_alias_delete,
        name="skill_alias_delete",
    ),
    path("me/", views.my_profile, name="me"),
    path("me/edit/", views.profile_edit, name="profile_edit"),
    path("me/self-assessment/", views.self_assessment_edit, name="self_assessment"),
    path("me/demographics/", views.demographics_edit, name="demographics"),
    path("me/demographics/withdraw/", views.demographics_withdraw, name="demographics_withdraw"),
]
