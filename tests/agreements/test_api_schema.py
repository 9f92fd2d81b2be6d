"""The OpenAPI schema documents every endpoint of agreements, check-ins, advocacy and preferences."""


def test_the_openapi_schema_documents_the_relationship_support_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/agreements/{relationship_id}",
        "/api/agreements/{relationship_id}/confirm",
        "/api/agreements/{relationship_id}/agenda/{step}",
        "/api/agreements/{relationship_id}/close",
        "/api/agreements/{relationship_id}/closure/confirm",
        "/api/agreements/{relationship_id}/closure/dispute",
        "/api/agreements/{relationship_id}/end",
        "/api/agreements/{relationship_id}/extend",
        "/api/agreements/{relationship_id}/reflection",
        "/api/checkins/pending",
        "/api/checkins/{checkin_id}/answer",
        "/api/checkins/programs/{program_id}/settings",
        "/api/checkins/programs/{program_id}/aggregates",
        "/api/checkins/programs/{program_id}/at-risk",
        "/api/advocacy/relationships/{relationship_id}",
        "/api/advocacy/relationships/{relationship_id}/{action_id}/confirm",
        "/api/advocacy/programs/{program_id}/kpis",
        "/api/notifications/preferences",
    ):
        assert path in paths, path
