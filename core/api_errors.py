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
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ValidationErrorEnum
from drf_standardized_errors.settings import package_settings
from inflection import camelize
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


# The schema of the statuses the package has no serializer for, and of 401 and 429 with the codes of simplejwt and
# of the login lockout beside DRF's (DRF_STANDARDIZED_ERRORS["ERROR_SCHEMAS"]).
class ErrorCode401Enum(models.TextChoices):
    AUTHENTICATION_FAILED = "authentication_failed"
    NOT_AUTHENTICATED = "not_authenticated"
    TOKEN_NOT_VALID = "token_not_valid"  # noqa: S105 (a code, not a secret)
    NO_ACTIVE_ACCOUNT = "no_active_account"
    USER_INACTIVE = "user_inactive"
    USER_NOT_FOUND = "user_not_found"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105
    BAD_AUTHORIZATION_HEADER = "bad_authorization_header"


class ErrorCode429Enum(models.TextChoices):
    THROTTLED = "throttled"
    LOGIN_LOCKED = "login_locked"


class ErrorCode412Enum(models.TextChoices):
    PRECONDITION_FAILED = "precondition_failed"


class ErrorCode413Enum(models.TextChoices):
    TOO_LARGE = "too_large"


class Error412Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ErrorCode412Enum.choices)
    detail = serializers.CharField(help_text="Who changed the object and when, e.g. «Changed by Ivanov at 14:05».")
    attr = serializers.CharField(allow_null=True)


class Error401Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ErrorCode401Enum.choices)
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse401Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error401Serializer(many=True)  # type: ignore[assignment]


class Error429Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ErrorCode429Enum.choices)
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse429Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error429Serializer(many=True)  # type: ignore[assignment]


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


def codes_text(codes_by_field: dict[str, set[str]]) -> str:
    index = f"{package_settings.NESTED_FIELD_SEPARATOR}{package_settings.LIST_INDEX_IN_API_SCHEMA}"
    lines = [
        f"- `{attr.replace(index, '.<n>')}`: " + ", ".join(f"`{code}`" for code in sorted(codes))
        for attr, codes in sorted(codes_by_field.items())
        if codes
    ]
    return "\n".join(lines)


def validation_error_serializer(operation_id: str, codes_by_field: dict[str, set[str]]) -> type[serializers.Serializer]:
    """An operation's 400 validation error: `attr` and `code` are strings (a nested field is `lines.0.amount`, and a
    service may refuse with a code of its own), the fields and codes known from the serializer in the description."""
    name = camelize(operation_id)
    known = codes_text(codes_by_field)
    attr_help = "The field, `null` or `non_field_errors` for the whole request; nested ones are `lines.0.amount`."
    if known:
        attr_help += " The fields of this operation and the codes they are known to have:\n\n" + known

    class ValidationErrorItemSerializer(serializers.Serializer):
        code = serializers.CharField(help_text="Machine-readable: `required`, `invalid`, `max_length`, ...")
        detail = serializers.CharField(help_text="For the user, in the language of Accept-Language.")
        attr = serializers.CharField(allow_null=True, help_text=attr_help)

        class Meta:
            ref_name = f"{name}ValidationErrorItem"

    class ValidationErrorSerializer(serializers.Serializer):
        type = serializers.ChoiceField(choices=ValidationErrorEnum.choices)
        errors = ValidationErrorItemSerializer(many=True)  # type: ignore[assignment]

        class Meta:
            ref_name = f"{name}ValidationError"

    return ValidationErrorSerializer


class AutoSchema(StandardizedErrorsAutoSchema):
    """drf-standardized-errors' schema, with 412 where `If-Match` applies (an update of a versioned row), 413 on
    every operation with a request body, 403 wherever a login is needed, and a validation error in every 400.

    A 400's `attr` and `code` are strings that real answers match (the package's enums name nested fields
    `lines.INDEX.amount` and miss the services' own codes); the description lists them."""

    def _should_add_validation_error_response(self) -> bool:
        """Every operation: query parameters and headers (`If-Match`) are checked in the views, not only bodies."""
        return True

    def _get_serializer_for_validation_error_response(self) -> Any:
        # The known fields: of the request serializer or the filters (a body described otherwise has none).
        fields = self._determine_fields_with_error_codes() if super()._should_add_validation_error_response() else []
        codes_by_field = self._get_validation_error_codes_by_field(fields)
        return validation_error_serializer(self.get_operation_id(), dict(codes_by_field))

    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        if status_code == "412":
            model = getattr(self.view, "model", None)
            versioned = isinstance(model, type) and issubclass(model, Versioned)
            return versioned and self.method in ("PUT", "PATCH") and status_code not in responses
        if status_code == "413":
            return self.method in ("POST", "PUT", "PATCH") and status_code not in responses
        if status_code == "403" and super()._should_add_error_response(responses, "401"):
            # Roles are checked in the views as well as by permission classes: whoever must log in may be refused.
            return status_code not in responses
        return super()._should_add_error_response(responses, status_code)
