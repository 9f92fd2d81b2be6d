"""The SCIM 2.0 protocol (RFC 7644) under /scim/v2/: discovery, Users and Groups.

Every request carries `Authorization: Bearer <token>` of an organisation (the org admin's SCIM page);
the token decides the organisation, and nothing of another organisation is found. Answers are
`application/scim+json`; every refusal is a SCIM error body (`status`, `scimType`, `detail`).
"""

import json
import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    EnterpriseUser,
    ETag,
    Filter,
    Group,
    ListResponse,
    Patch,
    ResourceType,
    ServiceProviderConfig,
    Sort,
)

from mentora.scim import selectors, services
from mentora.scim.resources import ScimUser, base_url, group_resource, user_resource
from mentora.scim.services import ScimError

CONTENT_TYPE = "application/scim+json"
DEFAULT_COUNT = 100
MAX_COUNT = 200
_FILTER = re.compile(r'^\s*([A-Za-z.:\[\]" 0-9]+?)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)
USER_FILTERS = {"username": "email__iexact", "emails": "email__iexact", "emails.value": "email__iexact"}
USER_FILTERS |= {'emails[type eq "work"].value': "email__iexact", "id": "pk"}
GROUP_FILTERS = {"displayname": "name__iexact", "id": "pk"}


def _answer(body: dict, status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(json.dumps(body, default=str), status=status, content_type=CONTENT_TYPE)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _error(error: ScimError) -> HttpResponse:
    body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": str(error.status)}
    if error.scim_type:
        body["scimType"] = error.scim_type
    body["detail"] = error.detail
    headers = {"WWW_Authenticate": 'Bearer realm="scim"'} if error.status == 401 else {}
    return _answer(body, error.status, **headers)


def scim_view(methods: set[str]) -> Callable:
    """Authenticate the organisation's token, allow `methods`, answer every refusal as SCIM."""

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                scheme, _space, raw = request.headers.get("Authorization", "").partition(" ")
                token = (
                    services.scim_token_authenticate(raw=raw.strip()) if scheme.lower() == "bearer" else None
                )
                if token is None:
                    raise ScimError(401, "A valid SCIM bearer token of your organisation is required.")
                if request.method not in methods:
                    raise ScimError(405, f"{request.method} is not supported here.")
                return view(request, token.organisation, *args, **kwargs)
            except ScimError as error:
                return _error(error)
            except RequestDataTooBig:
                limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
                return _error(ScimError(413, f"The request body is larger than {limit} bytes."))

        return wrapped

    return decorate


def _has_nul(value) -> bool:
    """PostgreSQL stores no NUL character, not even in a query's parameter."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _body(request: HttpRequest) -> dict:
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise ScimError(400, "The request body is not valid JSON.", "invalidSyntax") from None
    if not isinstance(body, dict):
        raise ScimError(400, "The request body must be a JSON object.", "invalidSyntax")
    if _has_nul(body):
        raise ScimError(400, "Text cannot contain NUL characters.", "invalidValue")
    if not isinstance(body.get("schemas"), list) or not body["schemas"]:
        raise ScimError(400, "The request body must name its schemas.", "invalidSyntax")
    return body


def _parse(model, body: dict):
    try:
        return model.model_validate(body)
    except ValueError as exc:
        raise ScimError(
            400, services.plain_errors(exc), services.scim_type_of(exc, default="invalidSyntax")
        ) from None


def _paging(request: HttpRequest) -> tuple[int, int]:
    """startIndex (1-based) and count; out-of-range values are clamped as RFC 7644 §3.4.2.4 says."""
    try:
        start = int(request.GET.get("startIndex", 1))
        count = int(request.GET.get("count", DEFAULT_COUNT))
    except ValueError:
        raise ScimError(400, "startIndex and count must be integers.", "invalidValue") from None
    return max(start, 1), min(max(count, 0), MAX_COUNT)


def _filtered(request: HttpRequest, queryset, lookups: dict[str, str]):
    text = request.GET.get("filter")
    if not text:
        return queryset
    match = _FILTER.match(text)
    attribute = match.group(1).strip().lower() if match else None
    lookup = next((value for key, value in lookups.items() if key.lower() == attribute), None)
    if lookup is None:
        supported = ", ".join(f'{key} eq "…"' for key in lookups)
        raise ScimError(400, f"Unsupported filter: use one of {supported}.", "invalidFilter")
    try:
        value = json.loads(f'"{match.group(2)}"')
    except ValueError:
        raise ScimError(400, "The filter's value is not a valid string.", "invalidFilter") from None
    if "\x00" in value:
        raise ScimError(400, "The filter's value cannot contain NUL characters.", "invalidFilter")
    if lookup == "pk" and not value.isdigit():
        return queryset.none()
    return queryset.filter(**{lookup: value})


def _listed(request: HttpRequest, queryset, to_resource: Callable, model) -> HttpResponse:
    start, count = _paging(request)
    total = queryset.count()
    page = list(queryset[start - 1 : start - 1 + count]) if count else []
    body = ListResponse[model](
        total_results=total,
        start_index=start,
        items_per_page=len(page),
        resources=[to_resource(item) for item in page],
    )
    return _answer(body.model_dump(scim_ctx=Context.SEARCH_RESPONSE))


def _user(person) -> dict:
    return user_resource(person).model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)


# ---- discovery -------------------------------------------------------------------------------


@scim_view({"GET"})
def service_provider_config(request: HttpRequest, organisation) -> HttpResponse:
    config = ServiceProviderConfig(
        documentation_uri=base_url(),
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_COUNT),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="Bearer token",
                description="A token of the organisation, made by its org admin on Mentora's SCIM page.",
                primary=True,
            )
        ],
    )
    return _answer(config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


def _schemas() -> list[dict]:
    return [model.to_schema().model_dump() for model in (ScimUser, EnterpriseUser, Group)]


def _resource_types() -> list[dict]:
    return [ResourceType.from_resource(model).model_dump() for model in (ScimUser, Group)]


def _collection(items: list[dict]) -> dict:
    return {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": len(items),
        "startIndex": 1,
        "itemsPerPage": len(items),
        "Resources": items,
    }


@scim_view({"GET"})
def schemas(request: HttpRequest, organisation, schema_id: str | None = None) -> HttpResponse:
    if schema_id is None:
        return _answer(_collection(_schemas()))
    found = next((item for item in _schemas() if item["id"] == schema_id), None)
    if found is None:
        raise ScimError(404, "No such schema.")
    return _answer(found)


@scim_view({"GET"})
def resource_types(request: HttpRequest, organisation, type_id: str | None = None) -> HttpResponse:
    if type_id is None:
        return _answer(_collection(_resource_types()))
    found = next((item for item in _resource_types() if item["id"] == type_id), None)
    if found is None:
        raise ScimError(404, "No such resource type.")
    return _answer(found)


# ---- users -----------------------------------------------------------------------------------


@scim_view({"GET", "POST"})
def users(request: HttpRequest, organisation) -> HttpResponse:
    if request.method == "POST":
        resource = _parse(ScimUser, _body(request))
        person = services.scim_user_create(organisation=organisation, resource=resource)
        person = selectors.scim_user_get(organisation_id=organisation.pk, person_id=str(person.pk))
        return _answer(_user(person), 201, Location=user_resource(person).meta.location)
    people = _filtered(request, selectors.scim_users(organisation_id=organisation.pk), USER_FILTERS)
    return _listed(request, people, user_resource, ScimUser)


@scim_view({"GET", "PUT", "PATCH", "DELETE"})
def user(request: HttpRequest, organisation, person_id: str) -> HttpResponse:
    person = selectors.scim_user_get(organisation_id=organisation.pk, person_id=person_id)
    if person is None:
        raise ScimError(404, "No such user in this organisation.")
    if request.method == "PUT":
        services.scim_user_replace(person=person, resource=_parse(ScimUser, _body(request)))
    elif request.method == "PATCH":
        services.scim_user_patch(person=person, patch=_body(request))
    elif request.method == "DELETE":
        services.scim_user_deactivate(person=person)
        return HttpResponse(status=204)
    person = selectors.scim_user_get(organisation_id=organisation.pk, person_id=person_id)
    return _answer(_user(person))


# ---- groups (departments) --------------------------------------------------------------------


def _group(department, *, with_members: bool = True) -> dict:
    members = department.members if with_members else None
    return group_resource(department, members).model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)


def _without_members(request: HttpRequest) -> bool:
    excluded = request.GET.get("excludedAttributes", "")
    return "members" in {name.strip().lower() for name in excluded.split(",")}


@scim_view({"GET", "POST"})
def groups(request: HttpRequest, organisation) -> HttpResponse:
    if request.method == "POST":
        group = _parse(Group, _body(request))
        department = services.scim_group_create(organisation=organisation, group=group)
        department = selectors.scim_group_get(
            organisation_id=organisation.pk, department_id=str(department.pk)
        )
        body = _group(department)
        return _answer(body, 201, Location=body["meta"]["location"])
    with_members = not _without_members(request)
    departments = selectors.scim_groups(organisation_id=organisation.pk, with_members=with_members)
    departments = _filtered(request, departments, GROUP_FILTERS)
    return _listed(
        request,
        departments,
        lambda department: group_resource(department, department.members if with_members else None),
        Group,
    )


@scim_view({"GET", "PUT", "PATCH", "DELETE"})
def group(request: HttpRequest, organisation, department_id: str) -> HttpResponse:
    with_members = request.method != "GET" or not _without_members(request)
    department = selectors.scim_group_get(
        organisation_id=organisation.pk, department_id=department_id, with_members=with_members
    )
    if department is None:
        raise ScimError(404, "No such group in this organisation.")
    if request.method == "PUT":
        services.scim_group_replace(department=department, group=_parse(Group, _body(request)))
    elif request.method == "PATCH":
        services.scim_group_patch(
            department=department,
            patch=_body(request),
            current=group_resource(department, department.members),
        )
    elif request.method == "DELETE":
        services.scim_group_delete(department=department)
        return HttpResponse(status=204)
    else:
        return _answer(_group(department, with_members=with_members))
    department = selectors.scim_group_get(organisation_id=organisation.pk, department_id=department_id)
    return _answer(_group(department))
