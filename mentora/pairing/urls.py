from django.urls import path

from mentora.pairing import choose_views, views

app_name = "pairing"

urlpatterns = [
    # Matching runs, for program managers.
    path("programs/<int:program_id>/", views.matching_home, name="home"),
    path("programs/<int:program_id>/runs/", views.run_list, name="runs"),
    path("programs/<int:program_id>/compare/", views.run_compare, name="compare"),
    path("programs/<int:program_id>/allow-again/", views.pair_allow_again, name="allow_again"),
    path("programs/<int:program_id>/pair/", views.pair_by_hand, name="pair"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/progress/", views.run_progress, name="progress"),
    path("runs/<int:run_id>/swap/", views.proposal_swap, name="swap"),
    path("runs/<int:run_id>/publish/", views.run_publish, name="publish"),
    path("proposals/<int:proposal_id>/<str:action>/", views.proposal_action, name="proposal_action"),
    # Mentee choice from a shortlist.
    path("choose/", choose_views.choose_home, name="choose_home"),
    path("choose/<int:pk>/", choose_views.choose_shortlist, name="choose_shortlist"),
    path("choose/<int:pk>/mentors/<int:mentor_id>/", choose_views.choose_mentor, name="choose_mentor"),
    path(
        "choose/<int:pk>/mentors/<int:mentor_id>/request/", choose_views.choose_request, name="choose_request"
    ),
    path("choose/<int:pk>/requests/", choose_views.choose_requests, name="choose_requests"),
    path("choose/<int:pk>/availability/", choose_views.choose_availability, name="choose_availability"),
    path("choose/requests/<int:request_id>/withdraw/", choose_views.choose_withdraw, name="choose_withdraw"),
    path(
        "choose/requests/<int:request_id>/mentee/",
        choose_views.choose_request_mentee,
        name="choose_request_mentee",
    ),
    path("choose/requests/<int:request_id>/accept/", choose_views.choose_accept, name="choose_accept"),
    path("choose/requests/<int:request_id>/decline/", choose_views.choose_decline, name="choose_decline"),
]
