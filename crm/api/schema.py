"""drf-spectacular extensions, so that the OpenAPI schema describes what the API really sends and accepts."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type, force_instance
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample
from rest_framework import serializers
from rest_framework.fields import empty

from core.api_errors import AutoSchema as StandardizedErrorsAutoSchema


class BlankableEmailFieldExtension(OpenApiSerializerFieldExtension):
    """An e-mail that may be left blank is a string (the `email` format alone refuses the empty string)."""

    target_class = "rest_framework.fields.EmailField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        email: dict[str, Any] = {**(build_basic_type(OpenApiTypes.EMAIL) or {})}
        if self.target.allow_blank:
            # A plain string, not `anyOf [email, enum [""]]`: a blank enum member breaks generated clients.
            email = {"type": "string", "description": "An e-mail address, or an empty string."}
        if self.target.max_length is not None:
            email["maxLength"] = self.target.max_length
        return email


# --- The schema typed clients build from (docs/api.md, "Schema and typed clients") --------------------------------

API_PREFIX = "/api/v1/"
GROUPED_PREFIXES = ("vip", "analytics")  # their router prefixes have two parts: vip/questionnaires, analytics/nps
MAX_ID = 2**63 - 1
ID_PATTERN = "^[0-9]{1,19}$"  # salesdept/urls.py: the router's lookup for every resource


def resource_of(path: str) -> str:
    """The router prefix of a path, as a tag: `clients`, `vip-questionnaires`, `auth` for /api/v1/auth/token/."""
    parts = [part for part in path.removeprefix(API_PREFIX).split("/") if part]
    if not parts:
        return "api"
    if parts[0] in GROUPED_PREFIXES and len(parts) > 1 and not parts[1].startswith("{"):
        return f"{parts[0]}-{parts[1]}"
    return parts[0]


def _example(name: str, value: Any, *, response: bool = False, status: str = "200") -> OpenApiExample:
    if response:
        return OpenApiExample(name, value=value, response_only=True, status_codes=[status])
    return OpenApiExample(name, value=value, request_only=True)


TOKEN_PAIR = {
    "access": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.access",
    "refresh": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.refresh",
}

# Examples by operationId, for the endpoints a mobile client starts with.
EXAMPLES: dict[str, list[OpenApiExample]] = {
    "auth_token_create": [
        _example("Log in", {"username": "manager01", "password": "demo12345"}),
        _example("A token pair", TOKEN_PAIR, response=True),
    ],
    "auth_token_refresh_create": [
        _example("Refresh", {"refresh": TOKEN_PAIR["refresh"]}),
        _example("A new pair (the refresh token rotates)", TOKEN_PAIR, response=True),
    ],
    "clients_create": [
        _example(
            "A new client",
            {
                "name": "ООО «Ромашка»",
                "inn": "7707083893",
                "phone": "8 (495) 123-45-67",
                "email": "office@romashka.example",
                "region": "Москва",
                "source": "cold",
                "channel": None,
            },
        ),
    ],
    "deals_move_create": [
        _example("Forward to the first contact", {"stage": "first_contact"}),
        _example("Back a stage with the reason", {"stage": "source", "reason": "The decision maker has changed"}),
    ],
    "activities_create": [
        _example(
            "A call made",
            {
                "kind": "call",
                "client": 1,
                "subject": "First call",
                "direction": "out",
                "call_result": "reached",
                "duration_seconds": 180,
                "done_at": "2026-11-20T09:30:00+03:00",
            },
        ),
        _example(
            "A task for tomorrow",
            {"kind": "task", "client": 1, "subject": "Send the proposal", "due_at": "2026-11-21T10:00:00+03:00"},
        ),
    ],
}


class TypedClientsMixin:
    """One tag per router prefix and our examples, over any drf-spectacular AutoSchema.

    operationIds are drf-spectacular's, from the path without `/api/v1` (SCHEMA_PATH_PREFIX): `clients_list`,
    `deals_move_create`, `vip_questionnaires_answer_create`.
    """

    path: str

    def get_tags(self) -> list[str]:
        return [resource_of(self.path)]

    def _map_basic_serializer(self, serializer: Any, direction: Any) -> dict[str, Any]:
        """In a response, `required` lists every field the server always sends.

        A model serializer sends all its fields but those named in its `schema_optional_fields` (a field its
        `to_representation` may drop); a plain serializer also sends the fields with a default or that may be null
        (DRF skips only a missing one that has neither).
        """
        schema: dict[str, Any] = super()._map_basic_serializer(serializer, direction)  # type: ignore[misc]
        serializer = force_instance(serializer)
        for name, prop in schema.get("properties", {}).items():
            field = serializer.fields.get(name)
            if isinstance(field, serializers.EmailField) and field.allow_blank:
                prop.pop("format", None)  # the model's EmailValidator adds it back; "" is no e-mail format
        if direction != "response":
            return schema
        optional = set(getattr(serializer, "schema_optional_fields", ()))
        is_model = isinstance(serializer, serializers.ModelSerializer)
        required = set(schema.get("required", []))
        for name in schema.get("properties", {}):
            field = serializer.fields.get(name)
            if field is None or name in optional:
                required.discard(name)
            elif is_model or field.default is not empty or field.allow_null:
                required.add(name)
        if required:
            schema["required"] = sorted(required)
        else:
            schema.pop("required", None)
        return schema

    def get_examples(self) -> list[OpenApiExample]:
        return [*super().get_examples(), *EXAMPLES.get(self.get_operation_id(), [])]  # type: ignore[misc, attr-defined]


class AutoSchema(TypedClientsMixin, StandardizedErrorsAutoSchema):
    """drf-standardized-errors' schema (every 4xx documented) with our tags and examples (DEFAULT_SCHEMA_CLASS)."""


def _walk(node: Any, visit: Any) -> None:
    """Every dict under `node`, except the examples' values."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            visit(item)
            stack.extend(value for key, value in item.items() if key not in ("example", "examples"))
        elif isinstance(item, list):
            stack.extend(item)


def postprocess_typed_clients(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """What a generator names and types, made the same in every language and true to the server.

    - `title` goes from every schema and parameter: it is the field's translated label, and generators name
      types after it (`V1DealsListЭтап`); names come from the code only. Descriptions stay translated.
    - path ids are integers (the router takes 1 to 19 ASCII digits).
    """

    def visit(node: dict[str, Any]) -> None:
        if isinstance(node.get("title"), str):
            del node["title"]
        if node.get("in") == "path" and node.get("schema", {}).get("pattern") == ID_PATTERN:
            node["schema"] = {"type": "integer", "format": "int64", "minimum": 0, "maximum": MAX_ID}

    _walk(result.get("paths", {}), visit)
    _walk(result.get("components", {}), visit)
    return result
