from django.urls import path

from mentora.programs import invitation_views, views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    path("new/", views.program_create, name="create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation"),
    path("<int:pk>/", views.program_detail, name="detail"),
    path("<int:pk>/enrol/", views.program_enrol, name="enrol"),
    path("<int:pk>/availability/<int:enrolment_id>/", views.mentor_availability, name="availability"),
    path("<int:pk>/manage/", views.program_manage, name="manage"),
    path("<int:pk>/edit/", views.program_edit, name="edit"),
    path("<int:pk>/delete/", views.program_delete, name="delete"),
    path("<int:pk>/status/", views.program_status, name="status"),
    path("<int:pk>/managers/", views.program_manager_add, name="manager_add"),
    path("<int:pk>/questionnaire/", views.program_questionnaire, name="questionnaire"),
    path("<int:pk>/questionnaire/<int:question_id>/", views.question_edit, name="question_edit"),
    path("<int:pk>/questionnaire/<int:question_id>/delete/", views.question_delete, name="question_delete"),
    path("<int:pk>/curriculum/", views.program_curriculum, name="curriculum"),
    path("<int:pk>/invite/", invitation_views.program_invite, name="invite"),
    path("<int:pk>/invite/<int:batch_id>/", invitation_views.invitation_batch, name="invitation_batch"),
    path("<int:pk>/invitations/", invitation_views.invitation_list, name="invitations"),
    path(
        "<int:pk>/invitations/<int:invitation_id>/resend/",
        invitation_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<int:pk>/invitations/<int:invitation_id>/revoke/",
        invitation_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<int:pk>/applications/", views.enrolment_list, name="enrolments"),
    path("<int:pk>/applications/decide/", views.enrolments_decide, name="decide_many"),
    path("<int:pk>/applications/<int:enrolment_id>/", views.enrolment_detail, name="enrolment"),
    path("<int:pk>/applications/<int:enrolment_id>/decide/", views.enrolment_decide, name="decide"),
]
