"""API-wide errors: one shape for every error (drf-standardized-errors, docs/api.md "Errors").

`ExceptionHandler` (DRF_STANDARDIZED_ERRORS["EXCEPTION_HANDLER_CLASS"]) turns what the services and Django raise into
DRF's exceptions: Django's ValidationError 400 (its codes become the errors' `code`), StaleVersion 412 with the
current ETag, a body too large 413, too many fields 400, Django's PermissionDenied 403. `ExceptionFormatter` answers
simplejwt's token errors as one error and not as a list of its internals.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_standardized_errors.formatter import ExceptionFormatter as BaseExceptionFormatter
from drf_standardized_errors.handler import ExceptionHandler as BaseExceptionHandler
from drf_standardized_errors.types import Error
from rest_framework import exceptions
from rest_framework.fields import get_error_detail
from rest_framework.settings import api_settings

from core.concurrency import StaleVersion, etag_of
from core.parsers import RequestTooLarge
from crm.services.history import stale_text


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = _("The object has changed since it was read.")
    default_code = "precondition_failed"

    def __init__(self, detail: str, etag: str | None = None) -> None:
        super().__init__(detail)
        self.etag = etag


def stale_message(exc: StaleVersion) -> str:
    """ "Changed by <who> at <when>": the last change of the row, for the user whose edit was based on an older one."""
    return stale_text(exc.current)


def validation_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    """Django's ValidationError as DRF's, keeping each message's code ("invalid" when it has none); errors of the
    whole object (no field, or Django's `__all__`) under the API's `non_field_errors`."""
    detail = get_error_detail(exc)
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if isinstance(detail, dict):
        detail = {non_field if key == NON_FIELD_ERRORS else key: value for key, value in detail.items()}
    else:
        detail = {non_field: detail}
    return exceptions.ValidationError(detail)


def throttled(exc: exceptions.Throttled) -> exceptions.Throttled:
    """DRF formats the wait into its message before looking it up, so no catalog translates it; the same with ours."""
    wait = getattr(exc, "wait", None)
    if wait is None:
        return exc
    seconds = int(wait)
    message = ngettext(
        "Request was throttled. Expected available in %(wait)d second.",
        "Request was throttled. Expected available in %(wait)d seconds.",
        seconds,
    ) % {"wait": seconds}
    again = exceptions.Throttled(detail=message)
    again.wait = wait  # type: ignore[attr-defined]
    return again


class ExceptionHandler(BaseExceptionHandler):
    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, StaleVersion):
            return PreconditionFailed(stale_message(exc), etag_of(exc.current))
        if isinstance(exc, DjangoValidationError):
            return validation_error(exc)
        if isinstance(exc, RequestDataTooBig):
            return RequestTooLarge()
        if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
            return exceptions.ParseError(str(exc))
        if isinstance(exc, DjangoPermissionDenied):
            return exceptions.PermissionDenied(str(exc) or None)
        if isinstance(exc, exceptions.Throttled):
            return throttled(exc)
        return super().convert_known_exceptions(exc)

    def convert_unhandled_exceptions(self, exc: Exception) -> exceptions.APIException:
        """A bug is a 500 with DRF's message (translated), never the exception's text."""
        if not isinstance(exc, exceptions.APIException):
            return exceptions.APIException()
        return exc

    def get_headers(self, exc: exceptions.APIException) -> dict:
        headers = super().get_headers(exc)
        if isinstance(exc, PreconditionFailed) and exc.etag:
            headers["ETag"] = exc.etag
        return headers


class ExceptionFormatter(BaseExceptionFormatter):
    def get_errors(self) -> list[Error]:
        """simplejwt's errors carry `{"detail", "code", "messages"?: [...]}`: one error, with the reason."""
        detail = self.exc.detail
        token_error = not isinstance(self.exc, exceptions.ValidationError)
        if token_error and isinstance(detail, dict) and "code" in detail and "detail" in detail:
            messages = detail.get("messages") or []
            first = messages[0] if isinstance(messages, list) and messages else None
            text = first.get("message") if isinstance(first, dict) else None
            return [Error(str(detail["code"]), str(text or detail.get("detail") or ""), None)]
        # A message built without a code (django-filter passes a form field's None on) is "invalid", as DRF's are.
        return [Error(error.code or "invalid", error.detail, error.attr) for error in super().get_errors()]
