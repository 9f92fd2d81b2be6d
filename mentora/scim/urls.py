from django.urls import path

from mentora.scim import protocol, views

app_name = "scim"

urlpatterns = [
    path("", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/rotate", views.token_rotate, name="token_rotate"),
    path("tokens/<int:token_id>/revoke", views.token_revoke, name="token_revoke"),
    path("v2/ServiceProviderConfig", protocol.service_provider_config, name="service_provider_config"),
    path("v2/Schemas", protocol.schemas, name="schemas"),
    path("v2/Schemas/<str:schema_id>", protocol.schemas, name="schema"),
    path("v2/ResourceTypes", protocol.resource_types, name="resource_types"),
    path("v2/ResourceTypes/<str:type_id>", protocol.resource_types, name="resource_type"),
    path("v2/Users", protocol.users, name="users"),
    path("v2/Users/<str:person_id>", protocol.user, name="user"),
    path("v2/Groups", protocol.groups, name="groups"),
    path("v2/Groups/<str:department_id>", protocol.group, name="group"),
]
