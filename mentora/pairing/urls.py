from django.urls import path

from mentora.pairing import views

app_name = "pairing"

urlpatterns = [
    path("programs/<int:program_id>/", views.matching_home, name="home"),
    path("programs/<int:program_id>/runs/", views.run_list, name="runs"),
    path("programs/<int:program_id>/compare/", views.run_compare, name="compare"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/progress/", views.run_progress, name="progress"),
    path("runs/<int:run_id>/swap/", views.proposal_swap, name="swap"),
    path("runs/<int:run_id>/publish/", views.run_publish, name="publish"),
    path("proposals/<int:proposal_id>/<str:action>/", views.proposal_action, name="proposal_action"),
]
