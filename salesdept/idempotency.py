"""`Idempotency-Key` on the API's POSTs: a request sent again after a lost answer gets the first answer, not a second
row (docs/api.md, "Safe retries").

A middleware, not a DRF mixin, so that every app's POST under /api/ has it without each view opting in. It resolves
the user as DRF does (a JWT `Authorization` header, else the session) and scopes the key to him; a request with no
user (the login, the refresh) passes through as if it had no key.

For a POST carrying the key:
1. the record (user, key) is inserted first, with no status, under the unique constraint: a repeat arriving while the
   first is still running finds it and answers 409;
2. a repeat within `IDEMPOTENCY_WINDOW_HOURS` with the same method, path and body (SHA-256 of the bytes) answers the
   stored status, body and headers, with `Idempotent-Replayed: true`; another path or body answers 422;
3. the first answer is stored, unless a retry may change it (`NOT_STORED`: every 5xx, and 401, 403, 408, 409, 412,
   425, 429, which depend on the moment, the token or the session): then the record goes and the key is free again.
A record left without a status longer than `IDEMPOTENCY_IN_FLIGHT_SECONDS` (its worker died) is taken over.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication

from crm.models import User
from salesdept.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# The headers of the first answer that its replays carry too.
STORED_HEADERS = ("Content-Type", "ETag", "Location")
NOT_STORED = {401, 403, 408, 409, 412, 425, 429}


def window() -> timedelta:
    return timedelta(hours=settings.IDEMPOTENCY_WINDOW_HOURS)


def key_problem(key: str) -> str | None:
    """Why the header cannot be a key (empty, too long, not printable ASCII), or None."""
    limit = settings.IDEMPOTENCY_KEY_MAX_LENGTH
    if not key or len(key) > limit or not all("\x21" <= char <= "\x7e" for char in key):
        return _("The Idempotency-Key must be 1 to %(limit)s printable ASCII characters without spaces.") % {
            "limit": limit
        }
    return None


def request_user(request: HttpRequest) -> User | None:
    """The user DRF would authenticate: a valid JWT first, else the session's; None for anyone else."""
    try:
        found = JWTAuthentication().authenticate(request)  # type: ignore[arg-type]
    except AuthenticationFailed:
        return None
    if found is not None:
        return found[0]  # type: ignore[return-value]
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None  # type: ignore[return-value]


def error(status: int, code: str, detail: str, attr: str | None = None) -> JsonResponse:
    """An error in the API's one shape (`type`, `errors` of `code`, `detail`, `attr`)."""
    kind = "validation_error" if status == 400 else "client_error"
    return JsonResponse({"type": kind, "errors": [{"code": code, "detail": detail, "attr": attr}]}, status=status)


def replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status_code or 200)
    for name, value in record.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def idempotency_claim(
    *, user: User, key: str, method: str, path: str, body_sha256: str, now: datetime
) -> IdempotencyRecord | HttpResponse:
    """The new in-flight record of this request, or the answer to a repeat (the replay, 409 or 422)."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    user=user, key=key, method=method, path=path, body_sha256=body_sha256, created_at=now
                )
        except IntegrityError:
            pass
        existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is None:  # the first request failed meanwhile and freed the key
            continue
        abandoned = existing.status_code is None and existing.created_at <= now - timedelta(
            seconds=settings.IDEMPOTENCY_IN_FLIGHT_SECONDS
        )
        if existing.created_at <= now - window() or abandoned:
            IdempotencyRecord.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
            continue
        if (existing.method, existing.path, existing.body_sha256) != (method, path, body_sha256):
            return error(
                422,
                "idempotency_key_reused",
                _("This Idempotency-Key was sent with another request: use a new key for each new request."),
            )
        if existing.status_code is None:
            response = error(
                409,
                "idempotency_key_in_flight",
                _("A request with this Idempotency-Key is still being processed: try again in a moment."),
            )
            response["Retry-After"] = "1"
            return response
        return replay(existing)
    return error(409, "idempotency_key_in_flight", _("A request with this Idempotency-Key is being processed."))


def idempotency_settle(record: IdempotencyRecord, response: HttpResponseBase) -> None:
    """Keep the first answer for the repeats, or free the key when a retry may be answered otherwise."""
    status = response.status_code
    if status >= 500 or status in NOT_STORED or response.streaming or not isinstance(response, HttpResponse):
        record.delete()
        return
    record.status_code = status
    record.body = response.content
    record.headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
    record.save(update_fields=["status_code", "body", "headers"])


def idempotency_records_purge(*, now: datetime) -> int:
    """Forget the keys received more than the window before `now`; how many went."""
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=now - window()).delete()
    return deleted


def idempotency_records_expire(as_of: date) -> dict[str, Any]:
    """The nightly job: the keys older than the window before the start of `as_of` (local time) go."""
    start = timezone.make_aware(datetime.combine(as_of, time.min))
    return {"deleted": idempotency_records_purge(now=start)}


class IdempotencyMiddleware:
    """Replays the first answer to a POST under /api/ repeated with the same `Idempotency-Key` by the same user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith("/api/"):
            return self.get_response(request)
        if problem := key_problem(key):
            return error(400, "invalid", problem, attr=HEADER)
        user = request_user(request)
        if user is None:
            return self.get_response(request)
        try:
            body = request.body
        except RequestDataTooBig:
            # An upload above DATA_UPLOAD_MAX_MEMORY_SIZE is not read whole here; its parser answers 413 or reads it.
            return self.get_response(request)
        claimed = idempotency_claim(
            user=user,
            key=key,
            method=request.method,
            path=request.get_full_path(),
            body_sha256=hashlib.sha256(body).hexdigest(),
            now=timezone.now(),
        )
        if isinstance(claimed, HttpResponse):
            return claimed
        try:
            response = self.get_response(request)
        except BaseException:
            claimed.delete()
            raise
        idempotency_settle(claimed, response)
        return response
