"""API-wide behaviour: Django's ValidationError and PermissionDenied from services become 400 and 403, a body
too large for Django's upload limits 413, too many fields 400."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.concurrency import StaleVersion, etag_of
from core.parsers import RequestTooLarge
from crm.services.history import stale_text


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_code = "precondition_failed"


def stale_message(exc: StaleVersion) -> str:
    """ "Changed by <who> at <when>": the last change of the row, for the user whose edit was based on an older one."""
    return stale_text(exc.current)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, StaleVersion):
        response = drf_exception_handler(PreconditionFailed(stale_message(exc)), context)
        if response is not None and (tag := etag_of(exc.current)):
            response["ETag"] = tag
        return response
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        exc = exceptions.ParseError(str(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
