"""Every list the API answers is paged (mentora/api/pagination.py), so that no new list slips in
unpaged: the test walks the mounted routers (not the OpenAPI document, so that it does not depend on
schema generation) and finds each GET whose answer is a JSON array."""

import typing

from mentora.api_root import api

# Lists still answered whole when this test was written (issue 12 §2): page each, then remove it
# here. The list may only shrink: a path missing from the routers or already paged fails too.
NOT_YET_PAGED = {
    "/people/skills",
    "/people/{person_id}/hr-history",
    "/hr-sync/runs",
    "/programs/",
    "/programs/open",
    "/programs/{int:program_id}/questions",
    "/programs/{int:program_id}/invitation-rounds/{int:batch_id}/links",
    "/programs/{int:program_id}/enrolments/mine",
    "/relationships/",
    "/relationships/program/{int:program_id}",
    "/matching/programs/{program_id}/closed-pairs",
    "/choose/requests",
    "/checkins/pending",
    "/checkins/programs/{int:program_id}/at-risk",
    "/surveys/programs/{int:program_id}/templates",
    "/surveys/programs/{int:program_id}/results",
    "/outcomes/programs/{program_id}/analyses",
    "/accounts/lockouts",
    "/accounts/activation",
    "/service-accounts/",
    "/scim/tokens",
    "/me/reports",
    "/privacy/retention/runs",
    "/privacy/erasures",
    "/scheduler/jobs",
}


def _unpaged_lists() -> set[str]:
    """The paths of GET operations whose 200 answer is a bare array (a paged one is an object)."""
    found = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                model = operation.response_models.get(200) if "GET" in operation.methods else None
                fields = getattr(model, "model_fields", None)
                if fields and typing.get_origin(fields["response"].annotation) is list:
                    found.add(f"{prefix}{path}".replace("//", "/"))
    return found


def test_no_list_is_answered_unpaged_but_the_known_ones():
    unpaged = _unpaged_lists()
    assert unpaged - NOT_YET_PAGED == set(), "page these lists with @paginate(Pages)"
    assert NOT_YET_PAGED - unpaged == set(), "paged or gone: remove them from NOT_YET_PAGED"


def test_the_walk_sees_a_paged_list_as_paged_and_a_bare_one_as_bare():
    """The check itself can fail: the pair's notes are paged, a program's questions are not."""
    unpaged = _unpaged_lists()
    assert "/pairs/{int:relationship_id}/notes" not in unpaged
    assert "/programs/{int:program_id}/questions" in unpaged
