"""The API's one error shape (drf-standardized-errors), for answers built outside DRF's exception handler, and the
schema of the errors the package does not know (412, 413).

Every error under /api/ is `{"type": "validation_error" | "client_error" | "server_error", "errors": [{"code",
"detail", "attr"}]}` (docs/api.md, "Errors"). DRF views get it from the exception handler (salesdept/api.py); the
JSON 403/404/500 of Django's handlers and the lockout of django-axes answer outside DRF and build it here.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import JsonResponse
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import serializers

from core.concurrency import Versioned

CLIENT_ERROR = "client_error"
SERVER_ERROR = "server_error"
VALIDATION_ERROR = "validation_error"


def error_body(error_type: str, code: str, detail: str, attr: str | None = None) -> dict[str, Any]:
    return {"type": error_type, "errors": [{"code": code, "detail": str(detail), "attr": attr}]}


def error_response(status: int, code: str, detail: str) -> JsonResponse:
    """One client (4xx) or server (5xx) error as JSON, in the API's shape."""
    error_type = SERVER_ERROR if status >= 500 else CLIENT_ERROR
    return JsonResponse(error_body(error_type, code, detail), status=status)


# The schema of the two statuses the package has no serializer for (DRF_STANDARDIZED_ERRORS["ERROR_SCHEMAS"]).
class ErrorCode412Enum(models.TextChoices):
    PRECONDITION_FAILED = "precondition_failed"


class ErrorCode413Enum(models.TextChoices):
    TOO_LARGE = "too_large"


class Error412Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ErrorCode412Enum.choices)
    detail = serializers.CharField(help_text="Who changed the object and when, e.g. «Changed by Ivanov at 14:05».")
    attr = serializers.CharField(allow_null=True)


class ErrorResponse412Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error412Serializer(many=True)  # type: ignore[assignment]  # the shape's key, as in the package


class Error413Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ErrorCode413Enum.choices)
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse413Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error413Serializer(many=True)  # type: ignore[assignment]


class AutoSchema(StandardizedErrorsAutoSchema):
    """drf-standardized-errors' schema, with 412 where `If-Match` applies (an update of a versioned row) and 413 on
    every operation with a request body."""

    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        if status_code == "412":
            model = getattr(self.view, "model", None)
            versioned = isinstance(model, type) and issubclass(model, Versioned)
            return versioned and self.method in ("PUT", "PATCH") and status_code not in responses
        if status_code == "413":
            return self.method in ("POST", "PUT", "PATCH") and status_code not in responses
        return super()._should_add_error_response(responses, status_code)
