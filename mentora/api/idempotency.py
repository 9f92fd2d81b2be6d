"""`Idempotency-Key` on every POST under /api/: a retried request is answered, not done again.

The first request with a key claims it by inserting its row (owner = the SHA-256 of the caller's token,
so two callers' keys never meet); the database's unique (owner, key) lets one of two concurrent
requests in and sends the other to a 409. Once answered, the answer (status, body, `Location`) is kept,
and the same key with the same request (method, path, query and body) gets it again with
`Idempotent-Replayed: true`; the same key with another request is a 422. An answer that is a fault
(5xx) or says nothing about the request (401 for the token, 429 for throttling) is not kept: the claim
is dropped and a retry runs, as it is for an answer holding a secret (`Cache-Control: no-store`) and
once a claim is ABANDONED_AFTER without an answer. Keys are kept IDEMPOTENCY_KEY_HOURS (24 by default).
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentora.api.errors import error_body
from mentora.api.middleware import API_PREFIX
from mentora.api.models import IdempotentRequest, hash_token

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = IdempotentRequest._meta.get_field("key").max_length
# Answers about the token or the rate rather than the request: a retry should run.
NOT_KEPT = frozenset({401, 429})
# A claim still unanswered after this long lost its process (a worker killed at WEB_TIMEOUT, 30 s by
# default): it is dropped, so that retries are not sent to a 409 for the whole retention.
ABANDONED_AFTER = timedelta(minutes=10)


def _retention() -> timedelta:
    return timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)


def idempotency_keys_purge() -> int:
    """Forget the keys older than the retention period (a periodic job); returns how many."""
    deleted, _by_model = IdempotentRequest.objects.filter(
        created_at__lt=timezone.now() - _retention()
    ).delete()
    return deleted


def _refusal(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        error_body(code, message, [{"field": HEADER, "message": message}], field=HEADER), status=status
    )


def _key_error(key: str) -> str | None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        return _("Give an Idempotency-Key of 1 to %(max)s printable ASCII characters.") % {
            "max": MAX_KEY_LENGTH
        }
    return None


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.path_info, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode() + b"\n")
    digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body), status=record.status, content_type=record.content_type or None
    )
    if record.location:
        response["Location"] = record.location
    response[REPLAYED_HEADER] = "true"
    return response


class IdempotencyKeyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        authorization = request.headers.get("Authorization", "")
        if (
            key is None
            or request.method != "POST"
            or not request.path_info.startswith(API_PREFIX)
            # Without a bearer token the API answers 401 whatever the key.
            # The scheme's name is case-insensitive (RFC 9110), as ninja's HttpBearer reads it.
            or authorization[:7].lower() != "bearer "
        ):
            return self.get_response(request)
        if message := _key_error(key):
            return _refusal(422, "invalid_input", message)
        try:
            fingerprint = _fingerprint(request)
        except RequestDataTooBig:
            return self.get_response(request)  # the API answers 413 before running anything
        owner = hash_token(authorization[7:].strip())
        now = timezone.now()
        expired = Q(created_at__lt=now - _retention())
        abandoned = Q(status__isnull=True, created_at__lt=now - ABANDONED_AFTER)
        IdempotentRequest.objects.filter(expired | abandoned, owner=owner, key=key).delete()
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    owner=owner,
                    key=key,
                    path=request.path_info[:2000],
                    fingerprint=fingerprint,
                    created_at=now,
                )
        except IntegrityError:
            return self._answer_again(owner, key, fingerprint)
        response = self.get_response(request)
        if (
            response.streaming
            or response.status_code >= 500
            or response.status_code in NOT_KEPT
            # An answer holding a secret (a token shown once, a link that sets a password) is never stored.
            or "no-store" in response.get("Cache-Control", "")
        ):
            record.delete()
            return response
        record.status = response.status_code
        record.content_type = response.get("Content-Type", "")[:200]
        record.location = response.get("Location", "")[:2000]
        record.body = response.content
        record.save(update_fields=["status", "content_type", "location", "body"])
        return response

    def _answer_again(self, owner: str, key: str, fingerprint: str) -> HttpResponseBase:
        record = IdempotentRequest.objects.filter(owner=owner, key=key).first()
        if record is not None and record.fingerprint != fingerprint:
            return _refusal(
                422,
                "idempotency_key_reused",
                _("This Idempotency-Key was used for another request: use a new key for a new request."),
            )
        if record is None or record.status is None:
            # Still being answered (or its first attempt failed a moment ago): the caller retries.
            response = _refusal(
                409,
                "idempotency_in_progress",
                _("A request with this Idempotency-Key is still being answered: retry in a moment."),
            )
            response["Retry-After"] = "1"
            return response
        return _replay(record)
