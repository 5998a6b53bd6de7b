"""Reading the API's error answers in tests, whatever their shape.

The API answers errors as drf-standardized-errors does: `{"type": "validation_error", "errors": [{"code", "detail",
"attr"}]}`. `field_errors(response)` gives `{attr: [detail, ...]}` (attr None becomes "non_field_errors"), so a test
asserts on the field and the message; `error_codes(response)` gives `{attr: [code, ...]}`.
"""

from __future__ import annotations

from typing import Any


def _errors(response: Any) -> list[dict[str, Any]]:
    body = response.json()
    if isinstance(body, dict) and isinstance(body.get("errors"), list) and "type" in body:
        return list(body["errors"])
    # The plain DRF shape: {"field": ["message", ...]} or {"detail": "message"}.
    out: list[dict[str, Any]] = []
    if isinstance(body, dict):
        for attr, value in body.items():
            for detail in value if isinstance(value, list) else [value]:
                out.append({"attr": None if attr == "detail" else attr, "detail": str(detail), "code": None})
    return out


def field_errors(response: Any) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for error in _errors(response):
        attr = error.get("attr") or "non_field_errors"
        result.setdefault(attr, []).append(str(error.get("detail")))
    return result


def error_codes(response: Any) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for error in _errors(response):
        attr = error.get("attr") or "non_field_errors"
        result.setdefault(attr, []).append(str(error.get("code")))
    return result
