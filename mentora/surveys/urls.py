from django.urls import path

from mentora.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.my_surveys, name="mine"),
    path("<int:instance_id>/", views.survey_answer, name="answer"),
    path("programs/<int:program_id>/", views.program_setup, name="setup"),
    path("programs/<int:program_id>/surveys/", views.program_template, name="template"),
    path("programs/<int:program_id>/surveys/<str:kind>/questions/", views.question_add, name="question_add"),
    path(
        "programs/<int:program_id>/questions/<int:question_id>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path("programs/<int:program_id>/results/", views.program_results, name="results"),
]
