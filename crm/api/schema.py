"""drf-spectacular extensions, so that the OpenAPI schema describes what the API really sends and accepts."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes


class BlankableEmailFieldExtension(OpenApiSerializerFieldExtension):
    """An e-mail that may be left blank is an address or "" (the `email` format alone refuses the empty string)."""

    target_class = "rest_framework.fields.EmailField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        email: dict[str, Any] = {**(build_basic_type(OpenApiTypes.EMAIL) or {})}
        if self.target.max_length is not None:
            email["maxLength"] = self.target.max_length
        if not self.target.allow_blank:
            return email
        return {"anyOf": [email, {"type": "string", "enum": [""]}]}
