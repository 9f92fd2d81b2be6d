from django.urls import path

from mentora.agreements import views

app_name = "agreements"

# Mounted under pairs/<relationship_id>/, next to the pair's space.
urlpatterns = [
    path("agreement/", views.agreement, name="agreement"),
    path("agreement/confirm/", views.agreement_confirm, name="confirm"),
    path("agreement/agenda/<str:step>/", views.agenda_step, name="agenda_step"),
    path("closure/", views.closure_page, name="closure"),
    path("closure/close/", views.closure_close, name="close"),
    path("closure/extend/", views.closure_extend, name="extend"),
    path("closure/reflection/", views.closure_reflection, name="reflection"),
    path("closure/confirm/", views.closure_confirm, name="closure_confirm"),
    path("closure/dispute/", views.closure_dispute, name="closure_dispute"),
    path("end/", views.relationship_end, name="end"),
]
