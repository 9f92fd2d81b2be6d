from django.urls import path

from mentora.goals import views

app_name = "goals"

urlpatterns = [
    path("new/", views.goal_new, name="new"),
    path("<int:goal_id>/", views.goal_detail, name="detail"),
    path("<int:goal_id>/edit/", views.goal_edit, name="edit"),
    path("<int:goal_id>/progress/", views.progress_add, name="progress"),
    path("<int:goal_id>/comments/", views.comment_add, name="comment"),
    path("<int:goal_id>/milestones/", views.milestone_add, name="milestone_add"),
    path("<int:goal_id>/milestones/<int:milestone_id>/", views.milestone_update, name="milestone_update"),
]
