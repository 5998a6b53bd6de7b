"""The API's parsers (DEFAULT_PARSER_CLASSES): bodies within the size settings, JSON nested at most
`MAX_JSON_DEPTH` levels, and no lone surrogate in any string.

DRF reads the body from the request stream, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE check (which guards only
`request.body` and `request.POST`), so the limits are enforced here: a larger body is 413, never read whole.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status
from rest_framework.utils import json

from core.params import has_lone_surrogate

MAX_JSON_DEPTH = 32


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def too_large(limit: int) -> RequestTooLarge:
    return RequestTooLarge(_("The request body is larger than %(size)s bytes.") % {"size": limit})


def declared_length(parser_context: Mapping[str, Any] | None) -> int:
    request = (parser_context or {}).get("request")
    meta = getattr(request, "META", {})
    try:
        return int(meta.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        return 0


def read_limited(stream: Any, limit: int, parser_context: Mapping[str, Any] | None) -> bytes:
    """The whole body, refused before reading when it says it is larger than `limit`, and never read past it."""
    if declared_length(parser_context) > limit:
        raise too_large(limit)
    if stream is None:
        return b""
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise too_large(limit)
    return body


def check_json(data: Any) -> None:
    """Depth and lone surrogates, walked without recursion; a bad string is an error of its top-level field."""
    stack: list[tuple[Any, int, str]] = [(data, 1, "non_field_errors")]
    while stack:
        value, depth, field = stack.pop()
        if isinstance(value, str):
            if has_lone_surrogate(value):
                raise exceptions.ValidationError(
                    {field: [_("The text holds a character that is not valid Unicode.")]}, code="surrogate"
                )
            continue
        if not isinstance(value, (dict, list)):
            continue
        if depth > MAX_JSON_DEPTH:
            raise exceptions.ParseError(_("JSON may be nested at most %(depth)s levels.") % {"depth": MAX_JSON_DEPTH})
        if isinstance(value, list):
            stack.extend((item, depth + 1, field) for item in value)
            continue
        for key, item in value.items():
            if has_lone_surrogate(key):
                raise exceptions.ValidationError(
                    {"non_field_errors": [_("The text holds a character that is not valid Unicode.")]}
                )
            stack.append((item, depth + 1, key if depth == 1 else field))


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        body = read_limited(stream, settings.API_JSON_MAX_BYTES, parser_context)
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            parse_constant = json.strict_constant if self.strict else None
            data = json.loads(body.decode(encoding), parse_constant=parse_constant)
        except RecursionError:
            raise exceptions.ParseError(
                _("JSON may be nested at most %(depth)s levels.") % {"depth": MAX_JSON_DEPTH}
            ) from None
        except ValueError as exc:  # UnicodeDecodeError is a ValueError too
            raise exceptions.ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
        check_json(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        body = read_limited(stream, settings.DATA_UPLOAD_MAX_MEMORY_SIZE, parser_context)
        return super().parse(io.BytesIO(body), media_type, parser_context)


class MultiPartParser(parsers.MultiPartParser):
    """Files stream to disk as Django does; the body as a whole is held to API_UPLOAD_MAX_BYTES."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        if declared_length(parser_context) > settings.API_UPLOAD_MAX_BYTES:
            raise too_large(settings.API_UPLOAD_MAX_BYTES)
        return super().parse(stream, media_type, parser_context)
